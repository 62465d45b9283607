using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Batches;
using Pipeline.Ingestion.Control;
using Pipeline.Ingestion.Deduplication;
using Pipeline.Ingestion.Feeds;
using Pipeline.Ingestion.Html;
using Pipeline.Ingestion.Intake;
using Pipeline.Messaging;
using Pipeline.ServiceDefaults.Security;

namespace Pipeline.Ingestion;

/// <summary>The ingestion service's registration, shared by Program.cs and the tests.</summary>
public static class IngestionRegistration
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>()
            .BindConfiguration(IngestionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddApiKeyAuthentication(ApiKeyRoles.Ingest);
        builder.Services.AddOptions<DeduplicationOptions>()
            .BindConfiguration(DeduplicationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<FeedOptions>()
            .BindConfiguration(FeedOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<FeedRegistry>();
        builder.Services.AddHostedService<FeedPoller>();
        builder.Services.AddHealthChecks().AddCheck<FeedHealthCheck>("feeds");
        // A batch's answers must never stop the service reading the batch: HTTP/1.1 clients such as .NET's HttpClient
        // read the answer only after sending the whole body, so answers they have not read yet are buffered
        // (about 100 bytes per article, 2.5% of the upload) instead of pausing the response at 64 KB (Kestrel) / 1 MB
        // (socket transport).
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxResponseBufferSize = null);
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.MaxWriteBufferSize = null);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ArticleNormalizer>();
        builder.Services.AddSingleton<DuplicateIndex>();
        builder.Services.AddSingleton<HtmlExtractor>();
        builder.Services.AddSingleton<ArticleIntake>();
        builder.Services.AddSingleton<IngestionPause>();
        builder.AddPipelineMessaging();
        return builder;
    }

    public static WebApplication MapIngestion(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiKeyAuthentication();
        app.MapOpenApi();

        app.MapIngestionControl();

        var duplicates = app.Services.GetRequiredService<DuplicateIndex>();
        if (!duplicates.IsPersistent)
        {
            app.Logger.LogWarning("Ingestion:DataDirectory is not set: the duplicate index is kept in memory and forgotten at stop.");
        }

        var api = app.MapGroup("").RequireAuthorization(ApiKeyRoles.Ingest);
        api.MapArticleEndpoints();
        api.MapBatchEndpoints();
        api.MapFeedEndpoints();

        var feeds = app.Services.GetRequiredService<FeedRegistry>();
        IngestionTelemetry.ObserveFeedErrors(() => feeds.All().Count(f => f.LastError is not null));
        return app;
    }
}
