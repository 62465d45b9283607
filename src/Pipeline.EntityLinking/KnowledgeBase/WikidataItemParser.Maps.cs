using System.Buffers.Text;
using System.Text.Json;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// How the parser walks each map of an entity (terms, aliases, claims, sitelinks): what it needs is located, the rest
/// skipped. Every method starts on a property name or value and leaves the reader on the end of what it read.
/// </summary>
internal sealed partial class WikidataItemParser
{
    /// <summary>Moves to a property's value; true when it is a string.</summary>
    static bool ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>
    /// Moves into a property's object value; false (with the value skipped) for anything else, such as the
    /// <c>[]</c> the dumps write for an empty map.
    /// </summary>
    static bool EnterObject(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>
    /// On a property name: true when it is <paramref name="name"/> with an object value (the reader then on its start);
    /// otherwise the value is skipped.
    /// </summary>
    static bool EnterObjectProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.ValueTextEquals(name))
        {
            return EnterObject(ref reader);
        }

        reader.Skip();
        return false;
    }

    /// <summary>0 for English, 1 for another configured language, -1 for the rest (reader on the property name).</summary>
    int Language(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return -1;
        }

        var code = reader.ValueSpan;
        if (code.SequenceEqual("en"u8))
        {
            return 0;
        }

        foreach (var language in _languages)
        {
            if (code.SequenceEqual(language))
            {
                return 1;
            }
        }

        return -1;
    }

    /// <summary>A language map of <c>{"language":..,"value":..}</c> terms (labels, descriptions).</summary>
    void ReadTerms(ref Utf8JsonReader reader, ref TextRef english, List<TextRef>? others)
    {
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var language = Language(ref reader);
            if (language == 0 || (language > 0 && others is not null))
            {
                reader.Read();
                var value = TermValue(ref reader);
                if (language == 0)
                {
                    english = value;
                }
                else if (!value.IsNone)
                {
                    others!.Add(value);
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>A language map of arrays of terms.</summary>
    void ReadAliases(ref Utf8JsonReader reader)
    {
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var language = Language(ref reader);
            reader.Read();
            if (language < 0 || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            var list = language == 0 ? _englishAliases : _otherAliases;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (TermValue(ref reader) is { IsNone: false } value)
                {
                    list.Add(value);
                }
            }
        }
    }

    /// <summary>The "value" of a term object (the reader is on its start, and ends on its end).</summary>
    static TextRef TermValue(ref Utf8JsonReader reader)
    {
        var value = TextRef.None;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return value;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("value"u8) && ReadString(ref reader))
            {
                value = Ref(ref reader);
            }
            else if (reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Skip();
            }
        }

        return value;
    }

    void ReadClaims(ref Utf8JsonReader reader)
    {
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("P31"u8))
            {
                ReadClassStatements(ref reader, _instanceOf);
            }
            else if (reader.ValueTextEquals("P279"u8))
            {
                ReadClassStatements(ref reader, _subclassOf);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>The item values of a property's statements, except deprecated ones.</summary>
    static void ReadClassStatements(ref Utf8JsonReader reader, List<int> classes)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var value = 0;
            var deprecated = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("mainsnak"u8))
                {
                    value = SnakItem(ref reader);
                }
                else if (reader.ValueTextEquals("rank"u8))
                {
                    deprecated = ReadString(ref reader) && reader.ValueTextEquals("deprecated"u8);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (value > 0 && !deprecated)
            {
                classes.Add(value);
            }
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
        }
    }

    /// <summary>mainsnak.datavalue.value's item id ("numeric-id" or "id"); 0 for no value or another kind of value.</summary>
    static int SnakItem(ref Utf8JsonReader reader)
    {
        var item = 0;
        if (!EnterObject(ref reader))
        {
            return item;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!EnterObjectProperty(ref reader, "datavalue"u8))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!EnterObjectProperty(ref reader, "value"u8))
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("numeric-id"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) && number > 0)
                        {
                            item = number;
                        }
                    }
                    else if (reader.ValueTextEquals("id"u8) && ReadString(ref reader))
                    {
                        var id = reader.ValueSpan;
                        if (!reader.ValueIsEscaped && IsQid(id) && Utf8Parser.TryParse(id[1..], out int parsed, out _))
                        {
                            item = parsed;
                        }
                    }
                    else if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        reader.Skip();
                    }
                }
            }
        }

        return item;
    }

    void ReadSitelinks(ref Utf8JsonReader reader)
    {
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            _sitelinks++;
            if (!EnterObjectProperty(ref reader, "enwiki"u8))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("title"u8) && ReadString(ref reader))
                {
                    _enwiki = Ref(ref reader);
                }
                else if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    reader.Skip();
                }
            }
        }
    }
}
