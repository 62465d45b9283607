using Xunit;

namespace Pipeline.Testing;

/// <summary>Polls a condition until it holds or a deadline passes: the one place tests wait for something to happen.</summary>
public static class Eventually
{
    /// <summary>
    /// Returns the first value of <paramref name="probe"/> that <paramref name="done"/> accepts; fails the test with
    /// <paramref name="what"/> and the last value (or exception) seen once <paramref name="timeout"/> has passed.
    /// </summary>
    public static async Task<T> HoldsAsync<T>(
        Func<CancellationToken, Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        object? last = null;
        while (true)
        {
            try
            {
                var value = await probe(cancellationToken);
                if (done(value))
                {
                    return value;
                }

                last = value;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = e.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Within {timeout.TotalSeconds:F0} s: {what}. Last seen: {Describe(last)}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
