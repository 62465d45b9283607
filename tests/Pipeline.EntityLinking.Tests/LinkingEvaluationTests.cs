using Pipeline.EntityLinking.Evaluation;

namespace Pipeline.EntityLinking.Tests;

/// <summary>The ELEVANT scoring conventions of <c>eval entities</c>.</summary>
public sealed class LinkingEvaluationTests
{
    // "Obama met Merkel in Berlin on Monday with 3 aides and the Foo group."
    //  0     6   10     17 20     27 30     37   42     49  53          66
    const string Text = "Obama met Merkel in Berlin on Monday with 3 aides and the Foo group.";

    static BenchmarkDocument Document(int evaluationStart = 0, int evaluationEnd = -1, params GoldLabel[] labels) =>
        new("7", Text, evaluationStart, evaluationEnd < 0 ? Text.Length : evaluationEnd, labels);

    static GoldLabel Label(int start, int end, string id, bool optional = false, bool coref = false, string types = "OTHER") =>
        new(start, end, id, types, optional, coref);

    static PredictedMention Link(int start, int end, string? qid, params string[] candidates) =>
        new(start, end, qid, "MISC", candidates.Length == 0 && qid is not null ? [qid] : candidates);

    [Fact]
    public void Right_wrong_and_spurious_links_are_counted_as_precision_and_recall()
    {
        var score = new LinkingEvaluation(_ => true);
        score.Add(Document(labels: [Label(0, 5, "Q76"), Label(10, 16, "Q567"), Label(20, 26, "Q64")]),
            [Link(0, 5, "Q76"), Link(10, 16, "Q1"), Link(58, 61, "Q999")]);

        Assert.Equal((1, 3, 3), (score.Overall.TruePositives, score.Overall.Predicted, score.Overall.Gold));
        Assert.Equal(1 / 3.0, score.Overall.Precision, 6);
        Assert.Equal(1 / 3.0, score.Overall.F1, 6);
    }

    [Fact]
    public void Links_outside_the_evaluation_span_are_ignored_and_gold_outside_it_is_not_required()
    {
        var score = new LinkingEvaluation(_ => true);
        score.Add(Document(evaluationStart: 7, labels: [Label(10, 16, "Q567")]), [Link(0, 5, "Q76"), Link(10, 16, "Q567")]);

        Assert.Equal((1, 1, 1), (score.Overall.TruePositives, score.Overall.Predicted, score.Overall.Gold));
    }

    [Fact]
    public void Optional_and_non_entity_labels_are_neither_required_nor_counted_when_linked_on_their_span()
    {
        var score = new LinkingEvaluation(_ => true);
        score.Add(Document(labels: [Label(30, 36, "DATETIME"), Label(42, 43, "QUANTITY"), Label(0, 5, "Q76", optional: true), Label(20, 26, "<NO_MAPPING>")]),
            [Link(30, 36, "Q105"), Link(42, 43, "Q3"), Link(0, 5, "Q76"), Link(20, 26, "Q64")]);

        Assert.Equal((0, 0, 0), (score.Overall.TruePositives, score.Overall.Predicted, score.Overall.Gold));
    }

    [Fact]
    public void A_link_on_a_NIL_label_is_wrong_and_the_NIL_is_not_required()
    {
        var score = new LinkingEvaluation(_ => true);
        score.Add(Document(labels: [Label(58, 61, "<NIL>")]), [Link(58, 61, "Q999")]);

        Assert.Equal((0, 1, 0), (score.Overall.TruePositives, score.Overall.Predicted, score.Overall.Gold));
    }

    [Fact]
    public void Coref_labels_are_required_unless_no_coref_is_asked()
    {
        var document = Document(labels: [Label(0, 5, "Q76"), Label(10, 16, "Q567", coref: true)]);
        var withCoref = new LinkingEvaluation(_ => true);
        var withoutCoref = new LinkingEvaluation(_ => true, ignoreCoref: true);

        withCoref.Add(document, [Link(0, 5, "Q76"), Link(10, 16, "Q1")]);
        withoutCoref.Add(document, [Link(0, 5, "Q76"), Link(10, 16, "Q1")]);

        Assert.Equal((1, 2, 2), (withCoref.Overall.TruePositives, withCoref.Overall.Predicted, withCoref.Overall.Gold));
        Assert.Equal((1, 1, 1), (withoutCoref.Overall.TruePositives, withoutCoref.Overall.Predicted, withoutCoref.Overall.Gold));
    }

