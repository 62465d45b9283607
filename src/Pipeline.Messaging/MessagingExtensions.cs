using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Pipeline.Messaging;

public static class MessagingExtensions
{
    /// <summary>The Aspire connection-string key (and AppHost resource name) of the broker.</summary>
    public const string ConnectionName = "rabbitmq";

    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:rabbitmq</c>: kebab-case endpoints, publisher confirms,
    /// exponential retry (plus delayed redelivery where the broker supports it), failed messages kept in _error queues,
    /// usage telemetry off.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.RetryMinInterval <= o.RetryMaxInterval, "Messaging:RetryMinInterval must not exceed Messaging:RetryMaxInterval.")
            .ValidateOnStart();

        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not set. Run the service from the AppHost (./run), or set it, " +
                "e.g. ConnectionStrings__rabbitmq=amqp://guest:guest@127.0.0.1:5672.");
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var brokerUri) || brokerUri.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} must be an amqp:// or amqps:// URI, got '{connectionString}'.");
        }

        var connectionName = builder.Environment.ApplicationName;
        builder.Services.AddMassTransit(x =>
        {
            // The pipeline runs offline: MassTransit would otherwise report usage to its vendor's host at every start.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            configureConsumers?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(brokerUri, h =>
                {
                    var (user, password) = Credentials(brokerUri);
                    h.Username(user);
                    h.Password(password);
                    h.PublisherConfirmation = true;
                    h.ConnectionName(connectionName);
                });
                cfg.ConfigureEndpoints(context);
            });
        });
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

    static (string User, string Password) Credentials(Uri brokerUri)
    {
        if (string.IsNullOrEmpty(brokerUri.UserInfo))
        {
            return ("guest", "guest");
        }

        var parts = brokerUri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
