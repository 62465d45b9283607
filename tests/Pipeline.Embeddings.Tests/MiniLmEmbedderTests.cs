using Pipeline.Embeddings;

namespace Pipeline.Embeddings.Tests;

/// <summary>One embedder for the class: loading the model is the expensive part.</summary>
public sealed class EmbedderFixture : IDisposable
{
    public MiniLmEmbedder Embedder { get; } = new();

    public void Dispose() => Embedder.Dispose();
}

public sealed class MiniLmEmbedderTests(EmbedderFixture fixture) : IClassFixture<EmbedderFixture>
{
    static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    [Fact]
    public void Every_vector_has_384_dimensions_and_unit_length()
    {
        var vectors = fixture.Embedder.Embed(["The economy grew by 3 percent last year.", "Hi", "", new string('x', 5000)]);

        Assert.Equal(4, vectors.Length);
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors.Take(2), v => Assert.Equal(1.0, Math.Sqrt(Dot(v, v)), 4));
    }

    [Fact]
    public void Paraphrases_are_closer_than_unrelated_sentences()
    {
        var v = fixture.Embedder.Embed(
        [
            "Unemployment fell to its lowest level in fifty years.",
            "The jobless rate dropped to a five-decade low.",
            "My cat likes to sleep on the warm windowsill.",
        ]);

        Assert.True(Dot(v[0], v[1]) > Dot(v[0], v[2]) + 0.3, $"paraphrase {Dot(v[0], v[1]):F3}, unrelated {Dot(v[0], v[2]):F3}");
    }

    [Fact]
    public void Vectors_come_back_in_input_order_whatever_the_batching()
    {
        string[] sentences = ["A long sentence about taxes, spending and the federal deficit in 2024.", "Short.", "Medium length sentence here."];
        var together = fixture.Embedder.Embed(sentences);

        for (var i = 0; i < sentences.Length; i++)
        {
            var alone = fixture.Embedder.Embed([sentences[i]])[0];
            Assert.Equal(1.0, Dot(together[i], alone), 4);
        }
    }

    [Fact]
    public void Currency_and_comparison_symbols_are_kept_as_tokens()
    {
        var encoder = Encoder();

        var withSymbols = encoder.Encode("$3.5 > 2");
        var without = encoder.Encode("3.5 2");

        Assert.Equal(without.Length + 2, withSymbols.Length);
        Assert.NotEqual(fixture.Embedder.Embed(["It cost $3.5 billion."])[0], fixture.Embedder.Embed(["It cost 3.5 billion."])[0]);
    }

    [Fact]
    public void Long_sentences_are_truncated_to_the_token_limit_with_the_separator_kept()
    {
        var encoder = Encoder(maxTokens: 16);

        var ids = encoder.Encode(string.Join(' ', Enumerable.Repeat("word", 100)));

        Assert.Equal(16, ids.Length);
        Assert.Equal(102, ids[^1]);
        Assert.Equal(101, ids[0]);
    }

    [Fact]
    public void Concurrent_callers_get_the_same_vectors_as_a_single_caller()
    {
        string[] sentences = ["Taxes rose by 12% under the last administration.", "We will build the wall.", "Thank you very much."];
        var expected = fixture.Embedder.Embed(sentences);

        var results = new float[8][][];
        Parallel.For(0, results.Length, i => results[i] = fixture.Embedder.Embed(sentences));

        Assert.All(results, r => Assert.All(Enumerable.Range(0, sentences.Length), i => Assert.Equal(1.0, Dot(expected[i], r[i]), 4)));
    }

    static WordPieceEncoder Encoder(int maxTokens = 256)
    {
        using var vocab = MiniLmEmbedder.OpenVocabulary();
        return new WordPieceEncoder(vocab, maxTokens);
    }
}
