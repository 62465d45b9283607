namespace Pipeline.Cli.Bench;

public sealed record IndexingBenchmarkSettings(int Articles, int DrainMessages, int LatencySeconds, ushort Prefetch)
{
    public int Messages => Articles * 3;

    public int DrainArticles => (DrainMessages + 2) / 3;
}
