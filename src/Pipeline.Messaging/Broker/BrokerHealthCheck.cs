using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Pipeline.Messaging.Broker;

/// <summary>
/// Unhealthy while no node of the broker accepts a connection. MassTransit's own bus check cannot say so: it reports
/// Degraded (shown green) while its endpoints reconnect, and Healthy on a service that only publishes. This one opens an
/// AMQP connection to the nodes of <c>ConnectionStrings:rabbitmq</c> (any one answering will do: the bus fails over to
/// it too), at most once per Messaging:HealthProbeCacheTime.
/// </summary>
sealed class BrokerHealthCheck(BrokerConnection broker, IOptions<MessagingOptions> options, IHostEnvironment environment, TimeProvider clock) : IHealthCheck
{
    readonly SemaphoreSlim _probe = new(1, 1);
    (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _probe.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < options.Value.HealthProbeCacheTime)
            {
                return last.Result;
            }

            var result = await ProbeAsync(cancellationToken);
            _last = (clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _probe.Release();
        }
    }

    async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var nodes = string.Join(", ", broker.Nodes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.HealthProbeTimeout);
        try
        {
            await using var connection = await broker.ConnectAsync($"{environment.ApplicationName} health probe", timeout.Token);
            return HealthCheckResult.Healthy($"Broker reachable at {connection.Endpoint.HostName}:{connection.Endpoint.Port}.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(
                $"No broker node accepts a connection ({nodes}): {e.GetBaseException().Message}. Messages cannot be sent or received until one does.");
        }
    }
}
