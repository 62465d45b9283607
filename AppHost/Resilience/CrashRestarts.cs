using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.AppHost.Resilience;

/// <summary>
/// A service or broker node whose process dies without anyone asking it to stop is started again by the AppHost, as a
/// process supervisor would: after <see cref="CrashRestartSettings.FirstDelay"/>, doubling with each further crash up to
/// <see cref="CrashRestartSettings.MaxDelay"/>, back to the first delay once the process has run for
/// <see cref="CrashRestartSettings.ResetAfter"/>. A resource the user stopped (Stop in the dashboard, or the AppHost
/// shutting down) passes through the Stopping state first and is left alone. Each restart is written to the
/// resource's console log in the dashboard.
/// </summary>
static class CrashRestartExtensions
{
    public static void AddCrashRestarts(this IDistributedApplicationBuilder builder, PipelineSettings settings)
    {
        if (settings.CrashRestarts.Enabled)
        {
            builder.Services.AddSingleton(settings.CrashRestarts);
            builder.Services.AddHostedService<CrashRestarter>();
        }
    }
}

sealed class CrashRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLoggers,
    IHostApplicationLifetime lifetime,
    CrashRestartSettings settings,
    ILogger<CrashRestarter> logger) : BackgroundService
{
    readonly ConcurrentDictionary<string, Instance> _instances = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var change in notifications.WatchAsync(stopping.Token))
            {
                if (change.Resource is ProjectResource or ExecutableResource)
                {
                    Observe(change, stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping: nothing is restarted any more.
        }
    }

    void Observe(ResourceEvent change, CancellationToken cancellationToken)
    {
        var instance = _instances.GetOrAdd(change.ResourceId, _ => new Instance(settings));
        var state = change.Snapshot.State?.Text;
        var previous = instance.State;
        if (state == previous)
        {
            return;
        }

        instance.State = state;
        var now = TimeProvider.System.GetUtcNow();
        if (state == KnownResourceStates.Stopping)
        {
            instance.StopRequested = true;
        }
        else if (state == KnownResourceStates.Starting)
        {
            instance.StopRequested = false;
        }
        else if (state == KnownResourceStates.Running)
        {
            instance.StopRequested = false;
            instance.Backoff.Running(now);
        }
        else if (IsExited(state) && IsAlive(previous) && !instance.StopRequested && !cancellationToken.IsCancellationRequested)
        {
            var delay = instance.Backoff.Crashed(now);
            var resourceLogger = resourceLoggers.GetLogger(change.ResourceId);
            resourceLogger.LogWarning(
                "Exited with code {ExitCode} without a stop request; the AppHost starts it again in {Delay} s (crash restart {Count}).",
                change.Snapshot.ExitCode, delay.TotalSeconds, instance.Backoff.Restarts);
            logger.LogWarning("{Resource} exited with code {ExitCode} without a stop request; restarting in {Delay} s", change.ResourceId, change.Snapshot.ExitCode, delay.TotalSeconds);
            _ = RestartAsync(change.ResourceId, instance, delay, resourceLogger, cancellationToken);
        }
    }

    async Task RestartAsync(string resourceId, Instance instance, TimeSpan delay, ILogger resourceLogger, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);

            // Someone pressed Start (or Stop) meanwhile: theirs is the last word.
            if (!IsExited(instance.State) || instance.StopRequested)
            {
                return;
            }

            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, cancellationToken);
            if (!result.Success)
            {
                resourceLogger.LogError("The AppHost could not start it again: {Error}", result.Message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception e)
        {
            resourceLogger.LogError(e, "The AppHost could not start it again");
        }
    }

    static bool IsExited(string? state) => state == KnownResourceStates.Exited || state == KnownResourceStates.Finished;

    static bool IsAlive(string? state) =>
        state == KnownResourceStates.Running || state == KnownResourceStates.Starting || state == KnownResourceStates.RuntimeUnhealthy;

    /// <summary>What the restarter knows of one process (one replica of a resource).</summary>
    sealed class Instance(CrashRestartSettings settings)
    {
        public volatile string? State;

        public volatile bool StopRequested;

        public RestartBackoff Backoff { get; } = new(settings.FirstDelay, settings.MaxDelay, settings.ResetAfter);
    }
}