    [Fact]
    public void In_kb_scores_only_gold_the_knowledge_base_has_and_links_on_exactly_those_spans()
    {
        var score = new LinkingEvaluation(qid => qid != "Q567");
        score.Add(Document(labels: [Label(0, 5, "Q76"), Label(10, 16, "Q567"), Label(20, 26, "Q64")]),
            [Link(0, 5, "Q76"), Link(10, 16, "Q1"), Link(20, 26, "Q2"), Link(58, 61, "Q999")]);

        Assert.Equal((1, 2, 2), (score.InKnowledgeBase.TruePositives, score.InKnowledgeBase.Predicted, score.InKnowledgeBase.Gold));
    }

    [Fact]
    public void Mention_and_candidate_recall_count_gold_spans_found_and_gold_entities_among_their_candidates()
    {
        var score = new LinkingEvaluation(_ => true);
        score.Add(Document(labels: [Label(0, 5, "Q76", types: "Q215627"), Label(10, 16, "Q567", types: "Q215627"), Label(20, 26, "Q64", types: "Q27096213")]),
            [Link(0, 5, null, "Q1", "Q76"), Link(10, 16, null, "Q2")]);

        Assert.Equal((2, 3), (score.MentionRecall.Hits, score.MentionRecall.Total));
        Assert.Equal((1, 2), (score.CandidateRecall.Hits, score.CandidateRecall.Total));
        Assert.Equal(2, score.ByType["PER"].Links.Gold);
        Assert.Equal(1, score.ByType["LOC"].MentionRecall.Total);
        Assert.Equal(0, score.ByType["LOC"].MentionRecall.Hits);
    }

    [Fact]
    public void A_malformed_benchmark_line_is_reported_with_its_line_number()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["{\"id\": 1, \"text\": \"Obama\", \"labels\": []}", "", "{\"id\": 2, \"text\": \"Obama\", \"labels\": [{\"span\": [0, 50], \"entity_id\": \"Q76\"}]}"]);

            var error = Assert.Throws<InvalidDataException>(() => BenchmarkDocument.Read(path).ToList());

            Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
            Assert.Contains("outside the text", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Flags_and_ids_are_read_from_the_ELEVANT_layout()
    {
        var document = BenchmarkDocument.Parse(
            "{\"id\": 12, \"text\": \"Obama spoke.\", \"evaluation_span\": [0, 12], \"labels\": [{\"id\": 0, \"span\": [0, 5], \"entity_id\": \"Q76\", \"type\": \"Q215627\", \"optional\": true, \"coref\": true}]}", 1);

        Assert.Equal("12", document.Id);
        Assert.Equal(12L, document.JsonId);
        var label = Assert.Single(document.Labels);
        Assert.True(label.Optional);
        Assert.True(label.Coref);
        Assert.True(label.IsQid);
        Assert.Equal("PER", label.CoarseType);
    }

    [Fact]
    public void A_prediction_line_is_a_benchmark_line_with_the_links_as_labels_and_NIL_for_unlinked_mentions()
    {
        var document = Document(labels: [Label(0, 5, "Q76")]);
        var mentions = new[]
        {
            new Pipeline.Contracts.EntityMention { Text = "Obama", Start = 0, End = 5, Type = "PER", Qid = "Q76", Label = "Barack Obama", Confidence = 0.9 },
            new Pipeline.Contracts.EntityMention { Text = "Foo", Start = 58, End = 61, Type = "ORG", Confidence = 0.8 },
        };

        var line = document.PredictionLine(mentions);
        var read = BenchmarkDocument.Parse(line, 1);

        Assert.Contains("\"entity_id\":\"<NIL>\"", line, StringComparison.Ordinal);
        Assert.Equal(("7", Text), (read.Id, read.Text));
        Assert.Equal([(0, 5, "Q76"), (58, 61, "<NIL>")], read.Labels.Select(l => (l.Start, l.End, l.EntityId)));
        var rescored = new LinkingEvaluation(_ => true);
        rescored.Add(document, [.. read.Labels.Select(l => new PredictedMention(l.Start, l.End, l.IsNil ? null : l.EntityId, "MISC", []))]);
        Assert.Equal(1.0, rescored.Overall.F1);
    }
}
