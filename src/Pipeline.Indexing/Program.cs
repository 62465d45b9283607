using Pipeline.Indexing;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIndexing();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
