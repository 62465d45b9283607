using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pipeline.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Indexing.Operations;

/// <summary>
/// Reads the depth of the pipeline's queues from the broker (AMQP passive declares: no management plugin needed) every
/// Operations:QueuePollInterval and reports them as gauges: <c>pipeline.queue.messages</c> and
/// <c>pipeline.queue.consumers</c> per queue, <c>pipeline.queue.dead_letters</c> for the <c>_error</c> and dead-letter
/// queues. It is also a health check: unhealthy, with the reason, when the broker cannot be reached.
/// </summary>
public sealed class QueueDepthMonitor(
    BrokerQueues broker,
    IOptions<OperationsOptions> options,
    IMeterFactory meters,
    ILogger<QueueDepthMonitor> logger)
    : BackgroundService, IHealthCheck
{
    public const string MeterName = "Pipeline.Operations";

    /// <summary>Per service provider (disposed with it), so gauges never report a stopped monitor's numbers.</summary>
    readonly Meter _meter = meters.Create(MeterName);

    readonly ConcurrentDictionary<string, (long Messages, long Consumers)> _depths = new(StringComparer.Ordinal);
    string? _brokerError = "The queues have not been read yet.";

    /// <summary>The queues measured: the indexer's, its error and dead-letter queues, and each enricher's pair.</summary>
    public IReadOnlyList<string> Queues =>
    [
        QueueNames.Indexing,
        QueueNames.ErrorQueueOf(QueueNames.Indexing),
        QueueNames.IndexingDeadLetter,
        .. options.Value.Enrichers.Select(QueueNames.Enricher).SelectMany(q => new[] { q, QueueNames.ErrorQueueOf(q) }),
    ];

    public IReadOnlyDictionary<string, (long Messages, long Consumers)> Depths => _depths;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _meter.CreateObservableGauge("pipeline.queue.messages", () => Measure(_ => true, d => d.Messages), "{message}", "Messages waiting in each pipeline queue.");
        _meter.CreateObservableGauge("pipeline.queue.consumers", () => Measure(_ => true, d => d.Consumers), "{consumer}", "Consumers attached to each pipeline queue.");
        _meter.CreateObservableGauge(
            "pipeline.queue.dead_letters", () => Measure(QueueNames.IsParking, d => d.Messages), "{message}",
            "Messages in the _error and dead-letter queues, waiting for an operator (replay them from the dashboard or the admin API).");
        return base.StartAsync(cancellationToken);
    }

    IEnumerable<Measurement<long>> Measure(Func<string, bool> which, Func<(long Messages, long Consumers), long> value) =>
        _depths.Where(d => which(d.Key)).Select(d => new Measurement<long>(value(d.Value), new KeyValuePair<string, object?>("queue", d.Key)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PollAsync(stoppingToken);
            try
            {
                await Task.Delay(options.Value.QueuePollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads every queue's depth once; a queue that does not exist (yet) is left out.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await broker.ConnectAsync("indexing queue monitor", cancellationToken);
            foreach (var queue in Queues)
            {
                if (await BrokerQueues.ExistsAsync(connection, queue, cancellationToken) is { } ok)
                {
                    _depths[queue] = (ok.MessageCount, ok.ConsumerCount);
                }
                else
                {
                    _depths.TryRemove(queue, out _); // not declared yet
                }
            }

            _brokerError = null;
        }
        catch (Exception e) when (e is BrokerUnreachableException or IOException or OperationInterruptedException or TimeoutException or AlreadyClosedException)
        {
            _brokerError = $"RabbitMQ is unreachable: {e.GetBaseException().Message}";
            logger.LogWarning("Reading queue depths failed: {Reason}", _brokerError);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_brokerError is { } error)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(error));
        }

        var deadLetters = _depths.Where(d => QueueNames.IsParking(d.Key) && d.Value.Messages > 0).ToList();
        return Task.FromResult(deadLetters.Count == 0
            ? HealthCheckResult.Healthy("Broker reachable; no dead letters.")
            : HealthCheckResult.Degraded($"Dead letters waiting: {string.Join(", ", deadLetters.Select(d => $"{d.Key} {d.Value.Messages}"))}. Replay them from the dashboard after fixing the cause."));
    }
}
