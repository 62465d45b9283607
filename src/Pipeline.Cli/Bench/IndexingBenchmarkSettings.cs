namespace Pipeline.Cli.Bench;

public sealed record IndexingBenchmarkSettings(int Articles, int DrainMessages, int LatencySeconds, ushort Prefetch)
{
    /// <summary>The rows a run measures, by their short names; all of them unless <c>--rows</c> says otherwise.</summary>
    public static readonly IReadOnlyList<string> AllRows = ["c1", "c2", "c3", "e", "latency", "drain"];

    public IReadOnlySet<string> Rows { get; init; } = AllRows.ToHashSet(StringComparer.Ordinal);

    /// <summary>Articles per second of the latency row; 0 means half of E (which then has to run).</summary>
    public double LatencyRate { get; init; }

    public int Messages => Articles * 3;

    public int DrainArticles => (DrainMessages + 2) / 3;

    public bool Runs(string row) => Rows.Contains(row);
}
