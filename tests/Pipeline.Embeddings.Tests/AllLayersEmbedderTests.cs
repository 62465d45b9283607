using Onnx;

namespace Pipeline.Embeddings.Tests;

/// <summary>The float MiniLM with the last layer only and with all layers, loaded once for the class.</summary>
public sealed class AllLayersFixture : IDisposable
{
    public MiniLmEmbedder LastLayer { get; } = new();

    public MiniLmEmbedder AllLayers { get; } = new(allLayers: true);

    public void Dispose()
    {
        LastLayer.Dispose();
        AllLayers.Dispose();
    }
}

public sealed class AllLayersEmbedderTests(AllLayersFixture fixture) : IClassFixture<AllLayersFixture>
{
    static readonly string[] Sentences =
    [
        "Unemployment fell to its lowest level in fifty years.",
        "My cat likes to sleep on the warm windowsill.",
        "Chinese President Xi Jinping assured President Joe Biden in November that his country would not meddle in the 2024 elections.",
    ];

    static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    [Fact]
    public void The_graph_exposes_the_output_of_each_of_the_six_layers_ending_with_the_last_hidden_state()
    {
        using var stream = MiniLmEmbedder.OpenModel();
        var model = ModelProto.Parser.ParseFrom(stream);

        var layers = LayerOutputs.Expose(model);

        Assert.Equal(6, layers.Count);
        Assert.Equal("last_hidden_state", layers[^1]);
        Assert.All(layers, name => Assert.Contains(model.Graph.Output, o => o.Name == name));
    }

    [Fact]
    public void Each_layer_is_a_unit_vector_and_the_last_is_the_usual_sentence_embedding()
    {
        var all = fixture.AllLayers.Embed(Sentences);
        var last = fixture.LastLayer.Embed(Sentences);

        Assert.Equal(6 * 384, fixture.AllLayers.Dimensions);
        Assert.EndsWith("-layers6", fixture.AllLayers.ModelId, StringComparison.Ordinal);
        for (var i = 0; i < Sentences.Length; i++)
        {
            Assert.Equal(6 * 384, all[i].Length);
            for (var layer = 0; layer < 6; layer++)
            {
                var slice = all[i].AsSpan(layer * 384, 384);
                Assert.Equal(1.0, Dot(slice, slice), 4);
            }

            // The last slice points where the mean-pooled last layer does (same model, same pooling).
            var lastSlice = all[i].AsSpan(5 * 384, 384);
            Assert.Equal(1.0, Dot(lastSlice, last[i]), 4);
            // The lower layers carry something else: the first is far from the last.
            Assert.True(Dot(all[i].AsSpan(0, 384), lastSlice) < 0.9, $"sentence {i}: first and last layer nearly parallel");
        }
    }
}
