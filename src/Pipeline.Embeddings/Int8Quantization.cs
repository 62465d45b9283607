using Google.Protobuf;
using Onnx;

namespace Pipeline.Embeddings;

/// <summary>
/// Dynamic int8 quantization of an ONNX transformer, done in memory when the model is loaded: every MatMul whose
/// second input is a constant 2-D float matrix becomes ONNX Runtime's <c>com.microsoft.DynamicQuantizeMatMul</c>,
/// with the weights stored as int8 (symmetric, one scale per output column) and the activations quantized to uint8
/// per call. On CPUs with VNNI this about doubles the throughput of all-MiniLM-L6-v2 (cosine to the float
/// embeddings ~0.99). The activations share one scale per batch, so a sentence's vector varies slightly (cosine
/// > 0.99) with the sentences batched beside it.
/// </summary>
public static class Int8Quantization
{
    const int FloatType = (int)TensorProto.Types.DataType.Float;
    const int Int8Type = (int)TensorProto.Types.DataType.Int8;

    /// <param name="model">The serialized float model.</param>
    /// <param name="keepOutputs">Graph outputs to keep (the others, e.g. a pooler, are dropped so they are not computed); empty keeps all.</param>
    /// <returns>The serialized quantized model, and how many MatMuls were quantized.</returns>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(byte[] model, IReadOnlyCollection<string> keepOutputs) =>
        Quantize(ModelProto.Parser.ParseFrom(model), keepOutputs);

    /// <summary>Quantizes a parsed model (changing it) and serializes the result; saves a parse when the caller has one.</summary>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(ModelProto proto, IReadOnlyCollection<string> keepOutputs)
    {
        ArgumentNullException.ThrowIfNull(proto);
        var graph = proto.Graph;
        var weights = graph.Initializer.ToDictionary(t => t.Name);
        var quantized = 0;
        foreach (var node in graph.Node.Where(n => n.OpType == "MatMul" && n.Domain.Length == 0))
        {
            if (!weights.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count != 2 || weight.DataType != FloatType || weight.RawData.IsEmpty)
            {
                continue;
            }

            var (values, scales) = QuantizeColumns(weight);
            var rows = weight.Dims[0];
            var columns = weight.Dims[1];
            var name = weight.Name;
            graph.Initializer.Add(Tensor($"{name}_int8", Int8Type, values, rows, columns));
            graph.Initializer.Add(Tensor($"{name}_scale", FloatType, scales, columns));
            graph.Initializer.Add(Tensor($"{name}_zero_point", Int8Type, new byte[columns], columns));
            var activations = node.Input[0];
            node.OpType = "DynamicQuantizeMatMul";
            node.Domain = "com.microsoft";
            node.Input.Clear();
            node.Input.Add([activations, $"{name}_int8", $"{name}_scale", $"{name}_zero_point"]);
            quantized++;
        }

        if (keepOutputs.Count > 0)
        {
            foreach (var output in graph.Output.Where(o => !keepOutputs.Contains(o.Name)).ToList())
            {
                graph.Output.Remove(output);
            }
        }

        var used = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var unused in graph.Initializer.Where(t => !used.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }

        if (!proto.OpsetImport.Any(o => o.Domain == "com.microsoft"))
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }

        return (proto.ToByteArray(), quantized);
    }

    /// <summary>Symmetric int8 per output column: scale = max |w| / 127, so zero stays exactly zero.</summary>
    static (byte[] Values, byte[] Scales) QuantizeColumns(TensorProto weight)
    {
        var rows = (int)weight.Dims[0];
        var columns = (int)weight.Dims[1];
        var floats = new float[rows * columns];
        weight.RawData.Span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()));
        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(floats[r * columns + c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var values = new byte[floats.Length];
        for (var i = 0; i < floats.Length; i++)
        {
            values[i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(floats[i] / scales[i % columns]), -127f, 127f));
        }

        return (values, System.Runtime.InteropServices.MemoryMarshal.AsBytes(scales.AsSpan()).ToArray());
    }

    static TensorProto Tensor(string name, int dataType, byte[] raw, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = dataType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
