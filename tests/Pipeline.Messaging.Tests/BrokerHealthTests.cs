using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Pipeline.Processes;

namespace Pipeline.Messaging.Tests;

public sealed record HealthProbeMessage(Guid Id);

public sealed class HealthProbeConsumer(HealthProbeConsumer.Received received) : IConsumer<HealthProbeMessage>
{
    public sealed class Received
    {
        public TaskCompletionSource<Guid> Message { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task Consume(ConsumeContext<HealthProbeMessage> context)
    {
        received.Message.TrySetResult(context.Message.Id);
        return Task.CompletedTask;
    }
}

/// <summary>What a service's /health says about the broker, and where it connects when given several nodes.</summary>
public sealed class BrokerHealthTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static IHost BuildService(string connectionString, bool consumer)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = connectionString,
            ["Messaging:HealthProbeCacheTime"] = "00:00:00",
            ["Messaging:HealthProbeTimeout"] = "00:00:02",
        });
        builder.Services.AddSingleton<HealthProbeConsumer.Received>();
        builder.AddPipelineMessaging(x =>
        {
            if (consumer)
            {
                x.AddConsumer<HealthProbeConsumer>().Endpoint(e => e.Name = "health-probe-enricher");
            }
        });
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        return builder.Build();
    }

    static Task<HealthReport> HealthAsync(IHost service) => service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Cancel);

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // publish-only, as ingestion: MassTransit's own check has no endpoint to judge and stays Healthy
    public async Task A_service_whose_broker_node_is_stopped_is_unhealthy_naming_the_node(bool consumer)
    {
        var node = await RabbitMqNode.StartAsync(Cancel);
        using var service = BuildService(node.ConnectionString, consumer);
        HealthReport before, after;
        try
        {
            await service.StartAsync(Cancel);
            before = await HealthAsync(service);
        }
        finally
        {
            await node.DisposeAsync();
        }

        after = await HealthAsync(service);
        await service.StopAsync(Cancel);

        Assert.Equal(HealthStatus.Healthy, before.Entries["rabbitmq"].Status);
        Assert.Equal(HealthStatus.Unhealthy, after.Entries["rabbitmq"].Status);
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
        Assert.Contains($"127.0.0.1:{node.Port}", after.Entries["rabbitmq"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_given_several_nodes_connects_to_the_first_that_answers_and_its_messages_flow()
    {
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        var down = $"amqp://guest:guest@127.0.0.1:{FreePorts.Next()}";
        using var service = BuildService($"{down},{node.ConnectionString}", consumer: true);
        await service.StartAsync(Cancel);

        var id = Guid.NewGuid();
        await service.Services.GetRequiredService<IBus>().Publish(new HealthProbeMessage(id), Cancel);
        var received = await service.Services.GetRequiredService<HealthProbeConsumer.Received>().Message.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        var health = await HealthAsync(service);
        await service.StopAsync(Cancel);

        Assert.Equal(id, received);
        Assert.Equal(HealthStatus.Healthy, health.Entries["rabbitmq"].Status);
        Assert.Contains($"127.0.0.1:{node.Port}", health.Entries["rabbitmq"].Description, StringComparison.Ordinal);
    }
}
