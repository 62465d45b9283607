using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Messaging.Broker;

namespace Pipeline.Messaging;

public static class MessagingExtensions
{
    /// <summary>The Aspire connection-string key (and AppHost resource name) of the broker.</summary>
    public const string ConnectionName = BrokerConnection.ConnectionName;

    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:rabbitmq</c> (one node, or a cluster: one URI per node,
    /// comma-separated): kebab-case endpoints, publisher confirms, the pipeline's queues declared as
    /// <c>Messaging:QueueType</c> (quorum by default, with a delivery limit), exponential retry (plus delayed redelivery
    /// where the broker supports it), failed messages kept in _error queues, a broker health check that says Unhealthy
    /// while no node can be reached, usage telemetry off.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.RetryMinInterval <= o.RetryMaxInterval, "Messaging:RetryMinInterval must not exceed Messaging:RetryMaxInterval.")
            .Validate(o => Enum.IsDefined(o.QueueType), "Messaging:QueueType must be quorum or classic.")
            .ValidateOnStart();

        var broker = BrokerConnection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(broker);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<PipelineQueueRegistry>();

        // Before MassTransit's hosted service, so a queue of the wrong type stops the start with a clear message.
        builder.Services.AddHostedService<PipelineQueueDeclarations>();
        builder.Services.AddHealthChecks().Add(new("rabbitmq", sp => ActivatorUtilities.CreateInstance<BrokerHealthCheck>(sp), HealthStatus.Unhealthy, ["ready"]));

        var connectionName = builder.Environment.ApplicationName;
        builder.Services.AddMassTransit(x =>
        {
            // The pipeline runs offline: MassTransit would otherwise report usage to its vendor's host at every start.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();

            // Every endpoint ConfigureEndpoints creates is a pipeline queue (the indexer's, each enricher's); the bus's own
            // temporary endpoint is not one of them and stays an auto-delete classic queue.
            x.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    PipelineQueues.Configure(rabbit, queue, context.GetRequiredService<IOptions<MessagingOptions>>().Value);
                    context.GetRequiredService<PipelineQueueRegistry>().Add(queue, PipelineQueueRole.Consumer);
                }
            });
            configureConsumers?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(broker.FirstNodeUri, h =>
                {
                    h.Username(broker.UserName);
                    h.Password(broker.Password);
                    h.PublisherConfirmation = true;
                    h.ConnectionName(connectionName);
                    if (broker.Nodes.Count > 1)
                    {
                        h.UseCluster(cluster =>
                        {
                            foreach (var node in broker.Nodes)
                            {
                                cluster.Node(node.ToString());
                            }
                        });
                    }
                });
                cfg.SendTopology.ConfigureErrorSettings = PipelineQueues.ConfigureParking;
                cfg.SendTopology.ConfigureDeadLetterSettings = PipelineQueues.ConfigureParking;
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>
    /// A queue this service sends to but nobody consumes from (e.g. the indexing dead-letter queue): declared at start
    /// with the pipeline's arguments; send to it as <c>exchange:{queue}</c>, since a <c>queue:</c> address would make
    /// MassTransit declare it again without them, which the broker refuses for a quorum queue.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineParkingQueue(this IHostApplicationBuilder builder, string queue)
    {
        builder.Services.AddSingleton(new ParkingQueue(queue));
        return builder;
    }

    /// <summary>
    /// The standard retry policy of a consumer: exponential in-process retries, then (where the broker supports it)
    /// delayed redeliveries, then the endpoint's _error queue. Retries are set per consumer, not per bus, so that a
    /// consumer with different needs (the indexer's batches) is not retried twice by nested policies.
    /// </summary>
    public static void UsePipelineRetry<TConsumer>(
        this IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<TConsumer> consumer,
        MessagingOptions options)
        where TConsumer : class
    {
        if (options.DelayedRedelivery)
        {
            endpoint.UseDelayedRedelivery(r => r.Intervals(options.RedeliveryIntervals));
        }

        consumer.UseMessageRetry(r => r.Exponential(
            options.RetryLimit,
            options.RetryMinInterval,
            options.RetryMaxInterval,
            TimeSpan.FromTicks(Math.Max(options.RetryMinInterval.Ticks, TimeSpan.FromMilliseconds(100).Ticks))));
    }
}
