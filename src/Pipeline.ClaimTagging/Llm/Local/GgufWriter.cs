using System.Text;

namespace Pipeline.ClaimTagging.Llm.Local;

/// <summary>
/// Writes a GGUF file (version 3, the format llama.cpp loads): a header, typed metadata key/value pairs, tensor
/// descriptions, then the tensor data, each tensor aligned to <see cref="Alignment"/> bytes. Only what the pipeline
/// needs is supported: scalar, string and array metadata and 32-bit float tensors.
/// </summary>
public sealed class GgufWriter
{
    public const uint Version = 3;

    /// <summary>GGUF's default alignment of the data section and of every tensor in it.</summary>
    public const int Alignment = 32;

    static readonly byte[] Magic = "GGUF"u8.ToArray();

    readonly List<(string Key, GgufValueType Type, object Value)> metadata = [];
    readonly List<(string Name, long[] Shape, float[] Data)> tensors = [];

    public GgufWriter Add(string key, string value) => AddEntry(key, GgufValueType.String, value);

    public GgufWriter Add(string key, uint value) => AddEntry(key, GgufValueType.UInt32, value);

    public GgufWriter Add(string key, float value) => AddEntry(key, GgufValueType.Float32, value);

    public GgufWriter Add(string key, bool value) => AddEntry(key, GgufValueType.Bool, value);

    public GgufWriter Add(string key, IReadOnlyList<string> values) => AddEntry(key, GgufValueType.Array, (GgufValueType.String, (object)values));

    public GgufWriter Add(string key, IReadOnlyList<float> values) => AddEntry(key, GgufValueType.Array, (GgufValueType.Float32, (object)values));

    public GgufWriter Add(string key, IReadOnlyList<int> values) => AddEntry(key, GgufValueType.Array, (GgufValueType.Int32, (object)values));

    /// <summary>A float tensor; <paramref name="shape"/> in ggml order (the first dimension varies fastest).</summary>
    public GgufWriter AddTensor(string name, long[] shape, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(data.LongLength, shape.Aggregate(1L, (a, b) => a * b), nameof(data));
        if (tensors.Any(t => t.Name == name))
        {
            throw new ArgumentException($"Tensor '{name}' is already added.", nameof(name));
        }

        tensors.Add((name, shape, data));
        return this;
    }

    GgufWriter AddEntry(string key, GgufValueType type, object value)
    {
        if (metadata.Any(m => m.Key == key))
        {
            throw new ArgumentException($"Key '{key}' is already added.", nameof(key));
        }

        metadata.Add((key, type, value));
        return this;
    }

    public void Write(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)tensors.Count);
        writer.Write((ulong)metadata.Count);
        foreach (var (key, type, value) in metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)type);
            WriteValue(writer, type, value);
        }

        ulong offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)shape.Length);
            foreach (var dimension in shape)
            {
                writer.Write((ulong)dimension);
            }

            writer.Write((uint)GgmlType.F32);
            writer.Write(offset);
            offset += Align((ulong)data.LongLength * sizeof(float));
        }

        Pad(writer);
        foreach (var (_, _, data) in tensors)
        {
            foreach (var value in data)
            {
                writer.Write(value);
            }

            Pad(writer);
        }
    }

    public void Write(string path)
    {
        using var file = File.Create(path);
        Write(file);
    }

    static ulong Align(ulong size) => (size + Alignment - 1) / Alignment * Alignment;

    static void Pad(BinaryWriter writer)
    {
        writer.Flush();
        var position = writer.BaseStream.Position;
        var padding = (int)(Align((ulong)position) - (ulong)position);
        writer.Write(new byte[padding]);
    }

    static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    static void WriteValue(BinaryWriter writer, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.String:
                WriteString(writer, (string)value);
                break;
            case GgufValueType.UInt32:
                writer.Write((uint)value);
                break;
            case GgufValueType.Int32:
                writer.Write((int)value);
                break;
            case GgufValueType.Float32:
                writer.Write((float)value);
                break;
            case GgufValueType.Bool:
                writer.Write((bool)value ? (byte)1 : (byte)0);
                break;
            case GgufValueType.Array:
                var (elementType, elements) = ((GgufValueType, object))value;
                writer.Write((uint)elementType);
                var list = (System.Collections.IList)elements;
                writer.Write((ulong)list.Count);
                foreach (var element in list)
                {
                    WriteValue(writer, elementType, element!);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Not a type this writer supports.");
        }
    }
}

/// <summary>GGUF metadata value types (their numbers are the format's).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

/// <summary>The ggml tensor types this writer produces.</summary>
public enum GgmlType : uint
{
    F32 = 0,
}
