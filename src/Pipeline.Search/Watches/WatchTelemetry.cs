using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Search.Watches;

/// <summary>Traces and metrics <see cref="Name"/>: a span per watch evaluation and per webhook delivery attempt.</summary>
static class WatchTelemetry
{
    public const string Name = "Pipeline.Search.Watches";

    static readonly ActivitySource Source = new(Name);
    static readonly Meter Meter = new(Name);
    static readonly Counter<long> Evaluations = Meter.CreateCounter<long>("pipeline.watches.evaluations", "{evaluation}", "Watch evaluations, by outcome (ok, error).");
    static readonly Counter<long> Matches = Meter.CreateCounter<long>("pipeline.watches.matches", "{match}", "New matches recorded.");
    static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("pipeline.watches.webhook.attempts", "{attempt}", "Webhook delivery attempts, by outcome (delivered, retry, failed).");
    static readonly Histogram<double> EvaluationDuration = Meter.CreateHistogram<double>("pipeline.watches.evaluation.duration", "s", "Time to evaluate one watch.");

    public static Activity? StartEvaluation(Watch watch) =>
        Source.StartActivity("watch evaluate")?.SetTag("watch.id", watch.Id);

    public static Activity? StartDelivery(WebhookDelivery delivery) =>
        Source.StartActivity("watch webhook", ActivityKind.Client)?.SetTag("watch.id", delivery.WatchId).SetTag("watch.delivery", delivery.Id).SetTag("watch.attempt", delivery.Attempts + 1);

    public static void RecordEvaluation(bool ok, int newMatches, TimeSpan elapsed)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", ok ? "ok" : "error");
        Evaluations.Add(1, outcome);
        EvaluationDuration.Record(elapsed.TotalSeconds, outcome);
        if (newMatches > 0)
        {
            Matches.Add(newMatches);
        }
    }

    public static void RecordDelivery(string outcome) => Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
