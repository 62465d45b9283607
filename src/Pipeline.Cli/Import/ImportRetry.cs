namespace Pipeline.Cli.Import;

/// <summary>
/// How <see cref="ArticleImporter"/> waits out an unavailable ingestion API or broker: back-off from
/// <see cref="FirstBackOff"/> doubling up to <see cref="MaxBackOff"/> (or the API's Retry-After when it sends one),
/// for at most <see cref="MaxWait"/> without any line answered, then it stops.
/// </summary>
public sealed record ImportRetry(TimeSpan MaxWait)
{
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(10);

    public TimeSpan FirstBackOff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is not believed (the wait is still bounded by <see cref="MaxWait"/>).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The pause before attempt <paramref name="failures"/> + 1 of an outage.</summary>
    public TimeSpan BackOff(int failures, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        var doubled = FirstBackOff * Math.Pow(2, Math.Min(failures - 1, 16));
        return doubled < MaxBackOff ? doubled : MaxBackOff;
    }

    /// <summary>Parses "90s", "10m", "1h" or plain seconds ("600").</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var (number, unit) = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }

        duration = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.MinValue,
        };
        return duration != TimeSpan.MinValue;
    }
}
