using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pipeline.Messaging;
using Pipeline.Messaging.Enrichment;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;
using Pipeline.SearchStore.StoredArticles;
using Pipeline.ServiceDefaults.Security;

namespace Pipeline.Indexing.Operations;

/// <summary>
/// What the operator runs against the indexing service (the AppHost's dashboard commands call these endpoints): re-run
/// one enricher over stored articles, rebuild the index from the stored documents, replay the dead letters; plus the store and broker health
/// checks and the queue-depth gauges.
/// </summary>
public static class IndexingOperations
{
    public static IHostApplicationBuilder AddIndexingOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddApiKeyAuthentication(ApiKeyRoles.Admin);
        builder.Services.AddSingleton<IStoredArticleSource>(sp => sp.GetService<ElasticsearchConnection>() is { } elasticsearch
            ? new ElasticsearchStoredArticles(elasticsearch)
            : new LuceneStoredArticles(sp.GetRequiredService<IOptions<SearchStoreOptions>>().Value.LucenePath));
        builder.Services.AddSingleton<ArticleRepublisher>();
        builder.Services.AddSingleton<DeadLetterReplay>();
        builder.Services.AddSingleton<BrokerQueues>();
        builder.Services.AddSingleton<QueueDepthMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueDepthMonitor>());
        builder.Services.AddHealthChecks()
            .Add(new("broker", sp => sp.GetRequiredService<QueueDepthMonitor>(), HealthStatus.Unhealthy, ["ready"]))
            .Add(new("search-store", sp => sp.GetService<ElasticsearchConnection>() is { } elasticsearch
                ? new ElasticsearchStoreHealthCheck(elasticsearch)
                : new LuceneStoreWritableHealthCheck(
                    sp.GetRequiredService<IOptions<SearchStoreOptions>>().Value.LucenePath,
                    sp.GetRequiredService<IOptions<OperationsOptions>>().Value.MinFreeDiskMb), HealthStatus.Unhealthy, ["ready"]));
        return builder;
    }

    public static WebApplication MapIndexingOperations(this WebApplication app)
    {
        app.MapOpenApi();
        app.UseApiKeyAuthentication();
        var admin = app.MapGroup("/admin").WithTags("Operations").RequireAuthorization(ApiKeyRoles.Admin);
        admin.MapPost("/enrichers/{name}/rerun", RerunAsync)
            .WithName("RerunEnricher")
            .WithSummary("Re-run one enricher over the stored articles (all, or filtered), e.g. after a prompt or model change.")
            .WithDescription(
                "Sends ArticleIngested for every matching stored article to the enricher's own queue ({name}-enricher) only. Filters: " +
                "source (exact outlet), olderThan (only articles whose stored payload of this enricher has a lower version, or none), " +
                "missing (only articles without a current payload of this enricher), limit. The enricher must exist: declared by the " +
                "AppHost (Operations:Enrichers) or with its queue on the broker; any other name is a 404 naming the known ones, and " +
                "nothing is sent.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/index/rebuild", async (ArticleRepublisher republisher, CancellationToken cancellationToken) =>
                TypedResults.Ok(await republisher.RebuildIndexAsync(cancellationToken)))
            .WithName("RebuildIndex")
            .WithSummary("Rewrite every document of the index from its stored source, through the indexer's own queue.");
        admin.MapPost("/index/dead-letters/replay", async (DeadLetterReplay replay, CancellationToken cancellationToken) =>
                TypedResults.Ok(await replay.ReplayAsync(cancellationToken)))
            .WithName("ReplayDeadLetters")
            .WithSummary("Send the original message of every indexing dead letter back to the indexer, after fixing what made the store refuse it.")
            .WithDescription(
                "Unwraps each IndexingRejected in the indexing-dead-letter queue and sends its ArticleIngested or ArticleEnriched to the indexing " +
                "queue, then removes the dead letter. A dead letter whose message type the indexer did not know holds only the message's " +
                "IArticleMessage part: it stays in the queue and is listed in keptMessages (ingest that article again).");
        return app;
    }

    static async Task<Results<Ok<RepublishResult>, ValidationProblem, ProblemHttpResult>> RerunAsync(
        string name,
        ArticleRepublisher republisher,
        BrokerQueues broker,
        IOptions<OperationsOptions> options,
        CancellationToken cancellationToken,
        string? source = null,
        string? olderThan = null,
        bool missing = false,
        int? limit = null)
    {
        try
        {
            EnricherDeclaration.Validate(name, []);
        }
        catch (InvalidOperationException e)
        {
            return Invalid("name", e.Message);
        }

        if (limit is < 1)
        {
            return Invalid("limit", "limit must be at least 1.");
        }

        var known = options.Value.Enrichers;
        if (!known.Contains(name, StringComparer.Ordinal) && !await broker.ExistsAsync(QueueNames.Enricher(name), cancellationToken))
        {
            // Sending would declare the queue: a durable queue nobody reads, filling with every stored article.
            return TypedResults.Problem(
                $"There is no enricher '{name}': it is not among the enrichers the AppHost declared ({string.Join(", ", known)}) and the broker " +
                $"has no queue {QueueNames.Enricher(name)}. Nothing was sent.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown enricher",
                extensions: new Dictionary<string, object?> { ["knownEnrichers"] = known });
        }

        var filter = new RerunFilter(string.IsNullOrWhiteSpace(source) ? null : source, string.IsNullOrWhiteSpace(olderThan) ? null : olderThan, missing, limit);
        return TypedResults.Ok(await republisher.RerunEnricherAsync(name, filter, cancellationToken));
    }

    static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The operation request is invalid");
}
