using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Cli.EntityLinking;

/// <summary>One document of an entity-linking benchmark file (the JSONL layout of ../shared/data/el).</summary>
public sealed record BenchmarkDocument(string Text, int EvaluationStart, int EvaluationEnd, IReadOnlyList<GoldLink> Labels)
{
    public static IEnumerable<BenchmarkDocument> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var text = root.GetProperty("text").GetString() ?? "";
            var (start, end) = (0, text.Length);
            if (root.TryGetProperty("evaluation_span", out var span) && span.ValueKind == JsonValueKind.Array && span.GetArrayLength() == 2)
            {
                (start, end) = (span[0].GetInt32(), span[1].GetInt32());
            }

            var labels = new List<GoldLink>();
            if (root.TryGetProperty("labels", out var all))
            {
                foreach (var label in all.EnumerateArray())
                {
                    var s = label.GetProperty("span");
                    labels.Add(new GoldLink(s[0].GetInt32(), s[1].GetInt32(), label.GetProperty("entity_id").GetString() ?? "<NIL>"));
                }
            }

            yield return new BenchmarkDocument(text, start, end, labels);
        }
    }
}

/// <summary>A gold (span, entity) pair; <c>&lt;NIL&gt;</c> and <c>&lt;NO_MAPPING&gt;</c> are not scored.</summary>
public sealed record GoldLink(int Start, int End, string EntityId)
{
    public bool IsScored => !EntityId.StartsWith('<');
}

/// <summary>Micro counts of (span, QID) pairs.</summary>
public sealed class LinkingScore
{
    public int TruePositives { get; private set; }

    public int Predicted { get; private set; }

    public int Gold { get; private set; }

    public double Precision => Predicted == 0 ? 0 : (double)TruePositives / Predicted;

    public double Recall => Gold == 0 ? 0 : (double)TruePositives / Gold;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public void Add(int truePositives, int predicted, int gold)
    {
        TruePositives += truePositives;
        Predicted += predicted;
        Gold += gold;
    }

    /// <summary>
    /// Scores one document. Predictions outside the evaluation span, or on the exact span of an unscored gold label
    /// (NIL, no mapping), are ignored; every other predicted link counts, so links to entities the annotators did not
    /// mark are errors too. With <paramref name="inKbOnly"/>, only the gold mentions whose entity the KB has are
    /// scored, and only the links predicted on exactly those spans: precision is then "of the links made on these
    /// mentions, how many are right", recall "of these mentions, how many got the right link".
    /// </summary>
    public static (int TruePositives, int Predicted, int Gold) Count(BenchmarkDocument document, IReadOnlyList<EntityMention> mentions, Func<string, bool>? inKbOnly)
    {
        var gold = document.Labels.Where(l => l.IsScored && (inKbOnly is null || inKbOnly(l.EntityId))).Select(l => (l.Start, l.End, l.EntityId)).ToHashSet();
        var goldSpans = gold.Select(g => (g.Start, g.End)).ToHashSet();
        var ignoredSpans = document.Labels.Where(l => !l.IsScored).Select(l => (l.Start, l.End)).ToHashSet();
        var predicted = mentions
            .Where(m => m.Qid is not null && m.Start >= document.EvaluationStart && m.End <= document.EvaluationEnd)
            .Where(m => inKbOnly is null ? !ignoredSpans.Contains((m.Start, m.End)) : goldSpans.Contains((m.Start, m.End)))
            .Select(m => (m.Start, m.End, m.Qid!))
            .ToHashSet();
        return (predicted.Count(gold.Contains), predicted.Count, gold.Count);
    }
}
