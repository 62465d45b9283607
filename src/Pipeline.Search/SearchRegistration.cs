using Microsoft.Extensions.FileProviders;
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

        // The analyst page: plain HTML, CSS and JavaScript embedded in the assembly, so it is served the same from
        // any working directory and needs nothing from the network.
        var page = new ManifestEmbeddedFileProvider(typeof(SearchRegistration).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });

        app.MapOpenApi();
        app.MapSearchEndpoints();
        return app;
    }
}
