using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>One document on its way through the linker: its tokens, content words and mention regions with their candidates.</summary>
public sealed class LinkingState(LinkingDocument document, ContextFeatures.DocumentWords words, List<MentionRegion> regions)
{
    public LinkingDocument Document { get; } = document;

    public ContextFeatures.DocumentWords Words { get; } = words;

    public List<MentionRegion> Regions { get; } = regions;

    public LinkFeatures.DocumentEvidence? Evidence { get; set; }

    public IEnumerable<CandidateSpan> Spans => Regions.SelectMany(r => r.Spans);
}

/// <summary>
/// Disambiguation: every candidate of every span is scored by the ranker in two passes. The first sees the name, the
/// prior, types, span shape and context; its confident links become the document's anchors, and coreference adds the
/// entities of longer names to their short forms. The second pass adds coherence with the anchors, one sense per
/// document and the coreference evidence. The weights are trained (<see cref="LinkModel"/>), not set by hand.
/// </summary>
public sealed class Disambiguator(EntityKnowledgeBase kb, LinkerSettings settings, ContextFeatures context, CoreferenceResolver coreference)
{
    /// <summary>Computes the features of one candidate into <paramref name="into"/> (second-pass features only with evidence).</summary>
    public void Features(LinkingState state, CandidateSpan span, int candidate, Span<float> into) =>
        LinkFeatures.Compute(kb, context, state.Words, state.Document, span, candidate, state.Evidence, into);

    /// <summary>First pass: every candidate scored without document evidence; then coreference candidates, scored alike.</summary>
    public void FirstPass(LinkingState state, Func<ReadOnlySpan<float>, float> score)
    {
        Span<float> features = stackalloc float[LinkFeatures.Count];
        foreach (var span in state.Spans)
        {
            ScoreFirst(state, span, score, features);
        }

        coreference.AddCandidates(state.Document, state.Regions);
        foreach (var span in state.Spans)
        {
            ScoreFirst(state, span, score, features, onlyUnscored: true);
        }
    }

    void ScoreFirst(LinkingState state, CandidateSpan span, Func<ReadOnlySpan<float>, float> score, Span<float> features, bool onlyUnscored = false)
    {
        for (var c = 0; c < span.Candidates.Count; c++)
        {
            var candidate = span.Candidates[c];
            if (onlyUnscored && candidate.Kind != MatchKind.Coreference)
            {
                continue;
            }

            Features(state, span, c, features);
            candidate.FirstPass = candidate.Probability = score(features);
        }

        span.Best = BestOf(span);
    }

    /// <summary>What the first pass says about the document: its anchors, the entities of each surface form, and where each entity is linked.</summary>
    public LinkFeatures.DocumentEvidence Evidence(LinkingState state)
    {
        var anchors = new HashSet<int>();
        var byKey = new Dictionary<string, Dictionary<int, float>>(StringComparer.Ordinal);
        var linked = new Dictionary<int, (float, MentionRegion)>();
        foreach (var span in state.Spans)
        {
            if (span.Best < 0)
            {
                continue;
            }

            var best = span.Candidates[span.Best];
            if (best.FirstPass >= settings.AnchorProbability)
            {
                anchors.Add(best.Entity);
            }

            if (!linked.TryGetValue(best.Entity, out var known) || known.Item1 < best.FirstPass)
            {
                linked[best.Entity] = (best.FirstPass, span.Region);
            }

            if (span.Key is null)
            {
                continue;
            }

            if (!byKey.TryGetValue(span.Key, out var entities))
            {
                byKey[span.Key] = entities = [];
            }

            entities[best.Entity] = Math.Max(entities.GetValueOrDefault(best.Entity), best.FirstPass);
        }

        return new LinkFeatures.DocumentEvidence { Anchors = anchors, ByKey = byKey, Linked = linked };
    }

    /// <summary>Second pass: every candidate rescored with the document's evidence.</summary>
    public void SecondPass(LinkingState state, Func<ReadOnlySpan<float>, float> score)
    {
        state.Evidence = Evidence(state);
        Span<float> features = stackalloc float[LinkFeatures.Count];
        foreach (var span in state.Spans)
        {
            for (var c = 0; c < span.Candidates.Count; c++)
            {
                Features(state, span, c, features);
                span.Candidates[c].Probability = score(features);
            }

            span.Best = BestOf(span);
        }

        coreference.Adopt(state.Regions);
    }

    static int BestOf(CandidateSpan span)
    {
        var best = -1;
        for (var c = 0; c < span.Candidates.Count; c++)
        {
            if (best < 0 || span.Candidates[c].Probability > span.Candidates[best].Probability)
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// The spans of a region that are linked: the non-overlapping set whose best candidates reach the threshold with
    /// the largest total margin over it (so "New York Times" at 0.9 beats "New York" at 0.6 plus "Times" at 0.55).
    /// </summary>
    public static List<CandidateSpan> Decode(MentionRegion region, float threshold)
    {
        var length = region.LastToken - region.FirstToken + 1;
        var best = new double[length + 1];
        var choice = new CandidateSpan?[length + 1];
        for (var end = 1; end <= length; end++)
        {
            best[end] = best[end - 1];
            choice[end] = null;
            foreach (var span in region.Spans)
            {
                if (span.LastToken - region.FirstToken + 1 != end || span.Best < 0 || span.BestProbability < threshold)
                {
                    continue;
                }

                var value = best[span.FirstToken - region.FirstToken] + (span.BestProbability - threshold) + 1e-6;
                if (value > best[end])
                {
                    best[end] = value;
                    choice[end] = span;
                }
            }
        }

        var chosen = new List<CandidateSpan>();
        for (var end = length; end > 0;)
        {
            if (choice[end] is { } span)
            {
                chosen.Add(span);
                end = span.FirstToken - region.FirstToken;
            }
            else
            {
                end--;
            }
        }

        chosen.Reverse();
        return chosen;
    }
}
