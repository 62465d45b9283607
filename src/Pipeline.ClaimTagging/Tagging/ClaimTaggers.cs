using Microsoft.Extensions.Logging;
using Pipeline.ClaimTagging.Llm;
using Pipeline.ClaimTagging.Llm.Local;
using Pipeline.ClaimTagging.Offline;
using Pipeline.Embeddings;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>The offline tagger with the embedders it owns (each model takes ~200 MB: dispose it when done).</summary>
public sealed class OwnedOfflineTagger(OfflineClaimTagger tagger, params IDisposable[] embedders) : IDisposable
{
    public OfflineClaimTagger Tagger { get; } = tagger;

    public void Dispose()
    {
        foreach (var embedder in embedders)
        {
            embedder.Dispose();
        }
    }
}

/// <summary>Builds the taggers outside dependency injection (the command line).</summary>
public static class ClaimTaggers
{
    /// <summary>
    /// The embedder the check-worthiness model is trained on: all-MiniLM-L6-v2 quantized to int8 (about twice the
    /// float model's speed), the pooled states of all six layers (<see cref="LayerOutputs"/>).
    /// </summary>
    public static MiniLmEmbedder CreateEmbedder() => new(int8: true, allLayers: true);

    /// <summary>The second model, for the sentences the first stage is unsure of: snowflake-arctic-embed-xs in int8, all six layers' [CLS] states.</summary>
    public static OnnxSentenceEmbedder CreateRefinerEmbedder() => new(SentenceModel.ArcticXs, int8: true, allLayers: true);

    /// <param name="modelPath">A weights file written by <c>pipeline train claims --output</c>; null: the built-in model.</param>
    /// <param name="cacheEntries">Scores of sentences seen before kept for reuse (0: none).</param>
    public static OwnedOfflineTagger CreateOffline(string? modelPath = null, int cacheEntries = 0)
    {
        CheckWorthinessModel model;
        if (modelPath is null)
        {
            model = CheckWorthinessModel.LoadEmbedded();
        }
        else
        {
            using var stream = File.OpenRead(modelPath);
            model = CheckWorthinessModel.Load(stream);
        }

        var embedder = CreateEmbedder();
        ReleaseLoadingBuffers();
        var refinerEmbedder = model.Refiner is null ? null : CreateRefinerEmbedder();
        ReleaseLoadingBuffers();
        var tagger = new OfflineClaimTagger(embedder, model, refinerEmbedder, cacheEntries);
        return refinerEmbedder is null ? new OwnedOfflineTagger(tagger, embedder) : new OwnedOfflineTagger(tagger, embedder, refinerEmbedder);
    }

    /// <summary>
    /// Loading a model leaves ~0.25 GB of temporary buffers on the large-object heap (the packaged model, its parsed
    /// graph, the quantized copy): a compacting collection after each hands it back before the next one loads
    /// (measured with both models: working set 918 -> 383 MB after loading, peak RSS of an eval 1.32 -> 0.73 GB).
    /// </summary>
    static void ReleaseLoadingBuffers() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <param name="connectionString">The <c>llm</c> connection string (see <see cref="LlmConnection"/>).</param>
    /// <param name="local">How a local model runs (<c>Provider=Local</c>); defaults otherwise.</param>
    public static LlmClaimTagger CreateLlm(string connectionString, IClaimTagger fallback, ClaimTaggingOptions? options = null,
        LocalModelOptions? local = null, ILoggerFactory? loggers = null)
    {
        options ??= new ClaimTaggingOptions();
        var connection = LlmConnection.Parse(connectionString);
        return new LlmClaimTagger(connection.CreateChatService(options.LlmTimeout, local, loggers), connection.ModelName, fallback, options,
            logger: loggers?.CreateLogger<LlmClaimTagger>(), sendResponseFormat: connection.SendsResponseFormat);
    }
}
