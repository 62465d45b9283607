using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;

namespace Pipeline.Messaging.Enrichment;

/// <summary>Runs one enricher for every ingested article and publishes its result as <see cref="ArticleEnriched"/>.</summary>
public sealed class EnrichmentConsumer<TEnricher, TPayload>(TEnricher enricher, TimeProvider clock) : IConsumer<ArticleIngested>
    where TEnricher : class, IArticleEnricher<TPayload>
    where TPayload : class
{
    public async Task Consume(ConsumeContext<ArticleIngested> context)
    {
        var article = context.Message;
        var started = Stopwatch.GetTimestamp();
        var payload = await enricher.EnrichAsync(article, context.CancellationToken);
        EnrichmentTelemetry.RecordEnrichment(TEnricher.Name, Stopwatch.GetElapsedTime(started));

        var enrichment = EnrichmentPayloads.Create(TEnricher.Name, enricher.Version, article, payload, clock.GetUtcNow()) with
        {
            Fields = TEnricher.Fields,
        };
        await context.Publish(enrichment, context.CancellationToken);
        EnrichmentTelemetry.RecordLag(TEnricher.Name, enrichment.ProducedAt - article.IngestedAt);
    }
}

/// <summary>Gives each enricher its own queue, named after it (e.g. <c>claims-enricher</c>).</summary>
public sealed class EnrichmentConsumerDefinition<TEnricher, TPayload> : ConsumerDefinition<EnrichmentConsumer<TEnricher, TPayload>>
    where TEnricher : class, IArticleEnricher<TPayload>
    where TPayload : class
{
    readonly MessagingOptions _options;

    public EnrichmentConsumerDefinition(IOptions<MessagingOptions> options)
    {
        _options = options.Value;
        EndpointName = QueueNames.Enricher(TEnricher.Name);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EnrichmentConsumer<TEnricher, TPayload>> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UsePipelineRetry(consumerConfigurator, _options);
}
