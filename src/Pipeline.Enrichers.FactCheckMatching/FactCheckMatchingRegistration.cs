using MassTransit;
using Pipeline.Enrichers.FactCheckMatching.Matching;
using Pipeline.Messaging;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.Enrichers.FactCheckMatching;

public static class FactCheckMatchingRegistration
{
    public static IHostApplicationBuilder AddFactCheckMatching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddFactCheckMatcher();
        builder.AddPipelineMessaging(AddFactCheckMatchingConsumers);
        return builder;
    }

    /// <summary>The matcher and its validated options; the catalogue is loaded at start, not on the first article.</summary>
    public static IServiceCollection AddFactCheckMatcher(this IServiceCollection services)
    {
        services.AddOptions<FactCheckMatchingOptions>()
            .BindConfiguration(FactCheckMatchingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.ResolvedFactChecksPath), $"{FactCheckMatchingOptions.SectionName}:FactChecksPath does not name an existing JSON Lines file (empty means ../shared/data/factchecks/snopes-vclaims.jsonl).")
            .ValidateOnStart();
        services.AddSingleton(sp => FactCheckCatalog.Load(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FactCheckMatchingOptions>>().Value.ResolvedFactChecksPath));
        services.AddSingleton<FactCheckEnricher>();
        return services;
    }

    public static void AddFactCheckMatchingConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddEnricher<FactCheckEnricher, FactCheckMatches>();
}
