using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Search.Api;

/// <summary>
/// Newline-delimited JSON: one object per row and line (LF), the columns as properties in order, typed: numbers as
/// numbers, lists as arrays, a missing value as null. Non-ASCII text is written as is (UTF-8, no BOM), not \u-escaped;
/// the file is a download, never embedded in HTML.
/// </summary>
public sealed class NdjsonExportFormat : ExportFormat
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    JsonEncodedText[] _columns = [];
    IBufferWriter<byte>? _output;
    Utf8JsonWriter? _json;
    int _column;

    public override string Name => "ndjson";

    public override string ContentType => "application/x-ndjson";

    public override void Start(IBufferWriter<byte> output, IReadOnlyList<string> columns)
    {
        _output = output;
        _columns = [.. columns.Select(c => JsonEncodedText.Encode(c))];
        _json = new Utf8JsonWriter(output, Options);
    }

    public override void Text(string? value)
    {
        var json = Property();
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }

    public override void Number(double? value)
    {
        var json = Property();
        if (value is { } number && double.IsFinite(number))
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    public override void Integer(long? value)
    {
        var json = Property();
        if (value is { } number)
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    public override void Flag(bool? value)
    {
        var json = Property();
        if (value is { } flag)
        {
            json.WriteBooleanValue(flag);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    public override void Time(DateTimeOffset? value) =>
        Text(value?.UtcDateTime.ToString(IsoUtc, CultureInfo.InvariantCulture));

    public override void List(IReadOnlyList<string> values)
    {
        var json = Property();
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    public override void EndRow()
    {
        var json = Started();
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        _output!.Write("\n"u8);
        _column = 0;
    }

    Utf8JsonWriter Property()
    {
        var json = Started();
        if (_column == 0)
        {
            json.WriteStartObject();
        }

        json.WritePropertyName(_columns[_column++]);
        return json;
    }

    Utf8JsonWriter Started() => _json ?? throw new InvalidOperationException("Start the export before writing rows.");
}
