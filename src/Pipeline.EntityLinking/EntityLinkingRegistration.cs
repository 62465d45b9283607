using MassTransit;
using Pipeline.Contracts;
using Pipeline.EntityLinking.Linking;
using Pipeline.Messaging;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.EntityLinking;

public static class EntityLinkingRegistration
{
    public static IHostApplicationBuilder AddEntityLinking(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEntityLinker();
        builder.AddPipelineMessaging(AddEntityLinkingConsumers);
        return builder;
    }

    /// <summary>The linker and its validated options; the knowledge base is loaded at start, not on the first article.</summary>
    public static IServiceCollection AddEntityLinker(this IServiceCollection services)
    {
        services.AddOptions<EntityLinkingOptions>()
            .BindConfiguration(EntityLinkingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => File.Exists(o.ResolvedKnowledgeBasePath) || Directory.Exists(o.ResolvedKnowledgeBasePath),
                $"{EntityLinkingOptions.SectionName}:KnowledgeBasePath does not name an existing KB file or directory (empty means ../shared/data/kb next to the repository).")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.LinkerModelPath) || File.Exists(o.LinkerModelPath),
                $"{EntityLinkingOptions.SectionName}:LinkerModelPath does not name an existing file (empty means the ranker built into the service).")
            .ValidateOnStart();
        services.AddSingleton<KnowledgeBaseEntityLinker>();
        services.AddHostedService<KnowledgeBaseWarmUp>();
        return services;
    }

    public static void AddEntityLinkingConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddEnricher<KnowledgeBaseEntityLinker, EntitiesPayload>();

    sealed class KnowledgeBaseWarmUp(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<KnowledgeBaseEntityLinker>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
