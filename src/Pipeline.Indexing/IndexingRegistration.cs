using MassTransit;
using Pipeline.Indexing.Consumers;
using Pipeline.Messaging;
using Pipeline.SearchStore;

namespace Pipeline.Indexing;

public static class IndexingRegistration
{
    public static IHostApplicationBuilder AddIndexing(this IHostApplicationBuilder builder)
    {
        AddIndexingOptions(builder.Services);
        builder.AddArticleIndex();
        builder.AddPipelineMessaging(AddIndexingConsumers);
        return builder;
    }

    public static IServiceCollection AddIndexingOptions(IServiceCollection services)
    {
        services.AddOptions<IndexingOptions>()
            .BindConfiguration(IndexingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static void AddIndexingConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ArticleIngestedBatchConsumer, IndexBatchConsumerDefinition<ArticleIngestedBatchConsumer>>();
        bus.AddConsumer<ArticleEnrichedBatchConsumer, IndexBatchConsumerDefinition<ArticleEnrichedBatchConsumer>>();
    }
}
