using System.IO.Compression;
using System.Text.Json;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Streams entities out of a Wikidata JSON dump (<c>latest-all.json</c> or <c>.json.gz</c>: one entity object per
/// line inside a JSON array, lines ending in a comma), one line at a time, so the dump's size does not matter.
/// Keeps items with an English label; the coarse type comes from "instance of" (P31) against a short list of
/// classes (no subclass closure); popularity is the number of sitelinks.
/// </summary>
public static class WikidataDumpReader
{
    public const string Country = "Q6256";

    public const string SovereignState = "Q3624078";

    static readonly HashSet<string> PersonClasses = ["Q5"];

    static readonly HashSet<string> OrganisationClasses =
    [
        "Q43229", "Q4830453", "Q783794", "Q891723", "Q6881511", "Q7278", "Q11032", "Q1002697", "Q327333", "Q3918",
        "Q2085381", "Q15265344", "Q163740", "Q484652", "Q1110794", "Q7210356", "Q2659904", "Q31855", "Q161726",
        "Q1331793", "Q4438121", "Q17149090", "Q847017", "Q476028", "Q1589009", "Q1664720", "Q23002054", "Q5341295",
    ];

    static readonly HashSet<string> LocationClasses =
    [
        "Q6256", "Q3624078", "Q515", "Q1549591", "Q5107", "Q35657", "Q486972", "Q1637706", "Q23442", "Q8502", "Q4022",
        "Q82794", "Q10864048", "Q3957", "Q532", "Q5119", "Q1093829", "Q15284", "Q200250", "Q7275", "Q107390",
        "Q34876", "Q123705", "Q39614", "Q165", "Q23397", "Q15642541", "Q1187811", "Q13220204", "Q13221722",
    ];

    public static IEnumerable<EntityRecord> Read(string path, Action<long>? bytesRead = null)
    {
        using var file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        string? line;
        var lines = 0L;
        while ((line = reader.ReadLine()) is not null)
        {
            if (++lines % 10_000 == 0)
            {
                bytesRead?.Invoke(file.Position);
            }

            var record = Parse(line);
            if (record is not null)
            {
                yield return record;
            }
        }

        bytesRead?.Invoke(file.Position);
    }

    /// <summary>One dump line to a record; null for the array brackets, properties, lexemes and items without an English label.</summary>
    public static EntityRecord? Parse(string line)
    {
        var json = line.AsSpan().Trim();
        if (json.EndsWith(","))
        {
            json = json[..^1];
        }

        if (json.Length < 2 || json[0] != '{')
        {
            return null;
        }

        using var document = JsonDocument.Parse(json.ToString());
        var root = document.RootElement;
        if (!root.TryGetProperty("id", out var idElement) || idElement.GetString() is not { } id || !id.StartsWith('Q'))
        {
            return null;
        }

        var label = English(root, "labels");
        if (label is null)
        {
            return null;
        }

        var aliases = new List<string>();
        if (root.TryGetProperty("aliases", out var allAliases) && allAliases.ValueKind == JsonValueKind.Object && allAliases.TryGetProperty("en", out var en))
        {
            foreach (var alias in en.EnumerateArray())
            {
                if (alias.TryGetProperty("value", out var value) && value.GetString() is { Length: > 0 } text)
                {
                    aliases.Add(text);
                }
            }
        }

        string? enwiki = null;
        var sitelinks = 0;
        if (root.TryGetProperty("sitelinks", out var links) && links.ValueKind == JsonValueKind.Object)
        {
            foreach (var link in links.EnumerateObject())
            {
                sitelinks++;
                if (link.NameEquals("enwiki") && link.Value.TryGetProperty("title", out var title))
                {
                    enwiki = title.GetString();
                }
            }
        }

        var (type, country) = TypeOf(root);
        return new EntityRecord(id, label, aliases, English(root, "descriptions") ?? "", enwiki, type, sitelinks, country);
    }

    static string? English(JsonElement root, string property) =>
        root.TryGetProperty(property, out var all) && all.ValueKind == JsonValueKind.Object && all.TryGetProperty("en", out var en) && en.TryGetProperty("value", out var value)
            ? value.GetString()
            : null;

    static (EntityType Type, bool Country) TypeOf(JsonElement root)
    {
        if (!root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Object || !claims.TryGetProperty("P31", out var instanceOf))
        {
            return (EntityType.Unknown, false);
        }

        var type = EntityType.Unknown;
        var country = false;
        foreach (var statement in instanceOf.EnumerateArray())
        {
            if (!statement.TryGetProperty("mainsnak", out var snak) || !snak.TryGetProperty("datavalue", out var value) ||
                !value.TryGetProperty("value", out var target) || target.ValueKind != JsonValueKind.Object || !target.TryGetProperty("id", out var classId))
            {
                continue;
            }

            var cls = classId.GetString() ?? "";
            if (PersonClasses.Contains(cls))
            {
                return (EntityType.Per, false);
            }

            country |= cls is Country or SovereignState;

            if (OrganisationClasses.Contains(cls))
            {
                type = EntityType.Org;
            }
            else if (LocationClasses.Contains(cls) && type == EntityType.Unknown)
            {
                type = EntityType.Loc;
            }
            else if (type == EntityType.Unknown)
            {
                type = EntityType.Misc;
            }
        }

        return (type, country);
    }
}
