using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;
using Pipeline.EntityLinking.Training;

namespace Pipeline.EntityLinking.Tests;

/// <summary>The ranker's training: the logistic regression itself, and a whole training run over small documents.</summary>
public sealed class LinkerTrainingTests
{
    [Fact]
    public void Logistic_regression_recovers_the_direction_of_the_weights_that_made_the_labels()
    {
        var random = new Random(7);
        var rows = new List<float[]>();
        var labels = new List<bool>();
        for (var i = 0; i < 4000; i++)
        {
            var (a, b) = ((float)random.NextDouble() * 4 - 2, (float)random.NextDouble() * 4 - 2);
            rows.Add([1, a, b, 0]);
            labels.Add(random.NextDouble() < 1 / (1 + Math.Exp(-(2 * a - b + 0.5))));
        }

        var (means, scales) = LogisticRegression.Standardisation(rows, 4);
        var weights = LogisticRegression.Fit(rows, labels, means, scales, l2: 0.1, excluded: new HashSet<int> { 3 });

        // Back on the raw scale the weights are about 2 and -1 (the data are noisy, so not exactly).
        Assert.InRange(weights[1] / scales[1], 1.6, 2.4);
        Assert.InRange(weights[2] / scales[2], -1.3, -0.7);
        Assert.Equal(0, weights[3]);
        Assert.True(LogisticRegression.Probability(weights, means, scales, [1, 2, -2, 0]) > 0.95);
        Assert.True(LogisticRegression.Probability(weights, means, scales, [1, -2, 2, 0]) < 0.05);
    }

    static readonly EntityKnowledgeBase Kb = EntityKnowledgeBase.Build(
    [
        new EntityRecord("Q1", "Springfield", [], "capital city of Illinois", null, EntityType.Loc, 0.9f),
        new EntityRecord("Q2", "Springfield", [], "city in Massachusetts", null, EntityType.Loc, 0.8f),
        new EntityRecord("Q3", "Illinois", [], "state of the United States", null, EntityType.Loc, 0.9f),
        new EntityRecord("Q4", "Massachusetts", [], "state of the United States", null, EntityType.Loc, 0.9f),
        new EntityRecord("Q5", "Mayor Quimby", ["Quimby"], "fictional mayor", null, EntityType.Per, 0.3f),
    ]);

    /// <summary>Documents where the context word decides which Springfield is meant.</summary>
    static List<TrainingDocument> Documents()
    {
        var documents = new List<TrainingDocument>();
        for (var i = 0; i < 40; i++)
        {
            var (state, qid) = i % 2 == 0 ? ("Illinois", "Q1") : ("Massachusetts", "Q2");
            var text = $"Quimby visited Springfield in {state} on day {i}.";
            var springfield = text.IndexOf("Springfield", StringComparison.Ordinal);
            var stateAt = text.IndexOf(state, StringComparison.Ordinal);
            documents.Add(new TrainingDocument("synthetic", new BenchmarkDocument(i.ToString(System.Globalization.CultureInfo.InvariantCulture), text, 0, text.Length,
            [
                new GoldLabel(springfield, springfield + "Springfield".Length, qid, "", false, false),
                new GoldLabel(stateAt, stateAt + state.Length, i % 2 == 0 ? "Q3" : "Q4", "", false, false),
                new GoldLabel(0, "Quimby".Length, GoldLabel.Nil, "", false, false),
            ]), Exhaustive: true));
        }

        return documents;
    }

    static byte[] Train(List<TrainingDocument> documents)
    {
        var linker = new EntityLinker(Kb, new LinkerSettings(), model: null, tagger: null);
        var model = new LinkerTrainer(linker, new LogisticRegressionFitter(l2: 1.0), folds: 4).Train(documents, [0.3f, 0.5f, 0.7f], "test").Model;
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void A_trained_ranker_links_what_its_documents_taught_and_training_twice_gives_the_same_bytes()
    {
        var documents = Documents();

        var first = Train(documents);
        var second = Train(documents);

        Assert.Equal(first, second);
        var model = LinkModel.Load(new MemoryStream(first));
        var linker = new EntityLinker(Kb, new LinkerSettings(), model, tagger: null);
        Assert.Equal("Q2", linker.Link("Quimby flew to Springfield in Massachusetts yesterday.").Mentions.Single(m => m.Text == "Springfield").Qid);
        Assert.Equal("Q1", linker.Link("Quimby flew to Springfield in Illinois yesterday.").Mentions.Single(m => m.Text == "Springfield").Qid);
        Assert.DoesNotContain(linker.Link("Quimby flew home.").Mentions, m => m.Qid == "Q5");
    }
}
