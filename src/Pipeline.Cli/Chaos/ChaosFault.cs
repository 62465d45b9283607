namespace Pipeline.Cli.Chaos;

/// <summary>
/// One fault of the schedule: what is hit and how (<see cref="InjectAsync"/>), and how it comes back
/// (<see cref="RestoreAsync"/>, which returns once the thing hit is healthy again).
/// </summary>
public sealed record ChaosFault(string Description, Func<Task> InjectAsync, Func<CancellationToken, Task> RestoreAsync);

/// <summary>What happened to one fault: when it was injected, when the thing hit was healthy, when the pipeline made progress again.</summary>
public sealed record FaultOutcome(string Description, TimeSpan At, TimeSpan Healthy, TimeSpan? Progress)
{
    /// <summary>From the fault until the thing hit is healthy and the pipeline has made progress (whichever is later).</summary>
    public TimeSpan Recovery => (Progress is { } progress && progress > Healthy ? progress : Healthy) - At;
}

/// <summary>A service process that exited without being killed by a fault, when, and the last lines it printed.</summary>
public sealed record UnexpectedExit(string Name, TimeSpan At, string Output);
