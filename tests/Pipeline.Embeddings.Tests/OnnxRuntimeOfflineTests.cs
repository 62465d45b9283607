namespace Pipeline.Embeddings.Tests;

/// <summary>
/// ONNX Runtime's telemetry uploader (mobile.events.data.microsoft.com) starts unless ORT_DISABLE_TELEMETRY=1 is in the
/// native environment when the runtime initialises: every embedder sets it first, where the native runtime reads it.
/// </summary>
public sealed class OnnxRuntimeOfflineTests
{
    [Fact]
    public void An_embedder_switches_ONNX_Runtime_telemetry_off_in_the_native_environment_before_its_session()
    {
        using var embedder = new MiniLmEmbedder();

        Assert.Equal("1", OnnxRuntimeOffline.NativeValue());
        Assert.Equal(384, embedder.Embed(["A sentence."])[0].Length);
    }
}
