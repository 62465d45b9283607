using MassTransit;
using Microsoft.Extensions.Options;

namespace Pipeline.Indexing.Consumers;

/// <summary>Both batch consumers share the <c>indexing</c> queue; batch limits, prefetch and the store-outage retry come from <see cref="IndexingOptions"/>.</summary>
public sealed class IndexBatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public const string QueueName = "indexing";

    readonly IndexingOptions _options;

    public IndexBatchConsumerDefinition(IOptions<IndexingOptions> options)
    {
        _options = options.Value;
        EndpointName = QueueName;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.EffectivePrefetchCount;
        endpointConfigurator.ConcurrentMessageLimit = _options.EffectivePrefetchCount;
        // Every article comes with one message per enricher, so enrichment batches are that many times larger:
        // then the articles and the enrichments in flight cover the same articles, and most documents are
        // written once with all their parts instead of once per part.
        var limit = typeof(TConsumer) == typeof(ArticleEnrichedBatchConsumer)
            ? _options.BatchMessageLimit * _options.EnrichersPerArticle
            : _options.BatchMessageLimit;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(limit)
            .SetTimeLimit(_options.BatchTimeLimit)
            .SetConcurrencyLimit(_options.BatchConcurrencyLimit));

        // A store outage: the whole batch is retried with jittered exponential back-off while its messages stay
        // unacknowledged in RabbitMQ. Refused documents never get here (they are dead-lettered, see the consumer).
        consumerConfigurator.UseMessageRetry(r => r.Exponential(
            _options.StoreRetryLimit,
            _options.StoreRetryMinInterval,
            _options.StoreRetryMaxInterval,
            _options.StoreRetryMinInterval));
    }
}
