using Pipeline.ClaimTagging.Llm;
using Pipeline.ClaimTagging.Offline;
using Pipeline.Embeddings;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>The offline tagger with the embedder it owns (the model takes ~200 MB: dispose it when done).</summary>
public sealed class OwnedOfflineTagger(MiniLmEmbedder embedder, OfflineClaimTagger tagger) : IDisposable
{
    public OfflineClaimTagger Tagger { get; } = tagger;

    public void Dispose() => embedder.Dispose();
}

/// <summary>Builds the taggers outside dependency injection (the command line).</summary>
public static class ClaimTaggers
{
    /// <summary>The embedder the check-worthiness model is trained on: all-MiniLM-L6-v2 quantized to int8 (about twice the float model's speed).</summary>
    public static MiniLmEmbedder CreateEmbedder() => new(int8: true);

    /// <param name="modelPath">A weights file written by <c>pipeline train claims --output</c>; null: the built-in model.</param>
    public static OwnedOfflineTagger CreateOffline(string? modelPath = null)
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
        return new OwnedOfflineTagger(embedder, new OfflineClaimTagger(embedder, model));
    }

    /// <param name="connectionString">The <c>llm</c> connection string (see <see cref="LlmConnection"/>).</param>
    public static LlmClaimTagger CreateLlm(string connectionString, IClaimTagger fallback, ClaimTaggingOptions? options = null)
    {
        options ??= new ClaimTaggingOptions();
        var connection = LlmConnection.Parse(connectionString);
        return new LlmClaimTagger(connection.CreateChatService(options.LlmTimeout), connection.Model, fallback, options);
    }
}
