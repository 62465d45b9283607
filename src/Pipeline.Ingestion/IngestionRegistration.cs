using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Batches;
using Pipeline.Ingestion.Control;
using Pipeline.Ingestion.Deduplication;
using Pipeline.Ingestion.Feeds;
using Pipeline.Ingestion.Html;
using Pipeline.Ingestion.Intake;
using Pipeline.Ingestion.Security;
using Pipeline.Messaging;

namespace Pipeline.Ingestion;

/// <summary>The ingestion service's registration, shared by Program.cs and the tests.</summary>
public static class IngestionRegistration
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<IngestionOptions>()
            .BindConfiguration(IngestionOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => !production || o.AllowAnonymous || o.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k)),
                "Ingestion:ApiKeys is empty in Production: configure at least one key (Ingestion__ApiKeys__0=...), or set Ingestion:AllowAnonymous=true to run an open API.")
            .ValidateOnStart();
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
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddSingleton<IngestionPause>();
        builder.AddPipelineMessaging();
        return builder;
    }

    public static WebApplication MapIngestion(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();

        app.MapIngestionControl();
        var keys = app.Services.GetRequiredService<ApiKeyFilter>();
        if (keys.IsOpen)
        {
            app.Logger.LogWarning("No API keys are configured (Ingestion:ApiKeys): the ingestion API accepts anonymous requests.");
        }

        var duplicates = app.Services.GetRequiredService<DuplicateIndex>();
        if (!duplicates.IsPersistent)
        {
            app.Logger.LogWarning("Ingestion:DataDirectory is not set: the duplicate index is kept in memory and forgotten at stop.");
        }

        var api = app.MapGroup("").AddEndpointFilter(keys);
        api.MapArticleEndpoints();
        api.MapBatchEndpoints();
        api.MapFeedEndpoints();

        var feeds = app.Services.GetRequiredService<FeedRegistry>();
        IngestionTelemetry.ObserveFeedErrors(() => feeds.All().Count(f => f.LastError is not null));
        return app;
    }
}
