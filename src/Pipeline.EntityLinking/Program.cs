using Pipeline.EntityLinking;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEntityLinking();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
