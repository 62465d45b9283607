using Microsoft.Extensions.DependencyInjection;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.ClaimTagging.Tests;

public sealed class PlaceholderClaimTaggerTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static string SampleText() => File.ReadAllText(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt")).ReplaceLineEndings("\n");

    [Fact]
    public void Every_claim_span_points_at_its_text_in_the_article()
    {
        var text = SampleText();
        var payload = PlaceholderClaimTagger.Tag(text);

        Assert.NotEmpty(payload.Claims);
        Assert.All(payload.Claims, c => Assert.Equal(c.Text, text[c.Start..c.End]));
        Assert.All(payload.Claims, c => Assert.Contains(c.Type, ClaimTypes.All));
    }

    [Fact]
    public void Xi_promise_to_Biden_is_tagged_as_a_promise_attributed_to_anonymous_sources()
    {
        var claim = PlaceholderClaimTagger.Tag(SampleText()).Claims.Single(c => c.Text.StartsWith("Chinese President Xi Jinping assured", StringComparison.Ordinal));

        Assert.Equal(ClaimTypes.PromiseOrPolicy, claim.Type);
        Assert.Equal("anonymous", claim.Attribution?.Kind);
        Assert.Equal("reported", claim.EvidenceLevel);
    }

    [Fact]
    public void Sentences_do_not_break_after_initials_or_titles()
    {
        var text = "China will not interfere in the U.S. 2024 elections, Mr. Wang said. Biden agreed.";
        var spans = Sentences.Split(text).Select(s => text[s.Start..s.End]).ToList();

        Assert.Equal(["China will not interfere in the U.S. 2024 elections, Mr. Wang said.", "Biden agreed."], spans);
    }

    [Fact]
    public async Task Consumer_publishes_one_claims_enrichment_for_the_analysed_text()
    {
        await using var enricher = await EnricherHarness.StartAsync(s => s.AddSingleton<PlaceholderClaimTagger>(), ClaimTaggingRegistration.AddClaimTaggingConsumers);
        var article = EnricherHarness.Article(SampleText());

        var enrichment = await enricher.EnrichAsync(article, Cancel);

        Assert.Equal("claims", enrichment.EnricherName);
        Assert.Equal(article.ContentHash, enrichment.TextHash);
        Assert.NotEmpty(enrichment.Read<ClaimsPayload>().Claims);
        Assert.True(await enricher.Harness.Consumed.Any<ArticleIngested>(x => x.Context.ReceiveContext.InputAddress.AbsolutePath.EndsWith("claims-enricher", StringComparison.Ordinal), Cancel));
    }
}
