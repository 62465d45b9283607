using Pipeline.ClaimTagging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddClaimTagging();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
