using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Ingestion.Feeds;

/// <summary>Degraded (not unhealthy: articles still come in through the API) while any feed's last poll failed, naming them.</summary>
public sealed class FeedHealthCheck(FeedRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var feeds = registry.All();
        var failing = feeds.Where(f => f.LastError is not null).ToList();
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy($"{feeds.Count} feeds, none failing")
            : HealthCheckResult.Degraded(
                $"{failing.Count} of {feeds.Count} feeds failing: " + string.Join("; ", failing.Select(f => $"{f.Id} {f.Url}: {f.LastError} ({f.ConsecutiveFailures}x)")),
                data: failing.ToDictionary(f => f.Id, f => (object)f.LastError!)));
    }
}
