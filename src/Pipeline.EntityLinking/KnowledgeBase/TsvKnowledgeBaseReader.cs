using System.Globalization;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Reads the bundled KB layout: a tab-separated file with a header naming at least <c>qid</c> and <c>label</c>,
/// and optionally <c>aliases</c> (pipe-separated), <c>description</c>, <c>enwiki_title</c>, <c>coarse_type</c> and
/// a popularity column (the last column whose name contains "popularity"). Popularity is scaled per file to [0, 1]
/// by log(1 + p) / log(1 + max), so that files with different measures can be merged.
/// </summary>
public static class TsvKnowledgeBaseReader
{
    public static bool IsEntityFile(string path) => ReadHeader(path) is { } header && header.Contains("qid") && header.Contains("label");

    public static bool IsTypeFixFile(string path) => ReadHeader(path) is { } header && header.SequenceEqual(["qid", "coarse_type"]);

    public static List<EntityRecord> Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.")).Split('\t');
        var qid = Column(header, "qid", path, required: true);
        var label = Column(header, "label", path, required: true);
        var aliases = Column(header, "aliases", path);
        var description = Column(header, "description", path);
        var enwiki = Column(header, "enwiki_title", path);
        var type = Column(header, "coarse_type", path);
        var popularity = Array.FindLastIndex(header, h => h.Contains("popularity", StringComparison.OrdinalIgnoreCase));
        var classes = Array.FindIndex(header, h => h.StartsWith("wikidata_types", StringComparison.Ordinal));

        var rows = new List<(string[] Fields, double Popularity)>();
        var max = 0.0;
        var min = double.MaxValue;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length <= Math.Max(qid, label) || fields[qid].Length < 2 || fields[qid][0] != 'Q')
            {
                continue;
            }

            var p = popularity >= 0 && popularity < fields.Length && double.TryParse(fields[popularity], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? Math.Max(value, 0) : 0;
            max = Math.Max(max, p);
            min = Math.Min(min, p);
            rows.Add((fields, p));
        }

        var floor = rows.Count == 0 ? 0 : Math.Log(1 + min);
        var scale = max > min ? 1 / (Math.Log(1 + max) - floor) : 0;
        var records = new List<EntityRecord>(rows.Count);
        foreach (var (fields, p) in rows)
        {
            records.Add(new EntityRecord(
                fields[qid],
                fields[label],
                Field(fields, aliases) is { Length: > 0 } a ? a.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
                Field(fields, description),
                Field(fields, enwiki) is { Length: > 0 } title ? title : null,
                EntityTypes.Parse(Field(fields, type)),
                scale > 0 ? (float)((Math.Log(1 + p) - floor) * scale) : 0.5f,
                IsCountry(Field(fields, classes))));
        }

        return records;
    }

    /// <summary>Classes (space-separated QIDs) that include country (Q6256) or sovereign state (Q3624078).</summary>
    static bool IsCountry(string classes) =>
        classes.Length > 0 && classes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(c => c is WikidataDumpReader.Country or WikidataDumpReader.SovereignState);

    /// <summary>Reads a (qid, coarse_type) correction file such as kb_type_fixes.tsv.</summary>
    public static Dictionary<string, EntityType> ReadTypeFixes(string path)
    {
        var fixes = new Dictionary<string, EntityType>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                fixes[line[..tab]] = EntityTypes.Parse(line.AsSpan(tab + 1).Trim());
            }
        }

        return fixes;
    }

    /// <summary>Writes records in the same layout, so a KB built from a Wikidata dump loads like the bundled one.</summary>
    public static void Write(TextWriter writer, IEnumerable<EntityRecord> records, Func<EntityRecord, double>? rawPopularity = null)
    {
        writer.Write("qid\tlabel\taliases\tdescription\tenwiki_title\tcoarse_type\twikidata_types\tpopularity\n");
        foreach (var r in records)
        {
            writer.Write(string.Join('\t',
                r.Qid,
                Clean(r.Label),
                string.Join('|', r.Aliases.Select(Clean).Where(a => a.Length > 0)),
                Clean(r.Description),
                Clean(r.EnwikiTitle ?? ""),
                r.Type.ToTsv(),
                r.IsCountry ? WikidataDumpReader.Country : "",
                (rawPopularity?.Invoke(r) ?? r.Popularity).ToString(CultureInfo.InvariantCulture)));
            writer.Write('\n');
        }
    }

    static string Clean(string value) => value.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ').Replace('|', '/');

    static string[]? ReadHeader(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine()?.Split('\t');
    }

    static int Column(string[] header, string name, string path, bool required = false)
    {
        var index = Array.IndexOf(header, name);
        if (index < 0 && required)
        {
            throw new InvalidDataException($"{path}: the header has no '{name}' column.");
        }

        return index;
    }

    static string Field(string[] fields, int column) => column >= 0 && column < fields.Length ? fields[column] : "";
}
