using Pipeline.Embeddings;

namespace Pipeline.ClaimTagging.Offline;

/// <summary>
/// The classifier's input for each sentence: its embedding, the mean embedding of its neighbours (the sentence
/// before and after, as context: a reply to a question, a number explained in the next sentence), and the
/// <see cref="LexicalFeatures"/>.
/// </summary>
public static class SentenceFeatures
{
    /// <summary>Dense features first (embedding, second embedding, context, lexical); then the hashed word n-grams, if any.</summary>
    public static int Dimensions(int embedding, bool context, int ngramBuckets = 0, int secondEmbedding = 0) =>
        DenseDimensions(embedding, context, secondEmbedding) + ngramBuckets;

    public static int DenseDimensions(int embedding, bool context, int secondEmbedding = 0) =>
        embedding * (context ? 2 : 1) + secondEmbedding + LexicalFeatures.Count;

    /// <param name="sentences">The sentences in document order.</param>
    /// <param name="embeddings">Their embeddings, in the same order.</param>
    /// <param name="previous">Index of each sentence's predecessor in the document, or -1.</param>
    /// <param name="next">Index of each sentence's successor, or -1.</param>
    /// <param name="ngramBuckets">Hashed word unigrams and bigrams appended after the dense features (0: none).</param>
    /// <param name="second">A second model's embeddings, placed after the first's (null: none; context comes from the first model only).</param>
    /// <param name="only">Build the rows of these sentences only (null: all), in this order.</param>
    public static float[][] Build(IReadOnlyList<string> sentences, float[][] embeddings, bool context, IReadOnlyList<int> previous, IReadOnlyList<int> next,
        int ngramBuckets = 0, IReadOnlyList<float[]>? second = null, IReadOnlyList<int>? only = null)
    {
        var indices = only ?? Enumerable.Range(0, sentences.Count).ToArray();
        // With `only`, the other sentences may have no embedding (settled by the screen): size from a built row.
        var size = indices.Count == 0 ? 0 : embeddings[indices[0]].Length;
        var secondSize = second is { Count: > 0 } ? second[0].Length : 0;
        var rows = new float[indices.Count][];
        for (var k = 0; k < rows.Length; k++)
        {
            var i = indices[k];
            var row = new float[Dimensions(size, context, ngramBuckets, secondSize)];
            embeddings[i].CopyTo(row, 0);
            var offset = size;
            if (second is not null)
            {
                // With `only`, the second embeddings are those of the selected sentences, in the same order.
                second[only is null ? i : k].CopyTo(row, offset);
                offset += secondSize;
            }

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

            rows[k] = row;
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
}
