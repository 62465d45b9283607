using Pipeline.Embeddings;

namespace Pipeline.ClaimTagging.Offline;

/// <summary>
/// The classifier's input for each sentence: its embedding, the mean embedding of its neighbours (the sentence
/// before and after, as context: a reply to a question, a number explained in the next sentence), and the
/// <see cref="LexicalFeatures"/>.
/// </summary>
public static class SentenceFeatures
{
    /// <summary>Dense features first (embedding, context, lexical); then the hashed word n-grams, if any.</summary>
    public static int Dimensions(int embedding, bool context, int ngramBuckets = 0) => DenseDimensions(embedding, context) + ngramBuckets;

    public static int DenseDimensions(int embedding, bool context) => embedding * (context ? 2 : 1) + LexicalFeatures.Count;

    /// <param name="sentences">The sentences in document order.</param>
    /// <param name="embeddings">Their embeddings, in the same order.</param>
    /// <param name="previous">Index of each sentence's predecessor in the document, or -1.</param>
    /// <param name="next">Index of each sentence's successor, or -1.</param>
    /// <param name="ngramBuckets">Hashed word unigrams and bigrams appended after the dense features (0: none).</param>
    public static float[][] Build(IReadOnlyList<string> sentences, float[][] embeddings, bool context, IReadOnlyList<int> previous, IReadOnlyList<int> next, int ngramBuckets = 0)
    {
        var size = embeddings.Length == 0 ? 0 : embeddings[0].Length;
        var rows = new float[sentences.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = new float[Dimensions(size, context, ngramBuckets)];
            embeddings[i].CopyTo(row, 0);
            var offset = size;
            if (context)
            {
                foreach (var neighbour in (ReadOnlySpan<int>)[previous[i], next[i]])
                {
                    if (neighbour >= 0)
                    {
                        for (var d = 0; d < size; d++)
                        {
                            row[offset + d] += embeddings[neighbour][d] / 2;
                        }
                    }
                }

                offset += size;
            }

            LexicalFeatures.Write(sentences[i], row.AsSpan(offset, LexicalFeatures.Count));
            if (ngramBuckets > 0)
            {
                WordNGrams.Write(sentences[i], row.AsSpan(offset + LexicalFeatures.Count, ngramBuckets));
            }

            rows[i] = row;
        }

        return rows;
    }

    /// <summary>Neighbours of consecutive sentences of one document.</summary>
    public static (int[] Previous, int[] Next) Consecutive(int count) =>
        (Enumerable.Range(0, count).Select(i => i - 1).ToArray(), Enumerable.Range(0, count).Select(i => i + 1 < count ? i + 1 : -1).ToArray());

    /// <summary>Neighbours by sentence id (id - 1 and id + 1), as in the debate transcripts of the CheckThat! files.</summary>
    public static (int[] Previous, int[] Next) ById(IReadOnlyList<long> ids)
    {
        var index = new Dictionary<long, int>();
        for (var i = 0; i < ids.Count; i++)
        {
            index[ids[i]] = i;
        }

        return (ids.Select(id => index.GetValueOrDefault(id - 1, -1)).ToArray(), ids.Select(id => index.GetValueOrDefault(id + 1, -1)).ToArray());
    }

    public static float[][] Embed(ISentenceEmbedder embedder, IReadOnlyList<string> sentences) => embedder.Embed(sentences);
}
