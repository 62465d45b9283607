using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Messaging.Broker;

namespace Pipeline.Messaging.Enrichment;

/// <summary>
/// Runs a batch enricher over a batch of ingested articles and publishes one <see cref="ArticleEnriched"/> per article.
/// MassTransit acknowledges the batch's messages only when this returns, after every enrichment was published (at
/// least once). When the batch call throws, each article is enriched alone with the pipeline's retry policy
/// (<see cref="MessagingOptions.RetryLimit"/>, exponential intervals); an article that still fails is moved to the
/// enricher's error queue on its own, with a <see cref="Fault{T}"/>, and the others' results are published.
/// A publish that fails throws, and the whole batch is retried.
/// </summary>
public sealed class BatchEnrichmentConsumer<TEnricher, TPayload>(TEnricher enricher, TimeProvider clock, IOptions<MessagingOptions> options)
    : IConsumer<Batch<ArticleIngested>>
    where TEnricher : class, IArticleBatchEnricher<TPayload>
    where TPayload : class
{
    public async Task Consume(ConsumeContext<Batch<ArticleIngested>> context)
    {
        var batch = context.Message;
        ArticleIngested[] articles = [.. batch.Select(m => m.Message)];
        var started = Stopwatch.GetTimestamp();
        var outcomes = await EnrichAsync(articles, context.CancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        EnrichmentTelemetry.RecordBatch(TEnricher.Name, articles.Length, elapsed);

        var producedAt = clock.GetUtcNow();
        var publishes = new List<Task>(articles.Length);
        for (var i = 0; i < articles.Length; i++)
        {
            if (outcomes[i].Payload is { } payload)
            {
                var enrichment = EnrichmentPayloads.Create(TEnricher.Name, enricher.Version, articles[i], payload, producedAt) with { Fields = TEnricher.Fields };
                publishes.Add(batch[i].Publish(enrichment, context.CancellationToken));
                EnrichmentTelemetry.RecordLag(TEnricher.Name, producedAt - articles[i].IngestedAt);
            }
        }

        // Published together: awaiting each broker confirm in turn would cost a round trip per article.
        await Task.WhenAll(publishes);
        for (var i = 0; i < articles.Length; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                await MoveToErrorQueueAsync(batch[i], error, elapsed);
            }
        }
    }

    async Task<(TPayload? Payload, Exception? Error)[]> EnrichAsync(ArticleIngested[] articles, CancellationToken cancellationToken)
    {
        try
        {
            var payloads = await enricher.EnrichAsync(articles, cancellationToken);
            return payloads.Count == articles.Length
                ? [.. payloads.Select(p => ((TPayload?)p, (Exception?)null))]
                : throw new InvalidOperationException($"Enricher '{TEnricher.Name}' returned {payloads.Count} payloads for {articles.Length} articles.");
        }
        catch (Exception batchError) when (!cancellationToken.IsCancellationRequested)
        {
            // The failure may be any one article's: each is enriched alone. The batch call counts as an attempt only
            // for a batch of one, so every article gets 1 + RetryLimit attempts, as with IArticleEnricher.
            var outcomes = new (TPayload?, Exception?)[articles.Length];
            for (var i = 0; i < articles.Length; i++)
            {
                outcomes[i] = await EnrichAloneAsync(articles[i], articles.Length == 1 ? batchError : null, cancellationToken);
            }

            return outcomes;
        }
    }

    async Task<(TPayload?, Exception?)> EnrichAloneAsync(ArticleIngested article, Exception? failedAlready, CancellationToken cancellationToken)
    {
        var retry = options.Value;
        var delay = retry.RetryMinInterval;
        var error = failedAlready;
        for (var attempt = failedAlready is null ? 0 : 1; attempt <= retry.RetryLimit; attempt++)
        {
            if (error is not null)
            {
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(retry.RetryMaxInterval.Ticks, delay.Ticks * 2));
            }

            try
            {
                var payloads = await enricher.EnrichAsync([article], cancellationToken);
                return payloads.Count == 1
                    ? (payloads[0], null)
                    : throw new InvalidOperationException($"Enricher '{TEnricher.Name}' returned {payloads.Count} payloads for 1 article.");
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                error = exception;
            }
        }

        return (null, error);
    }

    /// <summary>
    /// What MassTransit does with a message whose consumer failed, for one message of the batch: the original message
    /// and headers, with the fault's, into <c>{queue}_error</c> (from where it can be replayed), and a
    /// <see cref="Fault{T}"/> published.
    /// </summary>
    static async Task MoveToErrorQueueAsync(ConsumeContext<ArticleIngested> message, Exception error, TimeSpan elapsed)
    {
        var errorQueue = await message.GetSendEndpoint(PipelineQueues.SendAddress(QueueNames.ErrorQueueOf(QueueNames.Enricher(TEnricher.Name))));
        await errorQueue.Send(message.Message, send =>
        {
            PipelineQueues.Mandatory(send);
            foreach (var header in message.Headers.GetAll())
            {
                send.Headers.Set(header.Key, header.Value);
            }

            send.MessageId = message.MessageId;
            send.CorrelationId = message.CorrelationId;
            send.ConversationId = message.ConversationId;
            send.InitiatorId = message.InitiatorId;
            send.Headers.Set(MessageHeaders.Reason, "fault");
            send.Headers.Set(MessageHeaders.FaultExceptionType, TypeCache.GetShortName(error.GetType()));
            send.Headers.Set(MessageHeaders.FaultMessage, error.Message);
            send.Headers.Set(MessageHeaders.FaultStackTrace, error.StackTrace);
            send.Headers.Set(MessageHeaders.FaultTimestamp, DateTime.UtcNow.ToString("O"));
            send.Headers.Set(MessageHeaders.FaultConsumerType, TypeCache<BatchEnrichmentConsumer<TEnricher, TPayload>>.ShortName);
        }, message.CancellationToken);
        await message.NotifyFaulted(message, elapsed, TypeCache<BatchEnrichmentConsumer<TEnricher, TPayload>>.ShortName, error);
    }
}

