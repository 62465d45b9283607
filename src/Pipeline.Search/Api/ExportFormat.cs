using System.Buffers;

namespace Pipeline.Search.Api;

/// <summary>
/// Writes export rows, typed value by value, into a buffer (the response's <see cref="System.IO.Pipelines.PipeWriter"/>);
/// the caller flushes it. A row is the values of every column, in the columns' order, then <see cref="EndRow"/>.
/// </summary>
public abstract class ExportFormat
{
    /// <summary>csv or ndjson, as the <c>format</c> parameter names it.</summary>
    public abstract string Name { get; }

    public abstract string ContentType { get; }

    /// <summary>What goes before the first row (a CSV's byte order mark and header).</summary>
    public abstract void Start(IBufferWriter<byte> output, IReadOnlyList<string> columns);

    public abstract void Text(string? value);

    public abstract void Number(double? value);

    public abstract void Integer(long? value);

    public abstract void Flag(bool? value);

    /// <summary>A time as ISO 8601 in UTC, e.g. 2024-01-15T12:00:00Z (fractions of a second only when there are any).</summary>
    public abstract void Time(DateTimeOffset? value);

    public abstract void List(IReadOnlyList<string> values);

    public abstract void EndRow();

    public const string IsoUtc = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>The format the <c>format</c> parameter names, or null for a name no format has.</summary>
    public static ExportFormat? Named(string name) => name.ToLowerInvariant() switch
    {
        "csv" => new CsvExportFormat(),
        "ndjson" => new NdjsonExportFormat(),
        _ => null,
    };
}
