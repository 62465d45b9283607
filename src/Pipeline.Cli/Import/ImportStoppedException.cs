namespace Pipeline.Cli.Import;

/// <summary>The ingestion API stayed unavailable for longer than <c>--max-wait</c>: the import stopped before <see cref="Origin"/> of <see cref="File"/>.</summary>
public sealed class ImportStoppedException(string file, string origin, TimeSpan waited, string? reason)
    : Exception($"the ingestion API was unavailable for {waited.TotalSeconds:0} s ({reason}); stopped at {file} {origin}, the first line not sent")
{
    public string File { get; } = file;

    /// <summary>Where the first line not accepted is in its file, e.g. "line 1204".</summary>
    public string Origin { get; } = origin;

    public TimeSpan Waited { get; } = waited;

    public string? Reason { get; } = reason;
}
