using Pipeline.Enrichers.FactCheckMatching;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFactCheckMatching();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
