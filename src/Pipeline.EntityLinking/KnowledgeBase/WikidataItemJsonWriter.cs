using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// A synthetic item as a dump line: the real layout of labels, descriptions, aliases, statements (with ids, ranks and
/// references) and sitelinks. The details only the JSON carries (statement ids, dates, URLs, revisions) come from a
/// sequence of their own (one per block), so that <see cref="WikidataDumpSynthesizer.Items"/> yields the items a dump holds.
/// </summary>
internal sealed class WikidataItemJsonWriter(int seed, long block)
{
    static readonly string[] Syllables = SyntheticItemGenerator.Syllables;

    readonly Random _noise = new(unchecked((seed * 31) + 7 + (int)block));
    readonly ArrayBufferWriter<byte> _line = new(16 * 1024);
    readonly JsonWriterOptions _writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    long _revision = 1_000_000_000 + (block * 1_000_000);

    /// <summary>The item's JSON line, without the comma (valid until the next call).</summary>
    public ReadOnlySpan<byte> Write(SyntheticWikidataItem item)
    {
        _line.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_line, _writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "item");
            json.WriteString("id", item.Qid);
            WriteTerms(json, "labels", item.Labels);
            WriteTerms(json, "descriptions", item.Descriptions);
            json.WriteStartObject("aliases");
            foreach (var group in item.Aliases.GroupBy(a => a.Language))
            {
                json.WriteStartArray(group.Key);
                foreach (var (language, value) in group)
                {
                    WriteTerm(json, language, value);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            WriteClaims(json, item);
            json.WriteStartObject("sitelinks");
            foreach (var (site, title) in item.Sitelinks)
            {
                json.WriteStartObject(site);
                json.WriteString("site", site);
                json.WriteString("title", title);
                json.WriteStartArray("badges");
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteNumber("lastrevid", _revision += 1 + _noise.Next(1000));
            json.WriteEndObject();
        }

        return _line.WrittenSpan;
    }

    static void WriteTerms(Utf8JsonWriter json, string name, IReadOnlyList<(string Language, string Value)> terms)
    {
        json.WriteStartObject(name);
        foreach (var (language, value) in terms)
        {
            json.WritePropertyName(language);
            WriteTerm(json, language, value);
        }

        json.WriteEndObject();
    }

    static void WriteTerm(Utf8JsonWriter json, string language, string value)
    {
        json.WriteStartObject();
        json.WriteString("language", language);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    void WriteClaims(Utf8JsonWriter json, SyntheticWikidataItem item)
    {
        json.WriteStartObject("claims");
        WriteItemStatements(json, item.Qid, "P31", item.InstanceOf);
        WriteItemStatements(json, item.Qid, "P279", item.SubclassOf);
        // Statements grow with fame; scholarly articles carry long lists of cited works and authors, as in the real dump.
        var extra = (int)(item.Sitelinks.Count / 8.0) + _noise.Next(3);
        if (item.InstanceOf.Contains(SyntheticItemGenerator.ScholarlyArticle))
        {
            WriteItemStatements(json, item.Qid, "P2860", Enumerable.Range(0, (int)(60 * Math.Pow(_noise.NextDouble(), 2))).Select(_ => 1 + _noise.Next(100_000_000)).ToList());
            WriteItemStatements(json, item.Qid, "P50", Enumerable.Range(0, 1 + _noise.Next(6)).Select(_ => 1 + _noise.Next(100_000_000)).ToList());
        }

        for (var i = 0; i < extra; i++)
        {
            var property = "P" + (100 + (i * 37 % 900)).ToString(CultureInfo.InvariantCulture);
            json.WriteStartArray(property);
            WriteStatementStart(json, property);
            switch (i % 3)
            {
                case 0:
                    json.WriteStartObject("value");
                    json.WriteString("time", $"+{1900 + _noise.Next(120)}-0{1 + _noise.Next(9)}-1{_noise.Next(10)}T00:00:00Z");
                    json.WriteNumber("timezone", 0);
                    json.WriteNumber("before", 0);
                    json.WriteNumber("after", 0);
                    json.WriteNumber("precision", 11);
                    json.WriteString("calendarmodel", "http://www.wikidata.org/entity/Q1985727");
                    json.WriteEndObject();
                    json.WriteString("type", "time");
                    json.WriteEndObject();
                    json.WriteString("datatype", "time");
                    break;
                case 1:
                    json.WriteString("value", $"https://www.{NoiseWord()}.example/{_noise.Next(100_000)}");
                    json.WriteString("type", "string");
                    json.WriteEndObject();
                    json.WriteString("datatype", "url");
                    break;
                default:
                    WriteItemValue(json, 1 + _noise.Next(5_000_000));
                    json.WriteEndObject();
                    json.WriteString("datatype", "wikibase-item");
                    break;
            }

            json.WriteEndObject();
            WriteStatementEnd(json, item.Qid, withReference: i % 2 == 0);
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    void WriteItemStatements(Utf8JsonWriter json, string qid, string property, IReadOnlyList<int> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        json.WriteStartArray(property);
        foreach (var value in values)
        {
            WriteStatementStart(json, property);
            WriteItemValue(json, value);
            json.WriteEndObject();
            json.WriteString("datatype", "wikibase-item");
            json.WriteEndObject();
            WriteStatementEnd(json, qid, withReference: false);
        }

        json.WriteEndArray();
    }

    /// <summary>Opens the statement, its mainsnak and the datavalue (the caller writes the value and closes the datavalue).</summary>
    static void WriteStatementStart(Utf8JsonWriter json, string property)
    {
        json.WriteStartObject();
        json.WriteStartObject("mainsnak");
        json.WriteString("snaktype", "value");
        json.WriteString("property", property);
        json.WriteString("hash", "8f9c1b7d2e3a4c5b6d7e8f9a0b1c2d3e4f5a6b7c");
        json.WriteStartObject("datavalue");
    }

    void WriteStatementEnd(Utf8JsonWriter json, string qid, bool withReference)
    {
        json.WriteString("type", "statement");
        Span<byte> guid = stackalloc byte[16];
        _noise.NextBytes(guid);
        json.WriteString("id", $"{qid}${new Guid(guid):D}".ToUpperInvariant());
        json.WriteString("rank", "normal");
        if (withReference)
        {
            json.WriteStartArray("references");
            json.WriteStartObject();
            json.WriteString("hash", "fa278ebfc458360e5aed63d5058cca83c46134f1");
            json.WriteStartObject("snaks");
            json.WriteStartArray("P143");
            json.WriteStartObject();
            json.WriteString("snaktype", "value");
            json.WriteString("property", "P143");
            json.WriteStartObject("datavalue");
            WriteItemValue(json, 328);
            json.WriteEndObject();
            json.WriteString("datatype", "wikibase-item");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("snaks-order");
            json.WriteStringValue("P143");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    static void WriteItemValue(Utf8JsonWriter json, int id)
    {
        json.WriteStartObject("value");
        json.WriteString("entity-type", "item");
        json.WriteNumber("numeric-id", id);
        json.WriteString("id", "Q" + id.ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteString("type", "wikibase-entityid");
    }

    string NoiseWord() => Syllables[_noise.Next(Syllables.Length)] + Syllables[_noise.Next(Syllables.Length)];
}
