using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Search.Api;

/// <summary>Traces (activity source) and metrics (meter) <see cref="Name"/>: one span and one duration per query, by endpoint; rows written by exports.</summary>
static class SearchTelemetry
{
    public const string Name = "Pipeline.Search";

    static readonly ActivitySource Source = new(Name);
    static readonly Meter Meter = new(Name);
    static readonly Histogram<double> QueryDuration = Meter.CreateHistogram<double>("pipeline.search.query.duration", "s", "Time to answer one search-service query.");
    static readonly Counter<long> Rejected = Meter.CreateCounter<long>("pipeline.search.query.rejected", "{query}", "Queries answered 400, by parameter.");
    static readonly Counter<long> ExportedRows = Meter.CreateCounter<long>("pipeline.search.export.rows", "{row}", "Rows written by exports, by format and row kind.");

    public static Activity? Start(string endpoint) => Source.StartActivity(endpoint);

    public static void Record(string endpoint, TimeSpan elapsed) => QueryDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));

    public static void RecordRejected(string parameter) => Rejected.Add(1, new KeyValuePair<string, object?>("parameter", parameter));

    public static void RecordExported(string format, string rows, long count)
    {
        if (count > 0)
        {
            ExportedRows.Add(count, new KeyValuePair<string, object?>("format", format), new KeyValuePair<string, object?>("rows", rows));
        }
    }
}
