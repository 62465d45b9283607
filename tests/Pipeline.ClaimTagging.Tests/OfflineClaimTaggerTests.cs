using Pipeline.ClaimTagging.Offline;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tests;

public sealed class OfflineClaimTaggerTests(OfflineTaggerFixture fixture) : IClassFixture<OfflineTaggerFixture>
{
    ClaimsPayload TagSample() => fixture.Owned.Tagger.Tag(OfflineTaggerFixture.SampleText());

    TaggedClaim Claim(string start) =>
        Assert.Single(TagSample().Claims, c => c.Text.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public void Every_claim_span_points_at_its_text_and_uses_the_documented_vocabularies()
    {
        var text = OfflineTaggerFixture.SampleText();
        var payload = fixture.Owned.Tagger.Tag(text);

        Assert.NotEmpty(payload.Claims);
        Assert.False(payload.IsFallback);
        Assert.StartsWith("offline:", payload.Tagger, StringComparison.Ordinal);
        Assert.All(payload.Claims, c =>
        {
            Assert.Equal(c.Text, text[c.Start..c.End]);
            Assert.Contains(c.Type, ClaimTypes.All);
            Assert.Contains(c.EvidenceLevel, EvidenceLevels.All);
            Assert.Contains(c.Attribution!.Kind, ClaimAttribution.Kinds);
            Assert.InRange(c.CheckWorthiness, 0, 1);
            Assert.InRange(c.Confidence, 0, 1);
            Assert.Equal("offline", c.Provenance?.Tagger);
        });
    }

    [Fact]
    public void Xi_promise_to_Biden_is_a_promise_attributed_to_the_anonymous_sources_who_told_CNN()
    {
        var claim = Claim("Chinese President Xi Jinping assured President Joe Biden");

        Assert.Equal(ClaimTypes.PromiseOrPolicy, claim.Type);
        Assert.Equal(ClaimAttribution.Anonymous, claim.Attribution?.Kind);
        Assert.Equal("two people with direct knowledge of the matter told CNN", claim.Attribution?.Source);
        Assert.Equal(EvidenceLevels.Reported, claim.EvidenceLevel);
    }

    [Theory]
    [InlineData("The CCP attempted to interfere in the 2022 midterm elections", "the intelligence report", ClaimAttribution.Document, EvidenceLevels.Hedged)]
    [InlineData("Facebook parent company Meta shut down thousands of Chinese bot accounts", "the company", ClaimAttribution.Organisation, EvidenceLevels.Reported)]
    [InlineData("A senior intelligence official said last week", "A senior intelligence official, according to CNN", ClaimAttribution.Anonymous, EvidenceLevels.Reported)]
    public void Claims_of_the_sample_are_attributed_to_their_source(string sentenceStart, string source, string kind, string evidence)
    {
        var claim = Claim(sentenceStart);

        Assert.Equal(source, claim.Attribution?.Source);
        Assert.Equal(kind, claim.Attribution?.Kind);
        Assert.Equal(evidence, claim.EvidenceLevel);
    }

    [Fact]
    public void The_byline_and_the_no_comment_line_are_not_claims()
    {
        var payload = TagSample();

        Assert.DoesNotContain(payload.Claims, c => c.Text.Contains("Jake Smith", StringComparison.Ordinal));
        Assert.DoesNotContain(payload.Claims, c => c.Text.Contains("request for comment", StringComparison.Ordinal));
        Assert.Contains(payload.Claims, c => c.Text.StartsWith("China recently promised", StringComparison.Ordinal));
    }

    [Fact]
    public void Courtesies_and_questions_are_not_check_worthy()
    {
        var payload = fixture.Owned.Tagger.Tag("Thank you very much. What do you think about that? Good evening, everyone.");

        Assert.Empty(payload.Claims);
    }

    [Fact]
    public void Numbers_about_public_policy_are_check_worthy()
    {
        var payload = fixture.Owned.Tagger.Tag("Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.");

        var claim = Assert.Single(payload.Claims);
        Assert.Equal(ClaimTypes.Quantitative, claim.Type);
        Assert.Equal(ClaimAttribution.Author, claim.Attribution?.Kind);
        Assert.Equal(EvidenceLevels.Asserted, claim.EvidenceLevel);
    }

    [Fact]
    public void Only_sentences_the_first_stage_is_unsure_of_are_scored_again_with_the_second_model()
    {
        var model = CheckWorthinessModel.LoadEmbedded();
        var refiner = Assert.IsType<CheckWorthinessRefiner>(model.Refiner);
        // Without the screen, which settles some sentences before either stage sees them.
        var tagger = new OfflineClaimTagger(fixture.Owned.Tagger.Embedder, model with { Screen = null, Refiner = refiner }, fixture.Owned.Tagger.RefinerEmbedder);
        var firstStageOnly = new OfflineClaimTagger(tagger.Embedder, model with { Screen = null, Refiner = null });
        var text = OfflineTaggerFixture.SampleText();
        var sentences = Sentences.Split(text).Select(s => text[s.Start..s.End]).ToList();
        var (previous, next) = SentenceFeatures.Consecutive(sentences.Count);

        var first = firstStageOnly.Score(sentences, previous, next);
        var refined = tagger.Score(sentences, previous, next);

        Assert.Contains(first, refiner.Refines);
        Assert.Contains(first, p => !refiner.Refines(p));
        for (var i = 0; i < sentences.Count; i++)
        {
            if (refiner.Refines(first[i]))
            {
                Assert.NotEqual(first[i], refined[i]);
            }
            else
            {
                Assert.Equal(first[i], refined[i]);
            }
        }
    }

    [Fact]
    public void The_second_model_reads_one_unit_vector_per_layer_from_its_CLS_token_whose_last_keeps_paraphrases_close()
    {
        var embedder = Assert.IsType<Pipeline.Embeddings.OnnxSentenceEmbedder>(fixture.Owned.Tagger.RefinerEmbedder);

        var v = embedder.Embed(["Unemployment fell to its lowest level in fifty years.", "The jobless rate dropped to a five-decade low.", "My cat likes to sleep on the warm windowsill."]);

        Assert.Equal("snowflake-arctic-embed-xs-int8-layers6", embedder.ModelId);
        Assert.Equal(6 * 384, embedder.Dimensions);
        Assert.All(v, x => Assert.All(x.Chunk(384), layer => Assert.Equal(1.0, Math.Sqrt(layer.Sum(c => (double)c * c)), 4)));
        var last = v.Select(x => x[(5 * 384)..]).ToArray();
        Assert.True(Dot(last[0], last[1]) > Dot(last[0], last[2]) + 0.1, $"paraphrase {Dot(last[0], last[1]):F3}, unrelated {Dot(last[0], last[2]):F3}");
    }

    static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    [Fact]
    public void A_model_whose_second_stage_was_trained_on_other_vectors_is_refused()
    {
        var model = CheckWorthinessModel.LoadEmbedded();

        Assert.Throws<ArgumentException>(() => new OfflineClaimTagger(fixture.Owned.Tagger.Embedder, model, refinerEmbedder: fixture.Owned.Tagger.Embedder));
    }

    [Fact]
    public void An_empty_text_has_no_claims()
    {
        Assert.Empty(fixture.Owned.Tagger.Tag("   ").Claims);
    }
}
