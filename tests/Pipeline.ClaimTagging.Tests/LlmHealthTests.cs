using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.ClaimTagging.Llm;

namespace Pipeline.ClaimTagging.Tests;

/// <summary>The LLM failure-rate health check reads the tagger's own request metric; it runs alone because that metric is process-wide.</summary>
[CollectionDefinition(nameof(LlmHealthTests), DisableParallelization = true)]
public sealed class LlmHealthCollection;

[Collection(nameof(LlmHealthTests))]
public sealed class LlmHealthTests
{
    sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.Parse("2024-01-30T10:00:00Z", global::System.Globalization.CultureInfo.InvariantCulture);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    static Task<HealthCheckResult> CheckAsync(LlmFailureRateHealthCheck check) => check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Service_turns_unhealthy_naming_the_rate_and_the_outcomes_when_most_llm_requests_fail_and_recovers_when_they_age_out()
    {
        var clock = new ManualClock();
        using var check = new LlmFailureRateHealthCheck(Options.Create(new LlmHealthOptions { FailureRateThreshold = 0.5, MinRequests = 5, Window = TimeSpan.FromMinutes(5) }), clock);

        LlmTelemetry.RecordRequest("test-model", "ok");
        LlmTelemetry.RecordRequest("test-model", "timeout");
        LlmTelemetry.RecordRequest("test-model", "timeout");
        var tooFew = await CheckAsync(check);
        LlmTelemetry.RecordRequest("test-model", "malformed");
        LlmTelemetry.RecordRequest("test-model", "ok");
        LlmTelemetry.RecordRequest("test-model", "timeout");
        var failing = await CheckAsync(check);
        clock.Now += TimeSpan.FromMinutes(6);
        var recovered = await CheckAsync(check);

        Assert.Equal(HealthStatus.Healthy, tooFew.Status);
        Assert.Equal(HealthStatus.Unhealthy, failing.Status);
        Assert.Contains("67%", failing.Description, StringComparison.Ordinal);
        Assert.Contains("timeout 3", failing.Description, StringComparison.Ordinal);
        Assert.Contains("malformed 1", failing.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
    }

    [Fact]
    public async Task Occasional_failures_below_the_threshold_stay_healthy()
    {
        using var check = new LlmFailureRateHealthCheck(Options.Create(new LlmHealthOptions()), new ManualClock());

        foreach (var outcome in new[] { "ok", "ok", "refused", "ok", "ok", "ok", "error", "ok" })
        {
            LlmTelemetry.RecordRequest("test-model", outcome);
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
    }
}
