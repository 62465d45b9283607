using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pipeline.Messaging.Enrichment;

public static class EnricherRegistration
{
    /// <summary>Registers an enricher's consumer on its own endpoint. The enricher itself is registered by the caller.</summary>
    public static IBusRegistrationConfigurator AddEnricher<TEnricher, TPayload>(this IBusRegistrationConfigurator bus)
        where TEnricher : class, IArticleEnricher<TPayload>
        where TPayload : class
    {
        EnricherDeclaration.Validate(TEnricher.Name, TEnricher.Fields);
        bus.TryAddSingleton(TimeProvider.System);
        bus.AddConsumer<EnrichmentConsumer<TEnricher, TPayload>, EnrichmentConsumerDefinition<TEnricher, TPayload>>();
        return bus;
    }

    /// <summary>
    /// Registers a batch enricher's consumer on its own endpoint (the same queue name as the single-article form),
    /// batch limits from <see cref="EnrichmentBatchOptions"/> (section <c>Enrichment:Batch</c>). The enricher itself is
    /// registered by the caller.
    /// </summary>
    public static IBusRegistrationConfigurator AddBatchEnricher<TEnricher, TPayload>(this IBusRegistrationConfigurator bus)
        where TEnricher : class, IArticleBatchEnricher<TPayload>
        where TPayload : class
    {
        EnricherDeclaration.Validate(TEnricher.Name, TEnricher.Fields);
        bus.TryAddSingleton(TimeProvider.System);
        bus.AddOptions<EnrichmentBatchOptions>().BindConfiguration(EnrichmentBatchOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        bus.AddConsumer<BatchEnrichmentConsumer<TEnricher, TPayload>, BatchEnrichmentConsumerDefinition<TEnricher, TPayload>>();
        return bus;
    }
}
