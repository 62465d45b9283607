using System.Text.Json;

namespace Pipeline.EntityLinking.Evaluation;

/// <summary>
/// One document of an entity-linking benchmark in the ELEVANT JSON Lines layout (the files in ../shared/data/el):
/// <c>id</c>, <c>text</c>, an optional <c>evaluation_span</c> (the part of the text that is scored) and <c>labels</c>, each
/// with a character <c>span</c>, an <c>entity_id</c> (a Wikidata QID, <c>&lt;NIL&gt;</c>, or another marker such as
/// <c>&lt;NO_MAPPING&gt;</c>, <c>DATETIME</c>, <c>QUANTITY</c>) and optional flags <c>optional</c> and <c>coref</c>.
/// </summary>
public sealed record BenchmarkDocument(string Id, string Text, int EvaluationStart, int EvaluationEnd, IReadOnlyList<GoldLabel> Labels)
{
    /// <summary>Reads a benchmark file; a malformed line throws <see cref="InvalidDataException"/> naming the file and line.</summary>
    public static IEnumerable<BenchmarkDocument> Read(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            BenchmarkDocument document;
            try
            {
                document = Parse(line, lineNumber);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} line {lineNumber}: {e.Message}", e);
            }

            yield return document;
        }
    }

    /// <summary>Parses one JSON line; <paramref name="lineNumber"/> is the id when the line has none.</summary>
    public static BenchmarkDocument Parse(string line, int lineNumber)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a benchmark line must be a JSON object");
        }

        var text = root.TryGetProperty("text", out var textElement) && textElement.ValueKind == JsonValueKind.String
            ? textElement.GetString()!
            : throw new FormatException("'text' is missing or not a string");
        var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (start, end) = (0, text.Length);
        if (root.TryGetProperty("evaluation_span", out var span) && span.ValueKind == JsonValueKind.Array && span.GetArrayLength() == 2)
        {
            (start, end) = (Math.Clamp(span[0].GetInt32(), 0, text.Length), Math.Clamp(span[1].GetInt32(), 0, text.Length));
        }

        var labels = new List<GoldLabel>();
        if (root.TryGetProperty("labels", out var all) && all.ValueKind == JsonValueKind.Array)
        {
            foreach (var label in all.EnumerateArray())
            {
                var s = label.GetProperty("span");
                var (labelStart, labelEnd) = (s[0].GetInt32(), s[1].GetInt32());
                if (labelStart < 0 || labelEnd > text.Length || labelEnd <= labelStart)
                {
                    throw new FormatException($"label span [{labelStart}, {labelEnd}] is outside the text (length {text.Length})");
                }

                labels.Add(new GoldLabel(
                    labelStart,
                    labelEnd,
                    label.GetProperty("entity_id").GetString() ?? GoldLabel.Nil,
                    label.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "",
                    Flag(label, "optional"),
                    Flag(label, "coref")));
            }
        }

        return new BenchmarkDocument(id, text, start, end, labels);
    }

    static bool Flag(JsonElement label, string name) =>
        label.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    static readonly JsonSerializerOptions PredictionJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The document with a linker's mentions as its labels, one JSON line in the same ELEVANT layout (<c>id</c>, <c>text</c>,
    /// <c>evaluation_span</c>, <c>labels</c> with <c>span</c>, <c>entity_id</c> (<c>&lt;NIL&gt;</c> for an unlinked mention),
    /// <c>name</c> and <c>type</c>), so any external scorer can re-score them.
    /// </summary>
    public string PredictionLine(IEnumerable<Pipeline.Contracts.EntityMention> mentions) =>
        JsonSerializer.Serialize(
            new Dictionary<string, object>
            {
                ["id"] = JsonId,
                ["text"] = Text,
                ["evaluation_span"] = new[] { EvaluationStart, EvaluationEnd },
                ["labels"] = mentions.Select((m, i) => new Dictionary<string, object>
                {
                    ["id"] = i,
                    ["span"] = new[] { m.Start, m.End },
                    ["entity_id"] = m.Qid ?? GoldLabel.Nil,
                    ["name"] = m.Label ?? "Unknown",
                    ["type"] = m.Type,
                }).ToList(),
            },
            PredictionJson);

    /// <summary>The id as JSON: numbers stay numbers, so a written prediction file keeps the benchmark's ids.</summary>
    public object JsonId => long.TryParse(Id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : Id;
}

/// <summary>
/// A gold label. <see cref="EntityId"/> is a Wikidata QID, <c>&lt;NIL&gt;</c> (an entity Wikidata lacks) or another marker
/// (<c>&lt;NO_MAPPING&gt;</c>, <c>DATETIME</c>, <c>QUANTITY</c>, <c>Unknown</c>, ...); <see cref="Types"/> holds the annotators'
/// Wikidata type classes separated by '|', or OTHER.
/// </summary>
public sealed record GoldLabel(int Start, int End, string EntityId, string Types, bool Optional, bool Coref)
{
    public const string Nil = "<NIL>";

    public bool IsQid => IsWikidataQid(EntityId);

    public bool IsNil => EntityId == Nil;

    public static bool IsWikidataQid(string id) =>
        id.Length >= 2 && id[0] == 'Q' && id.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The coarse type of the annotators' type classes: person, geographic entity, organisation, else MISC.</summary>
    public string CoarseType
    {
        get
        {
            foreach (var type in Types.Split('|'))
            {
                switch (type)
                {
                    case "Q215627" or "Q5":
                        return "PER";
                    case "Q27096213":
                        return "LOC";
                    case "Q43229":
                        return "ORG";
                }
            }

            return "MISC";
        }
    }
}
