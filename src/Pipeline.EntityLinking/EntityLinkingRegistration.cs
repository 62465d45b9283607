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
        builder.Services.AddSingleton<PlaceholderEntityLinker>();
        builder.AddPipelineMessaging(AddEntityLinkingConsumers);
        return builder;
    }

    public static void AddEntityLinkingConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddEnricher<PlaceholderEntityLinker, EntitiesPayload>();
}
