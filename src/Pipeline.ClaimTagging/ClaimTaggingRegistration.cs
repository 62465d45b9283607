using MassTransit;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.ClaimTagging;

public static class ClaimTaggingRegistration
{
    public static IHostApplicationBuilder AddClaimTagging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PlaceholderClaimTagger>();
        builder.AddPipelineMessaging(AddClaimTaggingConsumers);
        return builder;
    }

    public static void AddClaimTaggingConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddEnricher<PlaceholderClaimTagger, ClaimsPayload>();
}
