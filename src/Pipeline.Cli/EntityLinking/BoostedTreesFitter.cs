using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Pipeline.EntityLinking.Linking;
using Pipeline.EntityLinking.Training;
using RegressionTree = Pipeline.EntityLinking.Linking.RegressionTree;

namespace Pipeline.Cli.EntityLinking;

/// <summary>
/// Gradient-boosted regression trees (ML.NET FastTree, logistic loss) for one pass of the ranker, exported into the
/// model file as plain trees with their sigmoid calibration, so the service evaluates them without ML.NET. One thread
/// and a fixed seed: the same rows give the same trees.
/// </summary>
public sealed class BoostedTreesFitter(int trees, int leaves, int minimumExamplesPerLeaf, double learningRate) : IPassFitter
{
    public string Name => $"trees {trees}x{leaves}";

    public string Description => $"boosted trees (FastTree): {trees} trees of {leaves} leaves, at least {minimumExamplesPerLeaf} examples per leaf, learning rate {learningRate}";

    public PassModel Fit(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, ISet<int>? excluded)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new Row { Features = excluded is null ? r : Masked(r, excluded), Label = labels[i] }), SchemaDefinition());
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = trees,
            NumberOfLeaves = leaves,
            MinimumExampleCountPerLeaf = minimumExamplesPerLeaf,
            LearningRate = learningRate,
            NumberOfThreads = 1,
            Seed = 1,
        });
        var model = trainer.Fit(data);
        var ensemble = model.Model.SubModel.TrainedTreeEnsemble;
        var exported = ensemble.Trees.Select(t => new RegressionTree
        {
            Feature = [.. t.NumericalSplitFeatureIndexes],
            Threshold = [.. t.NumericalSplitThresholds],
            Left = [.. t.LeftChild],
            Right = [.. t.RightChild],
            Leaf = [.. t.LeafValues.Select(v => (float)v)],
        }).ToList();
        if (ensemble.Bias != 0)
        {
            exported.Add(new RegressionTree { Feature = [], Threshold = [], Left = [], Right = [], Leaf = [(float)ensemble.Bias] });
        }

        return new PassModel { Trees = [.. exported], Slope = (float)model.Model.Calibrator.Slope, Offset = (float)model.Model.Calibrator.Offset };
    }

    static float[] Masked(float[] row, ISet<int> excluded)
    {
        var copy = (float[])row.Clone();
        foreach (var j in excluded)
        {
            copy[j] = 0;
        }

        return copy;
    }

    static SchemaDefinition SchemaDefinition()
    {
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, LinkFeatures.Count);
        return schema;
    }

    sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
