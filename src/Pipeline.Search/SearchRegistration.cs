using Pipeline.Search.Api;
using Pipeline.SearchStore;

namespace Pipeline.Search;

public static class SearchRegistration
{
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.AddArticleSearch();
        return builder;
    }

    public static WebApplication MapSearch(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapSearchEndpoints();
        return app;
    }
}
