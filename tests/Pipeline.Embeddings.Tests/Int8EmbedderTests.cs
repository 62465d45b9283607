namespace Pipeline.Embeddings.Tests;

/// <summary>The float and the int8 embedder, loaded once for the class.</summary>
public sealed class FloatAndInt8Fixture : IDisposable
{
    public MiniLmEmbedder Float { get; } = new();

    public MiniLmEmbedder Int8 { get; } = new(int8: true);

    public void Dispose()
    {
        Float.Dispose();
        Int8.Dispose();
    }
}

public sealed class Int8EmbedderTests(FloatAndInt8Fixture fixture) : IClassFixture<FloatAndInt8Fixture>
{
    static readonly string[] Sentences =
    [
        "Unemployment fell to its lowest level in fifty years.",
        "The jobless rate dropped to a five-decade low.",
        "My cat likes to sleep on the warm windowsill.",
        "Chinese President Xi Jinping assured President Joe Biden in November that his country would not meddle in the 2024 elections.",
        "We spent $3.5 billion > last year's budget.",
    ];

    static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    [Fact]
    public void Int8_vectors_have_their_own_model_id_and_stay_close_to_the_float_ones()
    {
        var exact = fixture.Float.Embed(Sentences);
        var quantized = fixture.Int8.Embed(Sentences);

        Assert.NotEqual(fixture.Float.ModelId, fixture.Int8.ModelId);
        Assert.All(quantized, v => Assert.Equal(1.0, Math.Sqrt(Dot(v, v)), 4));
        for (var i = 0; i < Sentences.Length; i++)
        {
            var cosine = Dot(exact[i], quantized[i]);
            Assert.True(cosine is > 0.95 and < 0.99999, $"sentence {i}: cosine {cosine:F4} to the float vector");
        }
    }

    [Fact]
    public void Int8_vectors_keep_paraphrases_closer_than_unrelated_sentences()
    {
        var v = fixture.Int8.Embed(Sentences[..3]);

        Assert.True(Dot(v[0], v[1]) > Dot(v[0], v[2]) + 0.3, $"paraphrase {Dot(v[0], v[1]):F3}, unrelated {Dot(v[0], v[2]):F3}");
    }

    [Fact]
    public void Quantization_replaces_every_weight_product_of_the_six_layers()
    {
        using var model = MiniLmEmbedder.OpenModel();
        using var buffer = new MemoryStream();
        model.CopyTo(buffer);

        var (quantized, count) = Int8Quantization.Quantize(buffer.ToArray(), ["last_hidden_state"]);

        // Per layer: query, key, value, attention output, feed-forward in and out.
        Assert.Equal(6 * 6, count);
        // The layers' weights shrink to a quarter; the word-embedding table (a lookup, no product) stays float.
        Assert.True(quantized.Length < buffer.Length * 0.7, $"{quantized.Length} bytes quantized vs {buffer.Length} float");
    }
}
