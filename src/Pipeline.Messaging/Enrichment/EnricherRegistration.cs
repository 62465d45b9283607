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
}
