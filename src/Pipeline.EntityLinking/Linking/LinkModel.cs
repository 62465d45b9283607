using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// The ranker's trained parameters (written by <c>pipeline train linker</c>, embedded as Linking/Data/linker-model.json):
/// two logistic regressions over <see cref="LinkFeatures"/>, standardised with the training set's means and scales:
/// the first pass without document evidence, the second with it; and the link threshold chosen on held-out documents.
/// </summary>
public sealed class LinkModel
{
    public required string[] Features { get; init; }

    public required float[] Means { get; init; }

    public required float[] Scales { get; init; }

    public required float[] FirstPass { get; init; }

    public required float[] SecondPass { get; init; }

    /// <summary>A span is linked when its best candidate's second-pass probability reaches this (chosen on held-out documents).</summary>
    public required float Threshold { get; init; }

    /// <summary>What the model was trained and chosen on, for the record.</summary>
    public string Training { get; init; } = "";

    public float ScoreFirstPass(ReadOnlySpan<float> features) => Probability(FirstPass, features);

    public float ScoreSecondPass(ReadOnlySpan<float> features) => Probability(SecondPass, features);

    float Probability(float[] weights, ReadOnlySpan<float> features)
    {
        var z = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            z += weights[i] * ((features[i] - Means[i]) / Scales[i]);
        }

        return (float)(1 / (1 + Math.Exp(-z)));
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public void Save(Stream stream) => JsonSerializer.Serialize(stream, this, Json);

    public static LinkModel Load(Stream stream)
    {
        var model = JsonSerializer.Deserialize<LinkModel>(stream, Json) ?? throw new InvalidDataException("The linker model file is empty.");
        if (!model.Features.SequenceEqual(LinkFeatures.Names))
        {
            throw new InvalidDataException(
                $"The linker model was trained on other features ({model.Features.Length}: {string.Join(", ", model.Features.Take(5))}, ...) than this build computes ({LinkFeatures.Count}); retrain it with `pipeline train linker`.");
        }

        var n = model.Features.Length;
        if (model.Means.Length != n || model.Scales.Length != n || model.FirstPass.Length != n || model.SecondPass.Length != n || model.Scales.Any(s => s <= 0))
        {
            throw new InvalidDataException("The linker model file is inconsistent: every weight vector must have one entry per feature and every scale be positive.");
        }

        return model;
    }

    /// <summary>The model built into the service, or null when none has been trained yet.</summary>
    public static LinkModel? LoadBuiltIn()
    {
        using var stream = typeof(LinkModel).Assembly.GetManifestResourceStream("Pipeline.EntityLinking.Linking.Data.linker-model.json");
        return stream is null ? null : Load(stream);
    }
}
