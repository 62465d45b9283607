using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Messaging.Broker;
using Pipeline.SearchStore;
using Pipeline.SearchStore.StoredArticles;

namespace Pipeline.Indexing.Operations;

/// <summary>Which stored articles an enricher re-run covers; every condition given must hold.</summary>
public sealed record RerunFilter(string? Source = null, string? OlderThanVersion = null, bool OnlyMissing = false, int? Limit = null)
{
    public bool Matches(ArticleDocument document, string enricher)
    {
        if (document.Article is not { } article)
        {
            return false;
        }

        if (Source is not null && !string.Equals(article.Source, Source, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        document.Enrichments.TryGetValue(enricher, out var stored);
        if (OnlyMissing && stored is not null && stored.TextHash == article.ContentHash)
        {
            return false;
        }

        return OlderThanVersion is null || stored is null || DocumentMerge.CompareVersions(stored.EnricherVersion, OlderThanVersion) < 0;
    }
}

/// <summary>What a re-publishing operation did.</summary>
public sealed record RepublishResult(long Articles, long Messages, string Destination);

/// <summary>
/// Re-publishes stored articles. A re-run sends <see cref="ArticleIngested"/> straight to one enricher's queue
/// (<c>{name}-enricher</c>), so no other enricher and not the indexer sees it again; the enricher's new payload then
/// flows to the index as usual and, being a newer version or a later production time, replaces the old one. A rebuild
/// sends every stored article and enrichment to the indexer's own queue, so every document is rewritten from its stored
/// source with the current field mapping (see docs/operations.md for what that can and cannot repair).
/// </summary>
public sealed class ArticleRepublisher(IStoredArticleSource store, IBus sender, BrokerQueues broker, IOptions<OperationsOptions> options, ILogger<ArticleRepublisher> logger)
{
    public async Task<RepublishResult> RerunEnricherAsync(string enricher, RerunFilter filter, CancellationToken cancellationToken)
    {
        var queue = QueueNames.Enricher(enricher);
        await broker.DeclareConsumerQueueAsync(queue, cancellationToken);
        var endpoint = await sender.GetSendEndpoint(PipelineQueues.SendAddress(queue));
        long articles = 0;
        var pending = new List<Task>();
        await foreach (var document in store.ReadAllAsync(cancellationToken))
        {
            if (filter.Limit is { } limit && articles >= limit)
            {
                break;
            }

            if (!filter.Matches(document, enricher))
            {
                continue;
            }

            articles++;
            pending.Add(endpoint.Send(document.Article!, PipelineQueues.Mandatory, cancellationToken));
            await DrainAsync(pending, full: false);
        }

        await DrainAsync(pending, full: true);
        logger.LogWarning("Re-run of enricher {Enricher}: {Articles} articles sent to {Queue} ({Filter})", enricher, articles, queue, filter);
        return new RepublishResult(articles, articles, queue);
    }

    public async Task<RepublishResult> RebuildIndexAsync(CancellationToken cancellationToken)
    {
        var endpoint = await sender.GetSendEndpoint(PipelineQueues.SendAddress(QueueNames.Indexing));
        long articles = 0, messages = 0;
        var pending = new List<Task>();
        await foreach (var document in store.ReadAllAsync(cancellationToken))
        {
            articles++;
            foreach (var message in MessagesOf(document))
            {
                messages++;
                pending.Add(message is ArticleIngested ingested
                    ? endpoint.Send(ingested, PipelineQueues.Mandatory, cancellationToken)
                    : endpoint.Send((ArticleEnriched)message, PipelineQueues.Mandatory, cancellationToken));
                await DrainAsync(pending, full: false);
            }
        }

        await DrainAsync(pending, full: true);
        logger.LogWarning("Index rebuild: {Articles} stored documents re-sent to the indexer as {Messages} messages", articles, messages);
        return new RepublishResult(articles, messages, QueueNames.Indexing);
    }

    /// <summary>The messages that merge back into exactly this document (the merge is idempotent).</summary>
    public static IEnumerable<IArticleMessage> MessagesOf(ArticleDocument document)
    {
        if (document.Article is { } article)
        {
            yield return article;
        }

        foreach (var (name, stored) in document.Enrichments)
        {
            yield return new ArticleEnriched
            {
                EnricherName = name,
                EnricherVersion = stored.EnricherVersion,
                ArticleId = document.ArticleId,
                TextHash = stored.TextHash,
                ProducedAt = stored.ProducedAt,
                Payload = stored.Payload,
                Fields = stored.Fields ?? [],
            };
        }
    }

    async Task DrainAsync(List<Task> pending, bool full)
    {
        if (full || pending.Count >= options.Value.RepublishConcurrency)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }
}