/// <summary>The batch consumer's queue (the same name as the single-article form's), batch limits and prefetch from <see cref="EnrichmentBatchOptions"/>.</summary>
public sealed class BatchEnrichmentConsumerDefinition<TEnricher, TPayload> : ConsumerDefinition<BatchEnrichmentConsumer<TEnricher, TPayload>>
    where TEnricher : class, IArticleBatchEnricher<TPayload>
    where TPayload : class
{
    readonly MessagingOptions _messaging;
    readonly EnrichmentBatchOptions _batch;

    public BatchEnrichmentConsumerDefinition(IOptions<MessagingOptions> messaging, IOptions<EnrichmentBatchOptions> batch)
    {
        _messaging = messaging.Value;
        _batch = batch.Value;
        EndpointName = QueueNames.Enricher(TEnricher.Name);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<BatchEnrichmentConsumer<TEnricher, TPayload>> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _batch.PrefetchCount;
        endpointConfigurator.ConcurrentMessageLimit = _batch.PrefetchCount;
        consumerConfigurator.Options<BatchOptions>(options => options
            .SetMessageLimit(_batch.MessageLimit)
            .SetTimeLimit(_batch.TimeLimit)
            .SetConcurrencyLimit(_batch.ConcurrencyLimit));

        // Failures of the enricher are retried per article inside the consumer; what is left is the broker (a publish
        // or the error-queue send failing): the whole batch is retried, enrichments already published are published
        // again (at least once).
        consumerConfigurator.UseMessageRetry(r => r.Exponential(
            _messaging.RetryLimit,
            _messaging.RetryMinInterval,
            _messaging.RetryMaxInterval,
            TimeSpan.FromTicks(Math.Max(_messaging.RetryMinInterval.Ticks, TimeSpan.FromMilliseconds(100).Ticks))));
    }
}
