using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Indexing.Consumers;
using Pipeline.Indexing.Writing;
using Pipeline.Messaging;
using Pipeline.SearchStore;

namespace Pipeline.Indexing;

public static class IndexingRegistration
{
    public static IHostApplicationBuilder AddIndexing(this IHostApplicationBuilder builder)
    {
        AddIndexingOptions(builder.Services);
        builder.AddArticleIndex();
        AddIndexWriter(builder.Services);
        builder.AddPipelineMessaging(AddIndexingConsumers);
        builder.AddPipelineParkingQueue(QueueNames.IndexingDeadLetter);
        return builder;
    }

    public static IServiceCollection AddIndexingOptions(IServiceCollection services)
    {
        services.AddOptions<IndexingOptions>()
            .BindConfiguration(IndexingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.StoreRetryMinInterval <= o.StoreRetryMaxInterval, "Indexing:StoreRetryMinInterval must not exceed Indexing:StoreRetryMaxInterval.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>The group-commit writer the concurrent batches share.</summary>
    public static IServiceCollection AddIndexWriter(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IndexWriteCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<IndexWriteCoalescer>());
        return services;
    }

    public static void AddIndexingConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<IndexBatchConsumer, IndexBatchConsumerDefinition>();
    }
}
