using System.Text.Json.Nodes;

namespace Pipeline.Cli.Import;

/// <summary>One article read from a file: where it came from (for messages), and its API body or why there is none.</summary>
public sealed record SourceArticle(string Origin, JsonObject? Body, string? Error, string? Warning);

/// <summary>
/// The articles of one input file, by its kind: JSON Lines (.jsonl, .ndjson), CSV with a header row (.csv, columns
/// matched by name or renamed with a column map), or one article per .txt / .html / .htm file.
/// </summary>
public static class ArticleSource
{
    public static readonly string[] SupportedExtensions = [".jsonl", ".ndjson", ".csv", ".txt", ".html", ".htm"];

    public static bool IsSupported(string path) => SupportedExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>The articles of <paramref name="path"/>; <paramref name="columns"/> renames CSV columns (API field -> column).</summary>
    public static IEnumerable<SourceArticle> Read(string path, IReadOnlyDictionary<string, string> columns, Action<long> bytesRead) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => Jsonl(path, bytesRead),
            ".csv" => Csv(path, columns, bytesRead),
            ".txt" => [Whole(path, "text", bytesRead)],
            _ => [Whole(path, "html", bytesRead)],
        };

    static IEnumerable<SourceArticle> Jsonl(string path, Action<long> bytesRead)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            bytesRead(line.Length + 1);
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var body = JsonlArticleMapper.Map(line, out var error, out var warning);
            yield return new($"line {number}", body, error, warning);
        }
    }

    static IEnumerable<SourceArticle> Csv(string path, IReadOnlyDictionary<string, string> columns, Action<long> bytesRead)
    {
        using var stream = File.OpenRead(path);
        using var reader = new StreamReader(stream);
        List<string>? header = null;
        var titleAsText = false;
        long reported = 0;
        foreach (var (line, fields) in CsvRows.Read(reader))
        {
            bytesRead(stream.Position - reported);
            reported = stream.Position;
            if (header is null)
            {
                // The column map renames: text=articleBody makes the articleBody column the text.
                var renamed = columns.ToDictionary(c => c.Value, c => c.Key, StringComparer.Ordinal);
                header = [.. fields.Select(f => renamed.GetValueOrDefault(f.Trim(), f.Trim()))];
                titleAsText = !JsonlArticleMapper.HasTextField(header) && header.Contains("title");
                continue;
            }

            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            var row = new JsonObject();
            for (var i = 0; i < Math.Min(header.Count, fields.Count); i++)
            {
                if (header[i].Length > 0 && fields[i].Length > 0 && !row.ContainsKey(header[i]))
                {
                    row[header[i]] = fields[i];
                }
            }

            string? warning = fields.Count != header.Count ? $"{fields.Count} fields where the header has {header.Count}" : null;
            if (titleAsText && row["title"] is JsonValue title)
            {
                // Claim lists (title only): the title is the whole text. Its URL is the page the claim appeared on, shared
                // by many claims, so it is left out: the claim's id then comes from its text.
                row["text"] = title.GetValue<string>().Trim('"');
                row.Remove("news_url");
                row.Remove("url");
                row.Remove("link");
            }

            var body = JsonlArticleMapper.Map(row, out var mapWarning);
            yield return new($"row at line {line}", body, null, warning ?? mapWarning);
        }
    }

    static SourceArticle Whole(string path, string field, Action<long> bytesRead)
    {
        var content = File.ReadAllText(path);
        bytesRead(new FileInfo(path).Length);
        return new(Path.GetFileName(path), new JsonObject { [field] = content }, null, null);
    }
}
