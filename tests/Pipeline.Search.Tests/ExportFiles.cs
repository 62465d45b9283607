using System.Text;
using System.Text.Json;

namespace Pipeline.Search.Tests;

/// <summary>Reads exports back as a spreadsheet or a JSON reader would, strictly, to check what the service wrote.</summary>
public static class ExportFiles
{
    static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// An RFC 4180 file: UTF-8 after a byte order mark, CRLF after every record, fields quoted where needed with quotes
    /// doubled. Fails on anything else (a bare LF outside quotes, text after a closing quote, a missing final CRLF).
    /// </summary>
    public static List<string[]> ParseCsv(byte[] file)
    {
        Assert.True(file.AsSpan().StartsWith(Bom), "the CSV starts with a UTF-8 byte order mark");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file, Bom.Length, file.Length - Bom.Length);
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                for (i++; ; i++)
                {
                    Assert.True(i < text.Length, "a quoted field is closed");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i]);
                }

                Assert.True(i >= text.Length || text[i] is ',' or '\r', $"a closing quote ends the field (at {i})");
                continue;
            }

            switch (text[i])
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    i++;
                    break;
                case '\r':
                    Assert.True(i + 1 < text.Length && text[i + 1] == '\n', $"CR is followed by LF (at {i})");
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add([.. fields]);
                    fields.Clear();
                    i += 2;
                    break;
                case '\n' or '"':
                    Assert.Fail($"an unquoted field holds {(text[i] == '\n' ? "a bare LF" : "a quote")} (at {i})");
                    break;
                default:
                    field.Append(text[i]);
                    i++;
                    break;
            }
        }

        Assert.True(field.Length == 0 && fields.Count == 0, "the last record ends with CRLF");
        return records;
    }

    /// <summary>The CSV's records as rows keyed by the header's column names (an empty cell is null).</summary>
    public static List<Dictionary<string, string?>> CsvRows(byte[] file)
    {
        var records = ParseCsv(file);
        var header = records[0];
        Assert.All(records, r => Assert.Equal(header.Length, r.Length));
        return [.. records.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second.Length == 0 ? null : p.Second))];
    }

    /// <summary>One JSON object per LF-terminated line; each parsed strictly.</summary>
    public static List<JsonElement> ParseNdjson(byte[] file)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file);
        Assert.False(text.StartsWith('\uFEFF'), "NDJSON has no byte order mark");
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the last line ends with LF");
        return [.. text.Split('\n').SkipLast(1).Select(line =>
        {
            var element = JsonDocument.Parse(line).RootElement.Clone();
            Assert.Equal(JsonValueKind.Object, element.ValueKind);
            return element;
        })];
    }

    /// <summary>The NDJSON's rows as text keyed by property (numbers as written, arrays joined with ';'), comparable with <see cref="CsvRows"/>.</summary>
    public static List<Dictionary<string, string?>> NdjsonRows(byte[] file) =>
        [.. ParseNdjson(file).Select(row => row.EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value)))];

    static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Array => value.GetArrayLength() == 0 ? null : string.Join(';', value.EnumerateArray().Select(v => v.GetString())),
        _ => value.GetRawText(),
    };

    /// <summary>How the CSV writes a text cell: a leading single quote before what a spreadsheet would run as a formula.</summary>
    public static string? AsCsvText(string? value) =>
        value is { Length: > 0 } && "=+-@\t\r".Contains(value[0]) ? "'" + value : value is { Length: > 0 } ? value : null;
}
