using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.SearchStore.Elasticsearch;

namespace Pipeline.Indexing.Operations;

/// <summary>
/// Lucene: the index directory accepts a write (a probe file, written, flushed and deleted) and its disk has at least
/// Operations:MinFreeDiskMb free. Unhealthy names the path and the reason, so the dashboard says what to fix.
/// </summary>
public sealed class LuceneStoreWritableHealthCheck(string path, long minFreeDiskMb) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(path, $".health-probe-{Environment.ProcessId}");
        try
        {
            await File.WriteAllBytesAsync(probe, new byte[4096], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"The index directory {path} is not writable: {e.Message}", e);
        }

        var freeMb = new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace / (1024 * 1024);
        return freeMb < minFreeDiskMb
            ? HealthCheckResult.Unhealthy($"Only {freeMb} MB free on the disk of {path} (Operations:MinFreeDiskMb is {minFreeDiskMb}); commits will fail when it is full.")
            : HealthCheckResult.Healthy($"{path} writable, {freeMb} MB free.");
    }
}

/// <summary>Elasticsearch: the cluster answers and is not red.</summary>
public sealed class ElasticsearchStoreHealthCheck(ElasticsearchConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.GET, "/_cluster/health?timeout=2s", null, cancellationToken);
            using (json)
            {
                var health = json?.RootElement.TryGetProperty("status", out var s) == true ? s.GetString() : null;
                return status == 200 && health is "green" or "yellow"
                    ? HealthCheckResult.Healthy($"Elasticsearch cluster {health}.")
                    : HealthCheckResult.Unhealthy($"Elasticsearch cluster is {health ?? $"answering HTTP {status}"}: writes will be retried until it recovers.");
            }
        }
        catch (ElasticsearchUnavailableException e)
        {
            return HealthCheckResult.Unhealthy($"Elasticsearch is unreachable: {e.Message}", e);
        }
    }
}
