using MassTransit;
using Microsoft.Extensions.Options;
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
                o => string.IsNullOrWhiteSpace(o.LinkerModelPath) || File.Exists(o.LinkerModelPath),
                $"{EntityLinkingOptions.SectionName}:LinkerModelPath does not name an existing file (empty means the ranker built into the service).")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntityLinkingOptions>, KnowledgeBasePathsValidation>();
        services.AddSingleton<KnowledgeBaseEntityLinker>();
        services.AddHostedService<KnowledgeBaseWarmUp>();
        return services;
    }

    public static void AddEntityLinkingConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddEnricher<KnowledgeBaseEntityLinker, EntitiesPayload>();

    /// <summary>The KB paths, with a message that names the setting and the entry at fault.</summary>
    sealed class KnowledgeBasePathsValidation : IValidateOptions<EntityLinkingOptions>
    {
        public ValidateOptionsResult Validate(string? name, EntityLinkingOptions options) =>
            options.KnowledgeBasePathProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

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
