using System.Globalization;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Makes the items of one block of a synthetic dump (see <see cref="WikidataDumpSynthesizer"/>): a realistic mix of
/// persons, organisations, places, works and articles, class items with P279, Wikimedia pages, items without an English
/// label or without sitelinks, and skewed fame (a few famous items carry many languages, sitelinks and statements).
/// Each block has its own random sequence and QID range, so blocks can be made in parallel and still give one dump.
/// </summary>
internal sealed class SyntheticItemGenerator(int seed, long block, int blockItems)
{
    static readonly string[] Languages = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "sv", "ja", "zh", "ar", "fa", "he", "tr", "ko", "cs", "hu", "fi", "ca", "id", "vi"];
    internal static readonly string[] Syllables = ["ka", "lo", "mi", "ren", "sa", "to", "vel", "dor", "an", "bri", "cu", "el", "fa", "gor", "hi", "jun", "ma", "nor", "pa", "qui", "ro", "sil", "ta", "ul", "vi", "wen", "xa", "yo", "zen", "mar", "sch", "ber"];
    static readonly string[] Cyrillic = ["ка", "ло", "ми", "рен", "са", "то", "вел", "дор", "ан", "бри", "ку", "эль", "фа", "гор", "хи", "юн", "ма", "нор", "па", "кви", "ро", "силь", "та", "уль", "ви", "вен", "кса", "йо", "зен", "мар", "ш", "бер"];
    static readonly string[] Han = ["卡", "洛", "米", "伦", "萨", "托", "维", "多", "安", "布", "库", "埃", "法", "戈", "希", "俊", "马", "诺", "帕", "奎", "罗", "西", "塔", "乌", "维", "文", "夏", "约", "禅", "玛", "施", "贝"];

    // (class, type) pairs the synthesizer draws from; they agree with Data/wikidata-types.txt.
    static readonly (int Class, EntityType Type)[] OrganisationClasses = [(43229, EntityType.Org), (783794, EntityType.Org), (7278, EntityType.Org), (3918, EntityType.Org), (11032, EntityType.Org), (476028, EntityType.Org), (215380, EntityType.Org), (327333, EntityType.Org)];
    static readonly int[] PlaceClasses = [515, 532, 3957, 4022, 8502, 23442, 23397, 747074, 484170, 1549591];
    static readonly int[] OtherClasses = [11424, 482994, 7889, 571, 198, 16521, 1656682];
    static readonly int[] PageClasses = [4167836, 4167410, 101352];
    const int Human = 5;
    const int FictionalHuman = 15632617;
    internal const int ScholarlyArticle = 13442814;
    const int Building = 41176;

    readonly Random _random = new(unchecked((seed * 1_000_003) + (int)block));
    long _nextQid = block * blockItems * 3L; // gaps of 1 to 3 keep QIDs rising across blocks

    /// <summary>The block's next item.</summary>
    public SyntheticWikidataItem Next()
    {
        var qid = "Q" + (_nextQid += 1 + _random.Next(3)).ToString(CultureInfo.InvariantCulture);
        var fame = Math.Pow(_random.NextDouble(), 4); // most items are obscure, a few are famous
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.24 => Person(qid, fame),
            < 0.34 => Organisation(qid, fame),
            < 0.52 => Place(qid, fame),
            < 0.55 => ClassItem(qid, fame),
            < 0.58 => Page(qid),
            < 0.78 => Other(qid, fame),
            _ => Article(qid),
        };
    }

    SyntheticWikidataItem Person(string qid, double fame)
    {
        var first = Word();
        var last = Word();
        var name = $"{first} {last}";
        var aliases = new List<(string, string)>();
        if (_random.Next(3) == 0)
        {
            aliases.Add(("en", $"{first[0]}. {last}"));
        }

        if (fame > 0.2)
        {
            aliases.Add(("en", $"{first} {Word()} {last}"));
        }

        var fictional = _random.Next(50) == 0;
        var description = fictional ? "fictional character in a \"saga\"" : $"{Nationality()} {Pick(["politician", "footballer", "actor", "journalist", "writer", "singer"])}";
        return Item(qid, fame, name, description, aliases, [fictional ? FictionalHuman : Human], [], EntityType.Per);
    }

    SyntheticWikidataItem Organisation(string qid, double fame)
    {
        var (cls, type) = OrganisationClasses[_random.Next(OrganisationClasses.Length)];
        var name = cls switch
        {
            3918 => $"University of {Word()}",
            7278 => $"{Word()} Party",
            11032 => $"The {Word()} Times",
            476028 => $"FC {Word()}",
            _ => $"{Word()} {Pick(["Industries", "Group", "Holdings", "Foundation", "Agency"])}",
        };
        int[] classes = _random.Next(5) == 0 ? [Building, cls] : [cls]; // organisation beats location
        var aliases = _random.Next(2) == 0 ? [("en", Acronym(name))] : new List<(string, string)>();
        return Item(qid, fame, name, $"organisation in {Word()}", aliases, classes, [], type);
    }

    SyntheticWikidataItem Place(string qid, double fame)
    {
        var country = _random.Next(40) == 0;
        var name = country ? $"Republic of {Word()}" : Word() + Pick(["", "ton", "burg", " City", "ville"]);
        int[] classes = country ? [6256, 3624078] : [PlaceClasses[_random.Next(PlaceClasses.Length)]];
        var aliases = country ? [("en", Word())] : new List<(string, string)>();
        return Item(qid, country ? Math.Max(fame, 0.5) : fame, name, country ? "sovereign state" : $"place in {Word()}", aliases, classes, [], EntityType.Loc, isCountry: country);
    }

    /// <summary>A class: no P31, typed from P279 (a kind of city is a location, a kind of company an organisation).</summary>
    SyntheticWikidataItem ClassItem(string qid, double fame)
    {
        var (super, type) = _random.Next(2) == 0 ? (515, EntityType.Loc) : (783794, EntityType.Org);
        var name = $"{Word().ToLowerInvariant()} {(type == EntityType.Loc ? "city" : "company")}";
        return Item(qid, fame, name, "type of " + (type == EntityType.Loc ? "settlement" : "business"), [], [], [super], type);
    }

    /// <summary>A Wikimedia category, disambiguation page or family name: sitelinks, but not an entity.</summary>
    SyntheticWikidataItem Page(string qid)
    {
        var cls = PageClasses[_random.Next(PageClasses.Length)];
        var name = cls == 4167836 ? $"Category:{Word()}" : Word();
        return Item(qid, 0.3 + _random.NextDouble() / 2, name, "Wikimedia page", [], [cls], [], EntityType.Unknown, notAnEntity: true);
    }

    SyntheticWikidataItem Other(string qid, double fame)
    {
        var cls = OtherClasses[_random.Next(OtherClasses.Length)];
        var name = $"The {Word()} of {Word()}";
        return Item(qid, fame, name, $"{Pick(["2004", "1987", "2019"])} work by {Word()} {Word()}", [], [cls], [], EntityType.Misc);
    }

    /// <summary>A scholarly article: an English label, no sitelinks (a third of the real dump).</summary>
    SyntheticWikidataItem Article(string qid) =>
        Item(qid, 0, $"A study of {Word().ToLowerInvariant()} in {Word().ToLowerInvariant()} populations", "scholarly article", [], [ScholarlyArticle], [], EntityType.Misc, noSitelinks: true);

    SyntheticWikidataItem Item(
        string qid, double fame, string name, string description, List<(string, string)> aliases, int[] instanceOf, int[] subclassOf, EntityType type,
        bool isCountry = false, bool notAnEntity = false, bool noSitelinks = false)
    {
        var languageCount = 1 + (int)(fame * (Languages.Length - 1));
        var languages = Languages.Take(1).Concat(Languages.Skip(1).OrderBy(_ => _random.Next()).Take(languageCount - 1)).ToList();
        if (_random.Next(10) == 0)
        {
            languages.RemoveAt(0); // no English label: the default rule drops it
            if (languages.Count == 0)
            {
                languages.Add("de");
            }
        }

        var labels = languages.Select(l => (l, Localise(name, l))).ToList();
        var descriptions = languages.Where(_ => _random.Next(3) > 0).Select(l => (l, l == "en" ? description : Localise(description, l))).ToList();
        foreach (var language in languages.Skip(1).Where(_ => _random.Next(6) == 0))
        {
            aliases.Add((language, Localise(Word(), language)));
        }

        var sitelinkCount = noSitelinks || _random.Next(5) == 0 ? 0 : (int)Math.Round(fame * 250) + _random.Next(4);
        var sites = new List<(string, string)>();
        if (sitelinkCount > 0 && (fame > 0.05 || _random.Next(3) == 0) && languages.Contains("en"))
        {
            sites.Add(("enwiki", name));
        }

        for (var i = sites.Count; i < sitelinkCount; i++)
        {
            var language = Languages[i % Languages.Length];
            var project = i < Languages.Length ? "wiki" : Pick(["wikiquote", "wikisource", "wikivoyage", "wikinews"]) + (i / Languages.Length).ToString(CultureInfo.InvariantCulture);
            if (language + project != "enwiki")
            {
                sites.Add((language + project, Localise(name, language)));
            }
        }

        return new SyntheticWikidataItem(qid, labels, descriptions, aliases, instanceOf, subclassOf, sites, type, isCountry, notAnEntity);
    }

    /// <summary>The name as another language writes it: the same in most Latin-script ones, transliterated elsewhere.</summary>
    string Localise(string text, string language) => language switch
    {
        "en" => text,
        "ru" or "uk" => Transliterate(text, Cyrillic),
        "zh" or "ja" or "ko" => Transliterate(text, Han).Replace(" ", "·", StringComparison.Ordinal),
        "de" when _random.Next(4) == 0 => text.Replace("o", "ö", StringComparison.Ordinal),
        "fr" when _random.Next(4) == 0 => text.Replace("e", "é", StringComparison.Ordinal),
        _ => text,
    };

    static string Transliterate(string text, string[] script)
    {
        var hash = 0;
        var result = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == ' ')
            {
                result.Append(' ');
                continue;
            }

            hash = (hash * 31) + c;
            if (result.Length == 0 || (hash & 1) == 0)
            {
                result.Append(script[(hash & 0x7FFFFFFF) % script.Length]);
            }
        }

        return result.ToString();
    }

    string Word()
    {
        var parts = 2 + _random.Next(2);
        var word = string.Create(CultureInfo.InvariantCulture, $"{Syllables[_random.Next(Syllables.Length)]}{Syllables[_random.Next(Syllables.Length)]}{(parts > 2 ? Syllables[_random.Next(Syllables.Length)] : "")}");
        return char.ToUpperInvariant(word[0]) + word[1..];
    }

    string Nationality() => Pick(["American", "German", "French", "Brazilian", "Nigerian", "Indian", "Japanese"]);

    string Pick(string[] options) => options[_random.Next(options.Length)];

    static string Acronym(string name) => string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0])));
}
