using System.Text.Json;
using Pipeline.ClaimTagging.Offline;

namespace Pipeline.ClaimTagging.Tests;

public sealed class CheckWorthinessModelTests
{
    [Fact]
    public void Weights_are_written_in_half_precision_and_read_back_unchanged()
    {
        float[] weights = [.. new[] { 0.123456f, -2.5f, 0f, 1e-3f, 31.75f }.Select(HalfPrecisionArrayConverter.Round)];
        var member = new NetworkWeights { Hidden = 0, Layer1 = [], Bias1 = [], Output = weights, OutputBias = 0.5f };

        var json = JsonSerializer.Serialize(member, CheckWorthinessModel.Json);
        var read = JsonSerializer.Deserialize<NetworkWeights>(json, CheckWorthinessModel.Json)!;

        Assert.Equal(weights, read.Output);
        Assert.Contains("\"output\":\"", json, StringComparison.Ordinal);
        Assert.Equal(member.Probability([1, 1, 1, 1, 1]), read.Probability([1, 1, 1, 1, 1]));
    }

    [Fact]
    public void Weights_files_with_decimal_arrays_still_load()
    {
        const string json = """{"hidden":0,"inputs":0,"layer1":[],"bias1":[],"output":[0.5,-1.25],"outputBias":0.1}""";

        var read = JsonSerializer.Deserialize<NetworkWeights>(json, CheckWorthinessModel.Json)!;

        Assert.Equal([0.5f, -1.25f], read.Output);
    }

    [Fact]
    public void The_committed_model_reads_all_layers_of_both_embedders()
    {
        var model = CheckWorthinessModel.LoadEmbedded();

        Assert.EndsWith("-layers6", model.EmbeddingModel, StringComparison.Ordinal);
        Assert.NotNull(model.Refiner);
        Assert.EndsWith("-layers6", model.Refiner.EmbeddingModel, StringComparison.Ordinal);
    }
}
