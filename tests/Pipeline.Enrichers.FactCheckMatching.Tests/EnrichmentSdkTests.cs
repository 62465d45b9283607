using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Messaging.Enrichment;
using Pipeline.Testing;

namespace Pipeline.Enrichers.FactCheckMatching.Tests;

/// <summary>What the enrichment SDK promises a third-party enricher: retries, then the error queue; never a half result.</summary>
public sealed class EnrichmentSdkTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public sealed record Verdict(string Label);

    /// <summary>Fails its first <see cref="Failures"/> calls, as a model that is down for a moment.</summary>
    public sealed class FlakyEnricher : IArticleEnricher<Verdict>
    {
        int _calls;

        public static string Name => "flaky";

        public string Version => "1.0.0";

        public int Failures { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public Task<Verdict> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= Failures
                ? throw new InvalidOperationException("The model is down.")
                : Task.FromResult(new Verdict("ok"));
    }

    static Task<EnricherHarness> StartAsync(FlakyEnricher enricher) =>
        EnricherHarness.StartAsync(
            s => s.AddSingleton(enricher).Configure<MessagingOptions>(o =>
            {
                o.RetryLimit = 2;
                o.RetryMinInterval = TimeSpan.FromMilliseconds(10);
                o.RetryMaxInterval = TimeSpan.FromMilliseconds(50);
            }),
            bus => bus.AddEnricher<FlakyEnricher, Verdict>());

    [Fact]
    public async Task A_failure_within_the_retry_limit_is_retried_and_the_enrichment_published_once()
    {
        var enricher = new FlakyEnricher { Failures = 2 };
        await using var harness = await StartAsync(enricher);

        var enriched = await harness.EnrichAsync(EnricherHarness.Article("Some text to enrich."), Cancel);

        Assert.Equal("flaky", enriched.EnricherName);
        Assert.Equal(3, enricher.Calls);
        Assert.False(await harness.Harness.Published.Any<Fault<ArticleIngested>>(Cancel));
    }

    [Fact]
    public async Task A_failure_past_the_retry_limit_faults_the_message_and_publishes_no_enrichment()
    {
        var enricher = new FlakyEnricher { Failures = int.MaxValue };
        await using var harness = await StartAsync(enricher);

        await harness.Harness.Bus.Publish(EnricherHarness.Article("Some text the model cannot handle."), Cancel);

        // The fault is what MassTransit publishes as it moves the message to flaky-enricher_error (on RabbitMQ, the
        // queue the "Replay error queue" command empties; see ErrorQueueReplayTests).

        Assert.True(await harness.Harness.Published.Any<Fault<ArticleIngested>>(Cancel));
        Assert.Equal(3, enricher.Calls); // the first attempt and RetryLimit (2) retries
        Assert.False(await harness.Harness.Published.Any<ArticleEnriched>(Cancel));
    }
}
