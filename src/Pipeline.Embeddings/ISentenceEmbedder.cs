namespace Pipeline.Embeddings;

/// <summary>Turns sentences into fixed-size vectors whose dot product measures how similar two sentences are.</summary>
public interface ISentenceEmbedder
{
    /// <summary>The length of every vector <see cref="Embed"/> returns.</summary>
    int Dimensions { get; }

    /// <summary>The model's name, for provenance (e.g. "all-MiniLM-L6-v2").</summary>
    string ModelId { get; }

    /// <summary>One L2-normalised vector per sentence (or one per layer, one after the other, when an embedder says so), in the order given. Thread-safe.</summary>
    float[][] Embed(IReadOnlyList<string> sentences);
}
