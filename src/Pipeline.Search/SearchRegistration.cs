using Microsoft.Extensions.FileProviders;
using Pipeline.Search.Api;
using Pipeline.Search.Watches;
using Pipeline.SearchStore;
using Pipeline.ServiceDefaults.Security;

namespace Pipeline.Search;

public static class SearchRegistration
{
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddApiKeyAuthentication(ApiKeyRoles.Read);
        builder.AddArticleSearch();
        builder.AddWatches();
        return builder;
    }

    public static WebApplication MapSearch(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiKeyAuthentication();

        // The analyst page: plain HTML, CSS and JavaScript embedded in the assembly, so it is served the same from
        // any working directory and needs nothing from the network. The page itself is public; it asks for a read key
        // and sends it with every API call.
        var page = new ManifestEmbeddedFileProvider(typeof(SearchRegistration).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });

        app.MapOpenApi();
        app.MapGroup("").RequireAuthorization(ApiKeyRoles.Read).MapSearchEndpoints().MapChartEndpoints().MapExportEndpoints();
        app.MapGroup("").RequireAuthorization(ApiKeyRoles.Read).MapWatchEndpoints();
        return app;
    }
}
