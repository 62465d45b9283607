using System.Numerics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.ClaimTagging.Offline;

/// <summary>One member of the ensemble: logistic regression (Hidden = 0) or one hidden ReLU layer.</summary>
public sealed class NetworkWeights
{
    public required int Hidden { get; init; }

    /// <summary>How many of the leading features this member reads (the dense ones, or all with the n-grams; 0: all).</summary>
    public int Inputs { get; init; }

    /// <summary>Hidden × input weights, row by row (empty for logistic regression).</summary>
    [JsonConverter(typeof(HalfPrecisionArrayConverter))]
    public required float[] Layer1 { get; init; }

    [JsonConverter(typeof(HalfPrecisionArrayConverter))]
    public required float[] Bias1 { get; init; }

    /// <summary>Output weights: one per hidden unit, or one per input for logistic regression.</summary>
    [JsonConverter(typeof(HalfPrecisionArrayConverter))]
    public required float[] Output { get; init; }

    public required float OutputBias { get; init; }

    public double Probability(ReadOnlySpan<float> features)
    {
        var x = Inputs > 0 ? features[..Inputs] : features;
        if (Hidden == 0)
        {
            return Sigmoid(Dot(Output, x) + OutputBias);
        }

        var z = OutputBias;
        var inputs = x.Length;
        for (var j = 0; j < Hidden; j++)
        {
            var a = Dot(Layer1.AsSpan(j * inputs, inputs), x) + Bias1[j];
            if (a > 0)
            {
                z += a * Output[j];
            }
        }

        return Sigmoid(z);
    }

    internal static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}

/// <summary>
/// The second stage of the classifier: sentences whose first-stage probability falls in [<see cref="Low"/>,
/// <see cref="High"/>) are scored again with a second sentence model's embedding added to the features (the
/// first model's embedding, the second's, the first's neighbour context, lexical cues, n-grams). Outside the band the
/// first stage is sure enough, so the second model runs only on the uncertain part of a text.
/// </summary>
public sealed class CheckWorthinessRefiner
{
    public required string EmbeddingModel { get; init; }

    public required double Low { get; init; }

    public required double High { get; init; }

    public required int Inputs { get; init; }

    public required IReadOnlyList<NetworkWeights> Members { get; init; }

    public bool Refines(double firstStageProbability) => firstStageProbability >= Low && firstStageProbability < High;

    public double Probability(ReadOnlySpan<float> features) => CheckWorthinessModel.Average(Members, Inputs, features);
}

/// <summary>
/// The trained check-worthiness classifier of the offline tagger, as written by <c>pipeline train claims</c>
/// (Offline/checkworthiness-model.json, embedded): an averaged ensemble over <see cref="SentenceFeatures"/>, with the
/// decision threshold chosen by cross-validation on the training file.
/// </summary>
public sealed record CheckWorthinessModel
{
    public const string ResourceName = "Pipeline.ClaimTagging.Offline.checkworthiness-model.json";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Changes with every retraining that may change scores; part of the tagger's version.</summary>
    public required string Version { get; init; }

    public required string EmbeddingModel { get; init; }

    public required bool UsesContext { get; init; }

    /// <summary>Hashed word n-gram buckets after the dense features (0: none).</summary>
    public int NGramBuckets { get; init; }

    public required int Inputs { get; init; }

    /// <summary>Probability at or above which a sentence counts as check-worthy.</summary>
    public required double Threshold { get; init; }

    public required IReadOnlyList<NetworkWeights> Members { get; init; }

    /// <summary>The second stage for uncertain sentences (null: none).</summary>
    public CheckWorthinessRefiner? Refiner { get; init; }

    /// <summary>The cheap stage that settles sure sentences before any embedding (null: none; never with neighbour context, which needs the neighbours' embeddings).</summary>
    public CheckWorthinessScreen? Screen { get; init; }

    /// <summary>How the model was trained and how it scored, for the record (data file, folds, F1).</summary>
    public Dictionary<string, string> Training { get; init; } = [];

    public double Probability(ReadOnlySpan<float> features) => Average(Members, Inputs, features);

    internal static double Average(IReadOnlyList<NetworkWeights> members, int inputs, ReadOnlySpan<float> features)
    {
        if (features.Length != inputs)
        {
            throw new ArgumentException($"Expected {inputs} features, got {features.Length}.", nameof(features));
        }

        var sum = 0.0;
        foreach (var member in members)
        {
            sum += member.Probability(features);
        }

        return sum / members.Count;
    }

    public static CheckWorthinessModel LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The trained model {ResourceName} is not embedded; run `pipeline train claims`.");
        return Load(stream);
    }

    public static CheckWorthinessModel Load(Stream stream) =>
        JsonSerializer.Deserialize<CheckWorthinessModel>(stream, Json) ?? throw new InvalidDataException("The check-worthiness model file is empty.");

    public void Save(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, Json);
    }
}

/// <summary>
/// Weights as base64 of IEEE half-precision values (2 bytes each, about a third of the size of decimal text); the
/// trainer rounds every weight to half precision, so writing and reading loses nothing. A JSON array of numbers (the
/// format of earlier weights files) is read too.
/// </summary>
public sealed class HalfPrecisionArrayConverter : JsonConverter<float[]>
{
    /// <summary>The value a weight has once stored.</summary>
    public static float Round(float value) => (float)(Half)value;

    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var values = new List<float>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                values.Add(reader.GetSingle());
            }

            return [.. values];
        }

        var bytes = reader.GetBytesFromBase64();
        var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes);
        var result = new float[halves.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (float)halves[i];
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        var halves = new Half[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            halves[i] = (Half)value[i];
        }

        writer.WriteBase64StringValue(System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()));
    }
}
