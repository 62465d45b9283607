namespace Pipeline.AppHost.Resilience;

/// <summary>
/// The delay before each restart of one process: <c>first</c>, doubling with every further crash up to <c>max</c>, and
/// <c>first</c> again once the process has run for <c>resetAfter</c> before it crashed.
/// </summary>
public sealed class RestartBackoff(TimeSpan first, TimeSpan max, TimeSpan resetAfter)
{
    TimeSpan _delay;
    DateTimeOffset? _runningSince;

    /// <summary>Restarts so far.</summary>
    public int Restarts { get; private set; }

    /// <summary>The process is running (again) since <paramref name="now"/>.</summary>
    public void Running(DateTimeOffset now) => _runningSince = now;

    /// <summary>The process crashed at <paramref name="now"/>: how long to wait before starting it again.</summary>
    public TimeSpan Crashed(DateTimeOffset now)
    {
        var ranLong = _runningSince is { } since && now - since >= resetAfter;
        _delay = ranLong || _delay == TimeSpan.Zero ? first : TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, max.Ticks));
        _runningSince = null;
        Restarts++;
        return _delay;
    }
}
