using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Messaging;
using Pipeline.Messaging.Enrichment;
using Pipeline.Testing;

namespace Pipeline.Enrichers.FactCheckMatching.Tests;

/// <summary>
/// What the SDK promises a batch enricher: one enrichment per article however the articles were batched, and the
/// single-article form's retries and error queue for each article on its own.
/// </summary>
public sealed class BatchEnrichmentSdkTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public sealed record Verdict(string ArticleId, int BatchSize);

    /// <summary>Records every call; fails any call that holds a poisoned article, and the first calls that hold a flaky one.</summary>
    public sealed class RecordingBatchEnricher : IArticleBatchEnricher<Verdict>
    {
        int _flakyCalls;

        public static string Name => "batched";

        public string Version => "1.0.0";

        public string? Poisoned { get; init; }

        public string? Flaky { get; init; }

        public int FlakyFailures { get; init; }

        public ConcurrentQueue<string[]> Calls { get; } = new();

        public int CallsWith(string articleId) => Calls.Count(c => c.Contains(articleId));

        public Task<IReadOnlyList<Verdict>> EnrichAsync(IReadOnlyList<ArticleIngested> articles, CancellationToken cancellationToken)
        {
            Calls.Enqueue([.. articles.Select(a => a.ArticleId)]);
            if (articles.Any(a => a.ArticleId == Poisoned))
            {
                throw new InvalidOperationException("The model cannot read this article.");
            }

            if (articles.Any(a => a.ArticleId == Flaky) && Interlocked.Increment(ref _flakyCalls) <= FlakyFailures)
            {
                throw new InvalidOperationException("The model is down for a moment.");
            }

            return Task.FromResult<IReadOnlyList<Verdict>>([.. articles.Select(a => new Verdict(a.ArticleId, articles.Count))]);
        }
    }

    static Task<EnricherHarness> StartAsync(RecordingBatchEnricher enricher, int messageLimit) =>
        EnricherHarness.StartAsync(
            s => s.AddSingleton(enricher)
                .Configure<MessagingOptions>(o =>
                {
                    o.RetryLimit = 2;
                    o.RetryMinInterval = TimeSpan.FromMilliseconds(10);
                    o.RetryMaxInterval = TimeSpan.FromMilliseconds(50);
                })
                .Configure<EnrichmentBatchOptions>(o =>
                {
                    o.MessageLimit = messageLimit;
                    o.TimeLimit = TimeSpan.FromSeconds(2);
                }),
            bus => bus.AddBatchEnricher<RecordingBatchEnricher, Verdict>());

    static ArticleIngested[] Articles(int count) =>
        [.. Enumerable.Range(1, count).Select(i => EnricherHarness.Article($"Article number {i} to enrich.", $"a{i}"))];

    static async Task<Dictionary<string, ArticleEnriched>> EnrichmentsAsync(EnricherHarness harness, int expected) =>
        (await harness.EnrichmentsAsync(expected, Cancel)).GroupBy(m => m.ArticleId).ToDictionary(g => g.Key, g => Assert.Single(g));

    [Fact]
    public async Task N_articles_in_one_batch_are_one_enricher_call_and_N_enrichments_out()
    {
        var enricher = new RecordingBatchEnricher();
        await using var harness = await StartAsync(enricher, messageLimit: 5);
        var articles = Articles(5);

        await harness.Harness.Bus.PublishBatch(articles, Cancel);
        var enrichments = await EnrichmentsAsync(harness, 5);

        Assert.Equal(articles.Select(a => a.ArticleId).Order(), enrichments.Keys.Order());
        var call = Assert.Single(enricher.Calls);
        Assert.Equal(5, call.Length);
        foreach (var article in articles)
        {
            var enrichment = enrichments[article.ArticleId];
            Assert.Equal("batched", enrichment.EnricherName);
            Assert.Equal(article.ContentHash, enrichment.TextHash);
            Assert.Equal(article.ArticleId, enrichment.Read<Verdict>().ArticleId);
        }

        Assert.True(await harness.Harness.Consumed.Any<ArticleIngested>(x => x.Context.ReceiveContext.InputAddress.AbsolutePath.EndsWith("batched-enricher", StringComparison.Ordinal), Cancel));
        Assert.False(await harness.Harness.Published.Any<Fault<ArticleIngested>>(Cancel));
    }

    [Fact]
    public async Task One_failing_article_ends_in_the_error_queue_alone_and_the_others_are_published()
    {
        var enricher = new RecordingBatchEnricher { Poisoned = "a3" };
        await using var harness = await StartAsync(enricher, messageLimit: 4);

        await harness.Harness.Bus.PublishBatch(Articles(4), Cancel);
        var enrichments = await EnrichmentsAsync(harness, 3);

        Assert.Equal(["a1", "a2", "a4"], enrichments.Keys.Order());
        // The batch call, then alone: the first attempt and RetryLimit (2) retries.
        Assert.Equal(4, enricher.CallsWith("a3"));
        var faulted = Assert.Single(harness.Harness.Published.Select<Fault<ArticleIngested>>(Cancel));
        Assert.Equal("a3", faulted.Context.Message.Message.ArticleId);
        var moved = Assert.Single(harness.Harness.Sent.Select<ArticleIngested>(Cancel),
            m => m.Context.DestinationAddress?.AbsolutePath.EndsWith(QueueNames.ErrorQueueOf(QueueNames.Enricher("batched")), StringComparison.Ordinal) == true);
        Assert.Equal("a3", moved.Context.Message.ArticleId);
        Assert.Equal("fault", moved.Context.Headers.Get<string>(MessageHeaders.Reason));
    }

    [Fact]
    public async Task A_failure_within_the_retry_limit_is_retried_and_every_article_published_once()
    {
        var enricher = new RecordingBatchEnricher { Flaky = "a2", FlakyFailures = 2 };
        await using var harness = await StartAsync(enricher, messageLimit: 3);

        await harness.Harness.Bus.PublishBatch(Articles(3), Cancel);
        var enrichments = await EnrichmentsAsync(harness, 3);

        Assert.Equal(["a1", "a2", "a3"], enrichments.Keys.Order());
        Assert.Equal(3, enricher.CallsWith("a2")); // the batch call, one failure alone, then success
        Assert.False(await harness.Harness.Published.Any<Fault<ArticleIngested>>(Cancel));
        Assert.False(await harness.Harness.Sent.Any<ArticleIngested>(Cancel));
    }

    [Fact]
    public async Task A_batch_of_one_failing_past_the_retry_limit_has_as_many_attempts_as_the_single_article_form()
    {
        var enricher = new RecordingBatchEnricher { Poisoned = "a1" };
        await using var harness = await StartAsync(enricher, messageLimit: 1);

        await harness.Harness.Bus.Publish(Articles(1)[0], Cancel);

        Assert.True(await harness.Harness.Published.Any<Fault<ArticleIngested>>(Cancel));
        Assert.Equal(3, enricher.CallsWith("a1")); // the first attempt and RetryLimit (2) retries
        Assert.False(await harness.Harness.Published.Any<ArticleEnriched>(Cancel));
    }

    [Fact]
    public async Task A_batch_limit_out_of_range_stops_the_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("Enrichment:Batch:MessageLimit", "0")]);
        builder.Services.AddSingleton(new RecordingBatchEnricher());
        builder.Services.AddMassTransitTestHarness(bus => bus.AddBatchEnricher<RecordingBatchEnricher, Verdict>());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Cancel));

        Assert.Contains("MessageLimit", error.Message, StringComparison.Ordinal);
    }
}
