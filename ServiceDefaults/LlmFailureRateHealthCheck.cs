using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Section <c>Health:Llm</c>: when a service's language-model calls count as failing.</summary>
public sealed class LlmHealthOptions
{
    public const string SectionName = "Health:Llm";

    /// <summary>Share of failed LLM requests (timeout, malformed, refused, error) above which the service is unhealthy.</summary>
    [Range(0.0, 1.0)]
    public double FailureRateThreshold { get; set; } = 0.5;

    /// <summary>The sliding window the rate is computed over.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Fewer requests than this in the window say nothing either way (healthy).</summary>
    [Range(1, 10_000)]
    public int MinRequests { get; set; } = 5;
}

/// <summary>
/// Listens, in-process, to the <c>pipeline.llm.requests</c> counter (tag <c>outcome</c>: ok, timeout, malformed, refused,
/// error) that LLM-backed enrichers record, and turns the service unhealthy, naming the rate and the outcomes, when too
/// many requests in the window failed. The enricher keeps working on its fallback; the operator sees why its output
/// changed. Services that never call a model stay healthy.
/// </summary>
/// <remarks>Also a hosted service, only so that it listens from the start, not from the first health probe.</remarks>
public sealed class LlmFailureRateHealthCheck : IHealthCheck, IHostedService, IDisposable
{
    public const string InstrumentName = "pipeline.llm.requests";

    readonly MeterListener _listener = new();
    readonly Queue<(DateTimeOffset At, string Outcome)> _requests = new();
    readonly Lock _lock = new();
    readonly LlmHealthOptions _options;
    readonly TimeProvider _clock;

    public LlmFailureRateHealthCheck(IOptions<LlmHealthOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var outcome = "ok";
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome" && tag.Value is string s)
                {
                    outcome = s;
                }
            }

            lock (_lock)
            {
                for (var i = 0; i < value; i++)
                {
                    _requests.Enqueue((_clock.GetUtcNow(), outcome));
                }
            }
        });
        _listener.Start();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        List<string> outcomes;
        lock (_lock)
        {
            var since = _clock.GetUtcNow() - _options.Window;
            while (_requests.Count > 0 && _requests.Peek().At < since)
            {
                _requests.Dequeue();
            }

            outcomes = [.. _requests.Select(r => r.Outcome)];
        }

        if (outcomes.Count < _options.MinRequests)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{outcomes.Count} LLM requests in the last {_options.Window.TotalMinutes:0.#} min."));
        }

        var failed = outcomes.Where(o => o != "ok").ToList();
        var rate = (double)failed.Count / outcomes.Count;
        if (rate <= _options.FailureRateThreshold)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"LLM failure rate {rate * 100:0}% of {outcomes.Count} requests."));
        }

        var byOutcome = string.Join(", ", failed.GroupBy(o => o).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
        return Task.FromResult(HealthCheckResult.Unhealthy(
            $"LLM failure rate {rate * 100:0}% ({failed.Count} of {outcomes.Count} requests in the last {_options.Window.TotalMinutes:0.#} min: {byOutcome}) " +
            $"is over Health:Llm:FailureRateThreshold {_options.FailureRateThreshold * 100:0}%; the enricher is using its fallback."));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
