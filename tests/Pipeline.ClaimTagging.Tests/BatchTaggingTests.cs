using System.Collections.Concurrent;
using MassTransit;
using Pipeline.ClaimTagging.Offline;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;
using Pipeline.Embeddings;
using Pipeline.Testing;

namespace Pipeline.ClaimTagging.Tests;

/// <summary>The offline tagger's speed-ups: texts tagged together, the screen in front of the transformer, the sentence cache.</summary>
public sealed class BatchTaggingTests(OfflineTaggerFixture fixture) : IClassFixture<OfflineTaggerFixture>
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    const string Debate = "Thank you very much. Good evening, everyone. Unemployment fell to 3.5 percent last year, the lowest rate in fifty years. " +
        "We will cut taxes for every family by 2,000 dollars. What do you think about that?";

    /// <summary>Records every sentence it embeds.</summary>
    sealed class CountingEmbedder(ISentenceEmbedder inner) : ISentenceEmbedder
    {
        public ConcurrentQueue<string> Embedded { get; } = new();

        public int Dimensions => inner.Dimensions;

        public string ModelId => inner.ModelId;

        public float[][] Embed(IReadOnlyList<string> sentences)
        {
            foreach (var sentence in sentences)
            {
                Embedded.Enqueue(sentence);
            }

            return inner.Embed(sentences);
        }
    }

    OfflineClaimTagger Tagger(CountingEmbedder embedder, int cacheEntries = 0) =>
        new(embedder, CheckWorthinessModel.LoadEmbedded(), fixture.Owned.Tagger.RefinerEmbedder, cacheEntries);

    [Fact]
    public void Texts_tagged_together_get_the_claims_each_gets_alone_with_spans_into_their_own_text()
    {
        var tagger = fixture.Owned.Tagger;
        string[] texts = [OfflineTaggerFixture.SampleText(), Debate, "   ", "The ministry said 40,000 troops crossed the border on Monday."];

        var together = tagger.TagMany(texts);

        Assert.Equal(texts.Length, together.Count);
        for (var d = 0; d < texts.Length; d++)
        {
            var alone = tagger.Tag(texts[d]);
            Assert.Equal(alone.Claims.Select(c => (c.Start, c.End, c.Type)), together[d].Claims.Select(c => (c.Start, c.End, c.Type)));
            // The int8 activations share a scale per batch: a sentence's score moves slightly with its batch neighbours.
            Assert.All(alone.Claims.Zip(together[d].Claims), pair => Assert.Equal(pair.First.CheckWorthiness, pair.Second.CheckWorthiness, 0.05));
            Assert.All(together[d].Claims, c => Assert.Equal(texts[d][c.Start..c.End], c.Text));
        }
    }

    [Fact]
    public void Sentences_the_screen_settles_are_never_embedded()
    {
        var model = CheckWorthinessModel.LoadEmbedded();
        var screen = Assert.IsType<CheckWorthinessScreen>(model.Screen);
        var embedder = new CountingEmbedder(fixture.Owned.Tagger.Embedder);
        var tagger = Tagger(embedder);
        var text = OfflineTaggerFixture.SampleText() + "\n" + Debate;
        var sentences = Sentences.Split(text).Select(s => text[s.Start..s.End]).ToList();

        var screened = tagger.Screen(sentences);
        tagger.Tag(text);

        var settled = sentences.Where((_, i) => !double.IsNaN(screened[i])).ToList();
        Assert.NotEmpty(settled);
        Assert.All(settled, s => Assert.True(screen.Settles(screen.Probability(s))));
        Assert.Equal(sentences.Except(settled).Order(), embedder.Embedded.Order());
    }

    [Fact]
    public void A_text_seen_before_is_scored_from_the_cache_without_embedding_again()
    {
        var embedder = new CountingEmbedder(fixture.Owned.Tagger.Embedder);
        var tagger = Tagger(embedder, cacheEntries: 1000);
        var text = OfflineTaggerFixture.SampleText();

        var first = tagger.Tag(text);
        var embeddedOnce = embedder.Embedded.Count;
        var again = tagger.Tag(text);

        Assert.True(embeddedOnce > 0);
        Assert.Equal(embeddedOnce, embedder.Embedded.Count);
        Assert.Equal(first.Claims.Select(c => (c.Start, c.CheckWorthiness)), again.Claims.Select(c => (c.Start, c.CheckWorthiness)));
        Assert.Equal(Sentences.Split(text).Count(), tagger.Cache!.Hits);
    }

    [Fact]
    public void The_sentence_cache_drops_the_least_recently_used_entry_and_keys_by_model_version()
    {
        var cache = new SentenceScoreCache("model-1", capacity: 2);
        cache.Add(cache.KeyOf("a"), 0.1);
        cache.Add(cache.KeyOf("b"), 0.2);
        Assert.True(cache.TryGet(cache.KeyOf("a"), out _));

        cache.Add(cache.KeyOf("c"), 0.3);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(cache.KeyOf("a"), out var a));
        Assert.Equal(0.1, a);
        Assert.False(cache.TryGet(cache.KeyOf("b"), out _));
        Assert.NotEqual(cache.KeyOf("a"), new SentenceScoreCache("model-2", 2).KeyOf("a"));
    }

    [Fact]
    public async Task The_claims_consumer_tags_a_batch_of_articles_and_publishes_one_enrichment_each()
    {
        await using var enricher = await EnricherHarness.StartAsync(s => s.AddClaimTaggers(), ClaimTaggingRegistration.AddClaimTaggingConsumers);
        ArticleIngested[] articles = [EnricherHarness.Article(OfflineTaggerFixture.SampleText(), "a1"), EnricherHarness.Article(Debate, "a2")];

        await enricher.Harness.Bus.PublishBatch(articles, Cancel);
        var enrichments = await enricher.EnrichmentsAsync(2, Cancel);

        Assert.Equal(["a1", "a2"], enrichments.Select(e => e.ArticleId).Order());
        Assert.All(enrichments, e => Assert.Equal("claims", e.EnricherName));
        Assert.Contains(enrichments.Single(e => e.ArticleId == "a1").Read<ClaimsPayload>().Claims, c => c.Text.Contains("Xi Jinping assured", StringComparison.Ordinal));
        Assert.Contains(enrichments.Single(e => e.ArticleId == "a2").Read<ClaimsPayload>().Claims, c => c.Text.StartsWith("Unemployment fell", StringComparison.Ordinal));
    }
}
