namespace Pipeline.EntityLinking.Evaluation;

/// <summary>A mention the linker predicted, as the scorer sees it: its span, its link (null = NIL), type and candidates.</summary>
public readonly record struct PredictedMention(int Start, int End, string? Qid, string Type, IReadOnlyCollection<string> Candidates);

/// <summary>Micro counts of matches (links, or tagged spans): right ones, ones made, ones required; precision, recall and F1 (0 when undefined).</summary>
public sealed class MatchCounts
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

    public void Add(MatchCounts other) => Add(other.TruePositives, other.Predicted, other.Gold);
}

/// <summary>A share: how many of a total (mention-detection recall, candidate recall).</summary>
public sealed class Share
{
    public int Hits { get; private set; }

    public int Total { get; private set; }

    public double Value => Total == 0 ? 0 : (double)Hits / Total;

    public void Add(bool hit)
    {
        Total++;
        Hits += hit ? 1 : 0;
    }

    public void Add(Share other)
    {
        Hits += other.Hits;
        Total += other.Total;
    }
}

/// <summary>
/// Scores entity links the way ELEVANT does, so the numbers compare with published ones:
/// <list type="bullet">
/// <item>only the document's evaluation span counts: links predicted outside it are ignored;</item>
/// <item>required gold = labels whose entity is a Wikidata QID; labels flagged optional, labels whose entity is neither a
/// QID nor <c>&lt;NIL&gt;</c> (DATETIME, QUANTITY, &lt;NO_MAPPING&gt;, ...) and, with <c>ignoreCoref</c>, labels flagged
/// coref are ignored: not required, and a link predicted on exactly their span is not counted;</item>
/// <item>every other predicted link counts: right when a required label has its span and QID, wrong otherwise (a link
/// on a <c>&lt;NIL&gt;</c> label, on an unlabelled span, or to another entity);</item>
/// <item>in-KB: only the required labels whose QID the knowledge base has, and the links predicted on exactly their
/// spans;</item>
/// <item>mention-detection recall: required gold spans the linker found as a mention, linked or not; candidate recall:
/// of those whose entity the KB has, the ones whose gold QID was among the mention's candidates.</item>
/// </list>
/// </summary>
public sealed class LinkingEvaluation(Func<string, bool> inKnowledgeBase, bool ignoreCoref = false)
{
    public static readonly string[] CoarseTypes = ["PER", "ORG", "LOC", "MISC"];

    public MatchCounts Overall { get; } = new();

    public MatchCounts InKnowledgeBase { get; } = new();

    public Share MentionRecall { get; } = new();

    public Share CandidateRecall { get; } = new();

    /// <summary>Per coarse type of the gold label (recall) or of the predicted mention (precision of wrong links).</summary>
    public IReadOnlyDictionary<string, TypeScore> ByType { get; } = CoarseTypes.ToDictionary(t => t, _ => new TypeScore());

    public int Documents { get; private set; }

    public sealed class TypeScore
    {
        public MatchCounts Links { get; } = new();

        public Share MentionRecall { get; } = new();

        public Share CandidateRecall { get; } = new();
    }

    /// <summary>Whether a gold label is required, ignored, or a NIL (neither required nor ignored).</summary>
    public bool IsRequired(GoldLabel label) => label.IsQid && !label.Optional && !(ignoreCoref && label.Coref);

    public bool IsIgnored(GoldLabel label) => label.Optional || (!label.IsQid && !label.IsNil) || (ignoreCoref && label.Coref);

    /// <summary>Scores one document; returns its own counts (for error listings), already added to the totals.</summary>
    public DocumentScore Add(BenchmarkDocument document, IReadOnlyList<PredictedMention> mentions)
    {
        Documents++;
        var required = document.Labels.Where(IsRequired).ToList();
        var requiredLinks = required.Select(l => (l.Start, l.End, l.EntityId)).ToHashSet();
        var requiredInKb = required.Where(l => inKnowledgeBase(l.EntityId)).Select(l => (l.Start, l.End, l.EntityId)).ToHashSet();
        var inKbSpans = requiredInKb.Select(l => (l.Start, l.End)).ToHashSet();
        var ignoredSpans = document.Labels.Where(IsIgnored).Select(l => (l.Start, l.End)).ToHashSet();
        var goldTypeBySpan = required.GroupBy(l => (l.Start, l.End)).ToDictionary(g => g.Key, g => g.First().CoarseType);

        var scored = mentions
            .Where(m => m.Qid is not null && m.Start >= document.EvaluationStart && m.End <= document.EvaluationEnd && !ignoredSpans.Contains((m.Start, m.End)))
            .ToList();
        var links = scored.Select(m => (m.Start, m.End, m.Qid!)).ToHashSet();
        var right = links.Count(requiredLinks.Contains);
        Overall.Add(right, links.Count, requiredLinks.Count);

        var onKnown = links.Where(l => inKbSpans.Contains((l.Start, l.End))).ToList();
        InKnowledgeBase.Add(onKnown.Count(requiredInKb.Contains), onKnown.Count, requiredInKb.Count);

        foreach (var mention in scored)
        {
            var type = goldTypeBySpan.GetValueOrDefault((mention.Start, mention.End), mention.Type);
            if (ByType.TryGetValue(type, out var score))
            {
                score.Links.Add(requiredLinks.Contains((mention.Start, mention.End, mention.Qid!)) ? 1 : 0, 1, 0);
            }
        }

        var bySpan = mentions.GroupBy(m => (m.Start, m.End)).ToDictionary(g => g.Key, g => g.First());
        foreach (var label in required)
        {
            var found = bySpan.TryGetValue((label.Start, label.End), out var mention);
            var candidate = found && (mention.Qid == label.EntityId || mention.Candidates.Contains(label.EntityId));
            MentionRecall.Add(found);
            var typeScore = ByType[label.CoarseType];
            typeScore.Links.Add(0, 0, 1);
            typeScore.MentionRecall.Add(found);
            if (found && inKnowledgeBase(label.EntityId))
            {
                CandidateRecall.Add(candidate);
                typeScore.CandidateRecall.Add(candidate);
            }
        }

        return new DocumentScore(required, ignoredSpans, scored);
    }

    public void Add(LinkingEvaluation other)
    {
        Documents += other.Documents;
        Overall.Add(other.Overall);
        InKnowledgeBase.Add(other.InKnowledgeBase);
        MentionRecall.Add(other.MentionRecall);
        CandidateRecall.Add(other.CandidateRecall);
        foreach (var (type, score) in other.ByType)
        {
            ByType[type].Links.Add(score.Links);
            ByType[type].MentionRecall.Add(score.MentionRecall);
            ByType[type].CandidateRecall.Add(score.CandidateRecall);
        }
    }

    /// <summary>One document's required labels, ignored spans and the predicted links that were scored.</summary>
    public sealed record DocumentScore(IReadOnlyList<GoldLabel> Required, IReadOnlySet<(int Start, int End)> IgnoredSpans, IReadOnlyList<PredictedMention> ScoredLinks);
}
