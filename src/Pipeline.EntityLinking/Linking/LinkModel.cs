using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// The ranker's trained parameters (written by <c>pipeline train linker</c>, embedded as Linking/Data/linker-model.json):
/// one scorer for each pass over <see cref="LinkFeatures"/> (the first without document evidence, the second with it),
/// and the link threshold chosen on held-out documents.
/// </summary>
public sealed class LinkModel
{
    public required string[] Features { get; init; }

    public required PassModel FirstPass { get; init; }

    public required PassModel SecondPass { get; init; }

    /// <summary>A span is linked when its best candidate's second-pass probability reaches this (chosen on held-out documents).</summary>
    public required float Threshold { get; init; }

    /// <summary>What the model was trained and chosen on, for the record.</summary>
    public string Training { get; init; } = "";

    public float ScoreFirstPass(ReadOnlySpan<float> features) => FirstPass.Probability(features);

    public float ScoreSecondPass(ReadOnlySpan<float> features) => SecondPass.Probability(features);

    static readonly JsonSerializerOptions Json = new() { WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void Save(Stream stream) => JsonSerializer.Serialize(stream, this, Json);

    public static LinkModel Load(Stream stream)
    {
        var model = JsonSerializer.Deserialize<LinkModel>(stream, Json) ?? throw new InvalidDataException("The linker model file is empty.");
        if (!model.Features.SequenceEqual(LinkFeatures.Names))
        {
            throw new InvalidDataException(
                $"The linker model was trained on other features ({model.Features.Length}: {string.Join(", ", model.Features.Take(5))}, ...) than this build computes ({LinkFeatures.Count}); retrain it with `pipeline train linker`.");
        }

        model.FirstPass.Validate(model.Features.Length);
        model.SecondPass.Validate(model.Features.Length);
        return model;
    }

    /// <summary>The model built into the service, or null when none has been trained yet.</summary>
    public static LinkModel? LoadBuiltIn()
    {
        using var stream = typeof(LinkModel).Assembly.GetManifestResourceStream("Pipeline.EntityLinking.Linking.Data.linker-model.json");
        return stream is null ? null : Load(stream);
    }
}

/// <summary>
/// The scorer of one pass: a logistic regression over standardised features (<see cref="Weights"/>, <see cref="Means"/>,
/// <see cref="Scales"/>), or boosted regression trees over the raw features with a sigmoid calibration
/// (<see cref="Trees"/>, <see cref="Slope"/>, <see cref="Offset"/>): P = 1 / (1 + exp(Slope * score + Offset)).
/// </summary>
public sealed class PassModel
{
    public float[]? Weights { get; init; }

    public float[]? Means { get; init; }

    public float[]? Scales { get; init; }

    public RegressionTree[]? Trees { get; init; }

    public float Slope { get; init; }

    public float Offset { get; init; }

    public float Probability(ReadOnlySpan<float> features)
    {
        if (Trees is { } trees)
        {
            var score = 0.0;
            foreach (var tree in trees)
            {
                score += tree.Evaluate(features);
            }

            return (float)(1 / (1 + Math.Exp((Slope * score) + Offset)));
        }

        var z = 0.0;
        var weights = Weights!;
        for (var i = 0; i < weights.Length; i++)
        {
            z += weights[i] * ((features[i] - Means![i]) / Scales![i]);
        }

        return (float)(1 / (1 + Math.Exp(-z)));
    }

    internal void Validate(int features)
    {
        if (Trees is { } trees)
        {
            foreach (var tree in trees)
            {
                tree.Validate(features);
            }

            return;
        }

        if (Weights is null || Means is null || Scales is null || Weights.Length != features || Means.Length != features || Scales.Length != features || Scales.Any(s => s <= 0))
        {
            throw new InvalidDataException("The linker model file is inconsistent: a pass needs trees, or one weight, mean and positive scale per feature.");
        }
    }
}

/// <summary>
/// One regression tree: internal node n sends a row left when feature <see cref="Feature"/>[n] is at most
/// <see cref="Threshold"/>[n], else right; a negative child c is the leaf ~c, whose value is added to the score.
/// </summary>
public sealed class RegressionTree
{
    public required int[] Feature { get; init; }

    public required float[] Threshold { get; init; }

    public required int[] Left { get; init; }

    public required int[] Right { get; init; }

    public required float[] Leaf { get; init; }

    public float Evaluate(ReadOnlySpan<float> features)
    {
        if (Feature.Length == 0)
        {
            return Leaf[0];
        }

        var node = 0;
        while (node >= 0)
        {
            node = features[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
        }

        return Leaf[~node];
    }

    internal void Validate(int features)
    {
        var nodes = Feature.Length;
        if (Threshold.Length != nodes || Left.Length != nodes || Right.Length != nodes || Leaf.Length != nodes + 1 ||
            Feature.Any(f => f < 0 || f >= features) || Left.Concat(Right).Any(c => c >= nodes || ~c >= Leaf.Length && c < 0))
        {
            throw new InvalidDataException("The linker model file holds a malformed tree.");
        }
    }
}
