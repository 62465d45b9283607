using System.Collections.Frozen;
using System.Globalization;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>What a Wikidata class says about its instances: a coarse type, or that they are not entities at all.</summary>
public enum WikidataClassType : byte
{
    /// <summary>Wikimedia pages and name items: an item whose classes are all of this kind is dropped.</summary>
    Skip = 0,
    Misc = 1,
    Loc = 2,
    Org = 3,
    Per = 4,
}

/// <summary>
/// Wikidata classes (by numeric id: Q5 is 5) mapped to coarse types, read from the embedded
/// <c>Data/wikidata-types.txt</c>. The enum's order is the precedence: an item with a person class and an
/// organisation class is a person, one with an organisation and a location class is an organisation.
/// </summary>
public sealed class WikidataTypeTable
{
    public const string ResourceName = "wikidata-types.txt";

    readonly FrozenDictionary<int, WikidataClassType> _classes;

    public WikidataTypeTable(IEnumerable<KeyValuePair<int, WikidataClassType>> classes) => _classes = classes.ToFrozenDictionary();

    /// <summary>The table shipped with the project.</summary>
    public static WikidataTypeTable Default { get; } = Parse(WordLists.ReadOrdered(ResourceName));

    public int Count => _classes.Count;

    /// <summary>Lines of "QID TYPE label..." (the label is a comment for readers).</summary>
    public static WikidataTypeTable Parse(IEnumerable<string> lines)
    {
        var classes = new Dictionary<int, WikidataClassType>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !TryParseQid(parts[0], out var id))
            {
                throw new InvalidDataException($"{ResourceName}: '{line}' is not 'QID TYPE label'.");
            }

            classes[id] = parts[1] switch
            {
                "PER" => WikidataClassType.Per,
                "ORG" => WikidataClassType.Org,
                "LOC" => WikidataClassType.Loc,
                "MISC" => WikidataClassType.Misc,
                "SKIP" => WikidataClassType.Skip,
                _ => throw new InvalidDataException($"{ResourceName}: unknown type '{parts[1]}' in '{line}'."),
            };
        }

        return new WikidataTypeTable(classes);
    }

    /// <summary>A class not in the table is an ordinary thing: MISC.</summary>
    public WikidataClassType Classify(int classId) => _classes.TryGetValue(classId, out var type) ? type : WikidataClassType.Misc;

    /// <summary>The strongest type among the classes; null when there are none.</summary>
    public WikidataClassType? Strongest(ReadOnlySpan<int> classIds)
    {
        WikidataClassType? best = null;
        foreach (var id in classIds)
        {
            var type = Classify(id);
            if (best is null || type > best)
            {
                best = type;
            }
        }

        return best;
    }

    public static EntityType ToEntityType(WikidataClassType type) => type switch
    {
        WikidataClassType.Per => EntityType.Per,
        WikidataClassType.Org => EntityType.Org,
        WikidataClassType.Loc => EntityType.Loc,
        WikidataClassType.Misc => EntityType.Misc,
        _ => EntityType.Unknown,
    };

    /// <summary>"Q42" to 42; false for anything that is not Q followed by 1 to 9 digits.</summary>
    public static bool TryParseQid(ReadOnlySpan<char> text, out int id)
    {
        id = 0;
        return text.Length is >= 2 and <= 10 && text[0] == 'Q' && text[1] != '0' &&
               int.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
