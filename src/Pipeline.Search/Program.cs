using Pipeline.Search;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSearch();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSearch();
app.Run();
