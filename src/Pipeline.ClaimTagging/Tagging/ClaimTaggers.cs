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
    public static OwnedOfflineTagger CreateOffline()
    {
        var embedder = new MiniLmEmbedder();
        return new OwnedOfflineTagger(embedder, new OfflineClaimTagger(embedder, CheckWorthinessModel.LoadEmbedded()));
    }

    /// <param name="connectionString">The <c>llm</c> connection string (see <see cref="LlmConnection"/>).</param>
    public static LlmClaimTagger CreateLlm(string connectionString, IClaimTagger fallback, ClaimTaggingOptions? options = null)
    {
        options ??= new ClaimTaggingOptions();
        var connection = LlmConnection.Parse(connectionString);
        return new LlmClaimTagger(connection.CreateChatService(options.LlmTimeout), connection.Model, fallback, options);
    }
}
