namespace Pipeline.Search.Tests.Watches;

/// <summary>A clock that stands still until the test moves it (only the time: timers are the system's).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
