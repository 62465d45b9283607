using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Messaging;

namespace Pipeline.Indexing.Consumers;

/// <summary>The batch consumer's <c>indexing</c> queue: batch limits, prefetch and the store-outage retry come from <see cref="IndexingOptions"/>.</summary>
public sealed class IndexBatchConsumerDefinition : ConsumerDefinition<IndexBatchConsumer>
{
    readonly IndexingOptions _options;

    public IndexBatchConsumerDefinition(IOptions<IndexingOptions> options)
    {
        _options = options.Value;
        EndpointName = QueueNames.Indexing;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<IndexBatchConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.EffectivePrefetchCount;
        endpointConfigurator.ConcurrentMessageLimit = _options.EffectivePrefetchCount;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(_options.BatchMessageLimit)
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
