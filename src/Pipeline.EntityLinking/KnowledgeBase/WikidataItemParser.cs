using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>What a dump line turned out to be.</summary>
internal enum WikidataLineKind : byte
{
    Blank,
    ArrayStart,
    ArrayEnd,
    Kept,
    NoEnglishLabel,
    TooFewSitelinks,
    NotEntity,
    OtherEntity,
    Malformed,
}

/// <summary>
/// Parses one dump line with <see cref="Utf8JsonReader"/> straight over its UTF-8 bytes. Only what the KB needs is
/// looked at: labels, descriptions and aliases in the configured languages, P31/P279 statements, and the sitelinks'
/// count and English title; every other value is skipped unread. Strings are located first and decoded only for
/// items the selection rule keeps. Not thread-safe: one parser per thread (its scratch lists are reused).
/// </summary>
internal sealed partial class WikidataItemParser(WikidataDumpOptions options)
{
    const int CountryClass = 6256;
    const int SovereignStateClass = 3624078;

    readonly WikidataDumpOptions _options = options;
    readonly byte[][] _languages = options.Languages.Where(l => l != "en").Select(Encoding.UTF8.GetBytes).ToArray();
    readonly List<TextRef> _englishAliases = [];
    readonly List<TextRef> _otherLabels = [];
    readonly List<TextRef> _otherAliases = [];
    readonly List<int> _instanceOf = [];
    readonly List<int> _subclassOf = [];
    readonly HashSet<string> _names = new(StringComparer.Ordinal);
    TextRef _label;
    TextRef _description;
    TextRef _enwiki;
    int _sitelinks;
    int _sitelinksKey;
    bool _hasLabels;

    /// <summary>A string's place in the line: its content bytes (without quotes), and whether they hold escapes.</summary>
    readonly record struct TextRef(int Start, int Length, bool Escaped)
    {
        public static readonly TextRef None = new(-1, 0, false);

        public bool IsNone => Start < 0;
    }

    public WikidataLineKind Parse(ReadOnlySpan<byte> line, out EntityRecord? record, out string? error)
    {
        record = null;
        error = null;
        var json = Trim(line);
        if (json.IsEmpty)
        {
            return WikidataLineKind.Blank;
        }

        if (json.Length == 1 && json[0] is (byte)'[' or (byte)']')
        {
            return json[0] == '[' ? WikidataLineKind.ArrayStart : WikidataLineKind.ArrayEnd;
        }

        Reset();
        try
        {
            if (FailsSitelinkRule(json))
            {
                return WikidataLineKind.TooFewSitelinks;
            }

            return ParseEntity(json, out record, out error);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            error = "not valid JSON: " + e.Message;
            return WikidataLineKind.Malformed;
        }
    }

