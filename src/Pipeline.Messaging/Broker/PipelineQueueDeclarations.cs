using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Messaging.Broker;

/// <summary>A queue the service sends to and nobody consumes from (see <c>AddPipelineParkingQueue</c>).</summary>
public sealed record ParkingQueue(string Name);

/// <summary>The pipeline queues this service reads or writes to, declared by <see cref="PipelineQueueDeclarations"/> at start.</summary>
public sealed class PipelineQueueRegistry
{
    readonly Dictionary<string, PipelineQueueRole> _queues = new(StringComparer.Ordinal);
    readonly Lock _lock = new();

    public void Add(string queue, PipelineQueueRole role)
    {
        lock (_lock)
        {
            _queues[queue] = role;
        }
    }

    public IReadOnlyList<(string Queue, PipelineQueueRole Role)> Queues
    {
        get
        {
            lock (_lock)
            {
                return [.. _queues.Select(q => (q.Key, q.Value))];
            }
        }
    }
}

/// <summary>
/// Declares this service's pipeline queues before its bus starts, with the arguments <see cref="PipelineQueues"/> gives.
/// What it adds: a queue left from another configuration (a classic queue after the switch to quorum) stops the start
/// with a <see cref="QueueTypeMismatchException"/> naming the queue and the fix, instead of MassTransit retrying its
/// endpoint forever with the broker's PRECONDITION_FAILED in the log; and the queues the service only sends to (its
/// _error queues, the dead-letter queue) exist before its first send. A broker that cannot be reached at start is not an
/// error: the declarations are retried in the background until it can (a mismatch found then stops the service), the bus
/// reconnects on its own, and /health says Unhealthy meanwhile.
/// </summary>
sealed class PipelineQueueDeclarations(
    PipelineQueueRegistry registry,
    IEnumerable<ParkingQueue> parkingQueues,
    BrokerConnection broker,
    IOptions<MessagingOptions> options,
    IServiceProvider services,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<PipelineQueueDeclarations> logger) : IHostedService, IDisposable
{
    static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    readonly CancellationTokenSource _stopping = new();
    Task _retries = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Building the bus runs the endpoint callbacks that register the consumer queues (the bus is not started here).
        _ = services.GetService(typeof(MassTransit.IBus));
        foreach (var parking in parkingQueues)
        {
            registry.Add(parking.Name, PipelineQueueRole.Parking);
        }

        if (registry.Queues.Count == 0 || await TryDeclareAsync(cancellationToken))
        {
            return;
        }

        _retries = Task.Run(RetryUntilDeclaredAsync, CancellationToken.None);
    }

    async Task RetryUntilDeclaredAsync()
    {
        try
        {
            do
            {
                await Task.Delay(RetryInterval, _stopping.Token);
            }
            while (!await TryDeclareAsync(_stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (QueueTypeMismatchException e)
        {
            logger.LogCritical(e, "Stopping: {Reason}", e.Message);
            lifetime.StopApplication();
        }
    }

    /// <summary>True when every queue is declared; false when the broker cannot be reached; a mismatch throws.</summary>
    async Task<bool> TryDeclareAsync(CancellationToken cancellationToken)
    {
        var queues = registry.Queues;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.HealthProbeTimeout * 2);
            await using var connection = await broker.ConnectAsync($"{environment.ApplicationName} queue declarations", timeout.Token);
            foreach (var (queue, role) in queues)
            {
                await PipelineQueues.DeclareAsync(connection, queue, role, options.Value, cancellationToken);
            }

            logger.LogInformation(
                "Declared {Count} {Type} queues: {Queues}", queues.Count, options.Value.QueueType, string.Join(", ", queues.Select(q => q.Queue)));
            return true;
        }
        catch (Exception e) when (e is BrokerUnreachableException or IOException or TimeoutException or OperationCanceledException or AlreadyClosedException
                                      && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(
                "The broker cannot be reached to declare the queues ({Reason}); trying again every {Interval}.", e.GetBaseException().Message, RetryInterval);
            return false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retries.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();
}
