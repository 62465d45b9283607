using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Control;
using Pipeline.Messaging;

namespace Pipeline.Ingestion;

public static class IngestionRegistration
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>()
            .BindConfiguration(IngestionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ArticleNormalizer>();
        builder.AddPipelineMessaging();
        return builder;
    }

    public static WebApplication MapIngestion(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapIngestionControl();
        app.MapArticleEndpoints();
        return app;
    }
}
