using Pipeline.AppHost.Resilience;

namespace Pipeline.AppHost.Tests;

public sealed class RestartBackoffTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    static RestartBackoff Backoff() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));

    [Fact]
    public void Repeated_crashes_wait_1_2_4_and_so_on_up_to_60_seconds()
    {
        var backoff = Backoff();
        var now = Start;
        var delays = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            backoff.Running(now);
            now += TimeSpan.FromSeconds(5);
            var delay = backoff.Crashed(now);
            delays.Add(delay.TotalSeconds);
            now += delay;
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
        Assert.Equal(9, backoff.Restarts);
    }

    [Fact]
    public void A_crash_after_a_minute_of_running_waits_the_first_delay_again()
    {
        var backoff = Backoff();
        backoff.Running(Start);
        backoff.Crashed(Start.AddSeconds(1));
        backoff.Running(Start.AddSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Crashed(Start.AddSeconds(3)));

        backoff.Running(Start.AddSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Crashed(Start.AddSeconds(70)));
    }

    [Fact]
    public void A_process_that_never_got_to_run_keeps_doubling()
    {
        var backoff = Backoff();
        backoff.Crashed(Start);
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Crashed(Start.AddMinutes(10)));
    }
}
