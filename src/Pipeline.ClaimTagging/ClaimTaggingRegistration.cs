using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.ClaimTagging.Llm;
using Pipeline.ClaimTagging.Offline;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.ClaimTagging;

public static class ClaimTaggingRegistration
{
    public static IHostApplicationBuilder AddClaimTagging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddClaimTaggers();
        builder.AddLlmHealthCheck();
        builder.AddPipelineMessaging(AddClaimTaggingConsumers);
        return builder;
    }

    /// <summary>
    /// The offline tagger always (it is the fallback), and the LLM tagger in front of it when
    /// <c>ConnectionStrings:llm</c> is set and <c>ClaimTagging:Tagger</c> is auto or llm.
    /// </summary>
    public static IServiceCollection AddClaimTaggers(this IServiceCollection services)
    {
        services.AddOptions<ClaimTaggingOptions>().BindConfiguration(ClaimTaggingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClaimTaggingOptions>, LlmConnectionValidation>();
        // The container disposes the embedders with the owner at shutdown.
        services.AddSingleton(sp => ClaimTaggers.CreateOffline(cacheEntries: sp.GetRequiredService<IOptions<ClaimTaggingOptions>>().Value.SentenceCacheEntries));
        services.AddSingleton(sp => sp.GetRequiredService<OwnedOfflineTagger>().Tagger);
        services.AddHostedService<OfflineTaggerWarmUp>();
        services.AddSingleton<IClaimTagger>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClaimTaggingOptions>>().Value;
            var offline = sp.GetRequiredService<OfflineClaimTagger>();
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(LlmConnection.ConnectionStringName);
            if (options.Tagger == "offline" || string.IsNullOrWhiteSpace(connectionString))
            {
                return offline;
            }

            var connection = LlmConnection.Parse(connectionString);
            return new LlmClaimTagger(connection.CreateChatService(options.LlmTimeout), connection.Model, offline, options,
                logger: sp.GetRequiredService<ILogger<LlmClaimTagger>>(), time: sp.GetService<TimeProvider>());
        });
        services.AddSingleton<ClaimTaggingEnricher>();
        return services;
    }

    public static void AddClaimTaggingConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddBatchEnricher<ClaimTaggingEnricher, ClaimsPayload>();

    /// <summary>
    /// Loads the embedding models (seconds; longer on a busy machine) and runs each once while the service starts,
    /// so the first article does not wait for them and a consumer's first message is not held up.
    /// </summary>
    sealed class OfflineTaggerWarmUp(OwnedOfflineTagger owned) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            string[] warmUp = ["Warm-up sentence for the embedding models."];
            owned.Tagger.Embedder.Embed(warmUp);
            owned.Tagger.RefinerEmbedder?.Embed(warmUp);
            // And the rest of the path once (screen, classifiers, rules: JIT and regular expressions).
            owned.Tagger.Tag("Warm-up: unemployment fell to 3.5 percent last year, the minister said. Thank you.");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Fails the start when the LLM is required but not configured, or its connection string is malformed.</summary>
    sealed class LlmConnectionValidation(IConfiguration configuration) : IValidateOptions<ClaimTaggingOptions>
    {
        public ValidateOptionsResult Validate(string? name, ClaimTaggingOptions options)
        {
            var connectionString = configuration.GetConnectionString(LlmConnection.ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                return options.Tagger == "llm"
                    ? ValidateOptionsResult.Fail("ClaimTagging:Tagger is llm but ConnectionStrings:llm is not set.")
                    : ValidateOptionsResult.Success;
            }

            try
            {
                LlmConnection.Parse(connectionString);
                return ValidateOptionsResult.Success;
            }
            catch (FormatException exception)
            {
                return ValidateOptionsResult.Fail(exception.Message);
            }
        }
    }
}