    /// <summary>Without a byte order mark, surrounding white space (CR included) and the trailing comma.</summary>
    static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        line = line.Trim(" \t\r\n"u8);
        return line.EndsWith(","u8) ? line[..^1].TrimEnd(" \t\r"u8) : line;
    }

    /// <summary>
    /// Most items of the real dump fail the sitelink rule (scholarly articles, genes, stars: tens of millions without a
    /// single sitelink), and their statements are most of their bytes. The sitelinks are the last map of an entity, so
    /// reading that map first from its key (which cannot occur inside a string, where its quotes would be escaped)
    /// drops them without reading the rest. Such a line is then not checked further; any line the rule keeps, or whose
    /// sitelinks cannot be read, is parsed in full (a kept line's sitelinks, already read, are not read again).
    /// </summary>
    bool FailsSitelinkRule(ReadOnlySpan<byte> json)
    {
        if (_options.MinSitelinks <= 0 && !_options.RequireEnwiki)
        {
            return false;
        }

        var key = json.LastIndexOf("\"sitelinks\":"u8);
        if (key < 0)
        {
            return false;
        }

        var value = key + "\"sitelinks\":"u8.Length;
        try
        {
            var reader = new Utf8JsonReader(json[value..]);
            ReadSitelinks(ref reader);
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                if (!_options.Keeps(!_enwiki.IsNone, _sitelinks))
                {
                    return true;
                }

                _sitelinksKey = key;
                _enwiki = _enwiki.IsNone ? _enwiki : _enwiki with { Start = _enwiki.Start + value };
                return false;
            }
        }
        catch (JsonException)
        {
            // the full parse reports it
        }

        Reset();
        return false;
    }

    void Reset()
    {
        _englishAliases.Clear();
        _otherLabels.Clear();
        _otherAliases.Clear();
        _instanceOf.Clear();
        _subclassOf.Clear();
        _label = _description = _enwiki = TextRef.None;
        _sitelinks = 0;
        _sitelinksKey = -1;
        _hasLabels = false;
    }

    WikidataLineKind ParseEntity(ReadOnlySpan<byte> json, out EntityRecord? record, out string? error)
    {
        record = null;
        error = null;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "not a JSON object";
            return WikidataLineKind.Malformed;
        }

        bool? isItem = null;
        var redirect = false;
        var id = TextRef.None;
        var complete = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                isItem = ReadString(ref reader) && reader.ValueTextEquals("item"u8);
                if (isItem == false)
                {
                    return WikidataLineKind.OtherEntity; // a property or lexeme: nothing more to read
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                id = ReadString(ref reader) ? Ref(ref reader) : TextRef.None;
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                _hasLabels = true;
                ReadTerms(ref reader, ref _label, _otherLabels);
            }
            else if (reader.ValueTextEquals("descriptions"u8))
            {
                ReadTerms(ref reader, ref _description, others: null);
            }
            else if (reader.ValueTextEquals("aliases"u8))
            {
                ReadAliases(ref reader);
            }
            else if (reader.ValueTextEquals("claims"u8))
            {
                ReadClaims(ref reader);
            }
            else if (reader.ValueTextEquals("sitelinks"u8))
            {
                if (_sitelinksKey < 0)
                {
                    ReadSitelinks(ref reader);
                }
                else if (reader.TokenStartIndex == _sitelinksKey && !id.IsNone && _hasLabels)
                {
                    complete = true; // read (and checked) first; only the revision id follows in the dump
                    break;
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                redirect |= reader.ValueTextEquals("redirects"u8);
                reader.Skip();
            }
        }

        if (!complete && (reader.TokenType != JsonTokenType.EndObject || reader.Read()))
        {
            error = "content after the entity object";
            return WikidataLineKind.Malformed;
        }

        if (id.IsNone)
        {
            error = "an entity without an id";
            return WikidataLineKind.Malformed;
        }

        var idText = json.Slice(id.Start, id.Length);
        if (redirect || (isItem is null && !idText.StartsWith("Q"u8)))
        {
            return WikidataLineKind.OtherEntity;
        }

        if (id.Escaped || !IsQid(idText))
        {
            error = $"the id '{Text(json, id)}' is not a QID";
            return WikidataLineKind.Malformed;
        }

        if (!_hasLabels)
        {
            error = "an item without labels";
            return WikidataLineKind.Malformed;
        }

        if (_label.IsNone)
        {
            return WikidataLineKind.NoEnglishLabel;
        }

        if (!_options.Keeps(!_enwiki.IsNone, _sitelinks))
        {
            return WikidataLineKind.TooFewSitelinks;
        }

        var classes = _instanceOf.Count > 0 ? _instanceOf : _subclassOf;
        var strongest = _options.Types.Strongest(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(classes));
        if (strongest == WikidataClassType.Skip)
        {
            return WikidataLineKind.NotEntity;
        }

        record = new EntityRecord(
            Encoding.UTF8.GetString(idText),
            Text(json, _label),
            Aliases(json),
            _description.IsNone ? "" : Text(json, _description),
            _enwiki.IsNone ? null : Text(json, _enwiki),
            strongest is { } type ? WikidataTypeTable.ToEntityType(type) : EntityType.Unknown,
            _options.Popularity(_sitelinks),
            _instanceOf.Contains(CountryClass) || _instanceOf.Contains(SovereignStateClass));
        return WikidataLineKind.Kept;
    }

    /// <summary>English aliases, then the labels and the aliases of the other languages; no repeats, not the label.</summary>
    List<string> Aliases(ReadOnlySpan<byte> json)
    {
        _names.Clear();
        _names.Add(Text(json, _label));
        var aliases = new List<string>();
        foreach (var list in (ReadOnlySpan<List<TextRef>>)[_englishAliases, _otherLabels, _otherAliases])
        {
            foreach (var alias in list)
            {
                var text = Text(json, alias);
                if (text.Length > 0 && _names.Add(text))
                {
                    aliases.Add(text);
                }
            }
        }

        return aliases;
    }

    static bool IsQid(ReadOnlySpan<byte> id) =>
        id.Length is >= 2 and <= 10 && id[0] == 'Q' && id[1] != '0' && Utf8Parser.TryParse(id[1..], out int _, out var consumed) && consumed == id.Length - 1;

    static string Text(ReadOnlySpan<byte> json, TextRef text)
    {
        if (!text.Escaped)
        {
            return Encoding.UTF8.GetString(json.Slice(text.Start, text.Length));
        }

        var reader = new Utf8JsonReader(json.Slice(text.Start - 1, text.Length + 2));
        reader.Read();
        return reader.GetString() ?? "";
    }

    static TextRef Ref(ref Utf8JsonReader reader) => new((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
}
