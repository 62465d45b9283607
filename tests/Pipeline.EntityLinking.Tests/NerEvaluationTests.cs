using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.EntityLinking.Tests;

public sealed class NerEvaluationTests
{
    [Fact]
    public void Spans_are_counted_exactly_untyped_typed_and_per_type()
    {
        (int, int, EntityType)[] gold = [(0, 1, EntityType.Per), (3, 3, EntityType.Loc), (5, 6, EntityType.Org)];
        (int, int, EntityType)[] predicted =
        [
            (0, 1, EntityType.Per), // right
            (3, 3, EntityType.Org), // right span, wrong type
            (5, 5, EntityType.Org), // too short
            (8, 8, EntityType.Misc), // not a name
        ];
        var evaluation = new NerEvaluation();

        evaluation.Add(gold, predicted);

        Assert.Equal((2, 4, 3), (evaluation.Untyped.TruePositives, evaluation.Untyped.Predicted, evaluation.Untyped.Gold));
        Assert.Equal(0.5, evaluation.Untyped.Precision, 6);
        Assert.Equal(2.0 / 3, evaluation.Untyped.Recall, 6);
        Assert.Equal(4.0 / 7, evaluation.Untyped.F1, 6);
        Assert.Equal((1, 4, 3), (evaluation.Typed.TruePositives, evaluation.Typed.Predicted, evaluation.Typed.Gold));
        Assert.Equal(2.0 / 7, evaluation.Typed.F1, 6);
        Assert.Equal((1, 1, 1), Counts(evaluation.PerType[EntityType.Per]));
        Assert.Equal((0, 0, 1), Counts(evaluation.PerType[EntityType.Loc]));
        Assert.Equal((0, 2, 1), Counts(evaluation.PerType[EntityType.Org]));
        Assert.Equal((0, 1, 0), Counts(evaluation.PerType[EntityType.Misc]));
    }

    [Fact]
    public void Nothing_predicted_scores_zero_not_nan()
    {
        var evaluation = new NerEvaluation();

        evaluation.Add([(0, 0, EntityType.Per)], []);

        Assert.Equal(0, evaluation.Untyped.F1);
    }

    static (int, int, int) Counts(MatchCounts score) => (score.TruePositives, score.Predicted, score.Gold);
}
