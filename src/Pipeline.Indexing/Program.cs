using Pipeline.Indexing;
using Pipeline.Indexing.Operations;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIndexing();
builder.AddIndexingOperations();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIndexingOperations();
app.Run();
