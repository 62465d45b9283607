using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.EntityLinking.Tests;

/// <summary>Coreference candidates, the span decoding and the ranker's model file (no shared data needed).</summary>
public sealed class DisambiguationTests
{
    static readonly EntityKnowledgeBase Kb = EntityKnowledgeBase.Build(
    [
        new EntityRecord("Q15031", "Xi Jinping", [], "President of China", null, EntityType.Per, 0.9f),
        new EntityRecord("Q121194", "National Security Agency", [], "U.S. intelligence agency", null, EntityType.Org, 0.8f),
        new EntityRecord("Q148", "People's Republic of China", ["China"], "country in East Asia", null, EntityType.Loc, 1f, IsCountry: true),
        new EntityRecord("Q60", "New York City", ["New York"], "city in the United States", null, EntityType.Loc, 0.9f),
        new EntityRecord("Q9684", "The New York Times", ["New York Times"], "American newspaper", null, EntityType.Org, 0.8f),
        new EntityRecord("Q50008", "The Times", ["Times"], "British newspaper", null, EntityType.Org, 0.6f),
    ]);

    /// <summary>A scorer that trusts label and alias matches and nothing else: enough to drive the passes deterministically.</summary>
    static float NameMatch(ReadOnlySpan<float> features) =>
        features[Array.IndexOf(LinkFeatures.Names, "kind_label")] > 0 || features[Array.IndexOf(LinkFeatures.Names, "kind_alias")] > 0 ? 0.9f : 0.1f;

    [Fact]
    public void A_short_form_gets_the_longer_names_entity_as_a_coreference_candidate()
    {
        var linker = new EntityLinker(Kb, new LinkerSettings(), model: null, tagger: null);
        var state = linker.Prepare("Xi Jinping arrived on Monday. Later Xi met the National Security Agency (NSA) in China.");

        linker.Disambiguator.FirstPass(state, NameMatch);

        CandidateSpan Last(string text) => state.Spans.Last(s => state.Document.SpanText(s.FirstToken, s.LastToken) == text);
        var xi = Assert.Single(Last("Xi").Candidates);
        Assert.Equal(("Q15031", MatchKind.Coreference), (Kb.Qids[xi.Entity], xi.Kind));
        Assert.Equal(0.9f, xi.CoreferenceSource);
        // "NSA" is also the KB's acronym of the agency: the candidate it already has carries the coreference evidence.
        Assert.Contains(Last("NSA").Candidates, c => Kb.Qids[c.Entity] == "Q121194" && c.CoreferenceSource > 0);
        Assert.DoesNotContain(state.Spans, s => state.Document.SpanText(s.FirstToken, s.LastToken).Contains("Monday. Later", StringComparison.Ordinal));
    }

    [Fact]
    public void Decoding_keeps_the_non_overlapping_spans_with_the_largest_margin_over_the_threshold()
    {
        var region = new MentionRegion(0, 2, EntityType.Org, fromTagger: true);
        CandidateSpan Span(int first, int last, float probability)
        {
            var span = new CandidateSpan(region, first, last, key: null);
            span.Candidates.Add(new LinkCandidate(0, 0.5f, MatchKind.Label, upperCaseForm: false) { Probability = probability });
            span.Best = 0;
            region.Spans.Add(span);
            return span;
        }

        var newYorkTimes = Span(0, 2, 0.9f);
        var newYork = Span(0, 1, 0.6f);
        var times = Span(2, 2, 0.55f);

        Assert.Equal([newYorkTimes], Disambiguator.Decode(region, 0.5f));
        newYorkTimes.Candidates[0].Probability = 0.4f;
        Assert.Equal([newYork, times], Disambiguator.Decode(region, 0.5f));
        Assert.Empty(Disambiguator.Decode(region, 0.95f));
    }

    [Fact]
    public void A_model_file_round_trips_and_one_trained_on_other_features_is_refused()
    {
        var weights = LinkFeatures.Names.Select((_, i) => i == 0 ? -1f : 0.5f).ToArray();
        var pass = new PassModel { Weights = weights, Means = new float[LinkFeatures.Count], Scales = [.. Enumerable.Repeat(1f, LinkFeatures.Count)] };
        var trees = new PassModel
        {
            Trees = [new RegressionTree { Feature = [1], Threshold = [0f], Left = [~0], Right = [~1], Leaf = [-2f, 2f] }],
            Slope = -1,
        };
        var model = new LinkModel { Features = LinkFeatures.Names, FirstPass = pass, SecondPass = trees, Threshold = 0.3f, Training = "test" };
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var loaded = LinkModel.Load(stream);

        var row = new float[LinkFeatures.Count];
        row[1] = 1;
        Assert.Equal(model.ScoreFirstPass(row), loaded.ScoreFirstPass(row));
        Assert.Equal(1 / (1 + Math.Exp(-2)), loaded.ScoreSecondPass(row), 5);
        row[1] = -1;
        Assert.Equal(1 / (1 + Math.Exp(2)), loaded.ScoreSecondPass(row), 5);

        var foreign = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Replace("\"log_prior\"", "\"another_feature\"", StringComparison.Ordinal);
        var error = Assert.Throws<InvalidDataException>(() => LinkModel.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(foreign))));
        Assert.Contains("retrain", error.Message, StringComparison.Ordinal);
    }
}
