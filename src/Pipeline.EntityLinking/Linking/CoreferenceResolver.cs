using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// In-document coreference as candidate generation: a one-word span that is the first or last word of a longer name
/// elsewhere in the document ("Xi" and "Jinping" for "Xi Jinping", "Biden" for "Joe Biden"), an acronym defined in
/// parentheses ("National Security Agency (NSA)"), and an acronym made of a longer name's initials ("SEC" for
/// "Securities and Exchange Commission") get that name's first-pass entity as a <see cref="MatchKind.Coreference"/>
/// candidate, with the name's first-pass probability as a feature. Whether it wins is the ranker's call.
/// </summary>
public sealed class CoreferenceResolver(EntityKnowledgeBase kb, LinkerSettings settings)
{
    public void AddCandidates(LinkingDocument document, IReadOnlyList<MentionRegion> regions)
    {
        // Longer names with a first-pass link, by the key of their first word, last word and initials.
        var byFirst = new Dictionary<string, CandidateSpan>(StringComparer.Ordinal);
        var byLast = new Dictionary<string, CandidateSpan>(StringComparer.Ordinal);
        var byInitials = new Dictionary<string, CandidateSpan>(StringComparer.Ordinal);
        foreach (var span in regions.SelectMany(r => r.Spans))
        {
            if (span.Best < 0 || span.Candidates[span.Best].FirstPass < settings.CoreferenceSourceProbability)
            {
                continue;
            }

            var words = Enumerable.Range(span.FirstToken, span.TokenCount).Where(t => document.IsWord(t) && document.IsCapitalisedWord(t)).ToList();
            if (words.Count < 2)
            {
                continue;
            }

            Keep(byFirst, document.Normalized(words[0]), span);
            Keep(byLast, document.Normalized(words[^1]), span);
            if (words.Count <= 6)
            {
                Keep(byInitials, string.Concat(words.Select(w => document.Normalized(w)[0])), span);
            }
        }

        for (var r = 0; r < regions.Count; r++)
        {
            foreach (var span in regions[r].Spans)
            {
                if (span.TokenCount != 1 || !document.IsWord(span.FirstToken))
                {
                    continue;
                }

                var word = document.Normalized(span.FirstToken);
                // A person's first word ("Xi" of "Xi Jinping"), or an organisation's when the word names nothing in the KB
                // ("Paxar" of "Paxar Corp"; not "Chinese" of "Chinese Communist Party").
                if (byFirst.TryGetValue(word, out var longer) && longer.Region != span.Region &&
                    (kb.Types[longer.Candidates[longer.Best].Entity] == EntityType.Per || span.Candidates.Count == 0))
                {
                    Add(span, longer, byLastWord: false);
                }

                if (byLast.TryGetValue(word, out longer) && longer.Region != span.Region)
                {
                    Add(span, longer, byLastWord: true);
                }

                if (document.IsUpper(span.FirstToken) && byInitials.TryGetValue(word, out longer) && longer.Region != span.Region)
                {
                    Add(span, longer, byLastWord: false);
                }

                // "National Security Agency (NSA)": the acronym right after a name, in parentheses.
                if (r > 0 && span.FirstToken >= 2 && document.TokenSpan(span.FirstToken - 1) is "(" && span.FirstToken + 1 < document.Count &&
                    document.TokenSpan(span.FirstToken + 1) is ")" && document.IsUpper(span.FirstToken) &&
                    regions[r - 1].Spans.Where(s => s.LastToken == span.FirstToken - 2 && s.Best >= 0).MaxBy(s => s.BestProbability) is { } defined)
                {
                    Add(span, defined, byLastWord: false);
                }
            }
        }
    }

    static void Keep(Dictionary<string, CandidateSpan> forms, string key, CandidateSpan span)
    {
        if (!forms.TryGetValue(key, out var known) || known.BestProbability < span.BestProbability)
        {
            forms[key] = span;
        }
    }

    void Add(CandidateSpan span, CandidateSpan longer, bool byLastWord)
    {
        var source = longer.Candidates[longer.Best];
        var existing = span.Candidates.Find(c => c.Entity == source.Entity);
        if (existing is null)
        {
            if (span.Candidates.Count >= settings.MaxCandidates + 1)
            {
                return;
            }

            existing = new LinkCandidate(source.Entity, 0, MatchKind.Coreference, upperCaseForm: false);
            span.Candidates.Add(existing);
        }

        if (source.FirstPass > existing.CoreferenceSource)
        {
            existing.CoreferenceSource = source.FirstPass;
            existing.CoreferenceByLastWord = byLastWord;
        }
    }

    /// <summary>
    /// After the second pass: a one-word name standing alone ("Xi told Biden ...") that is the first or last word of a
    /// person the document names in full with a confident first-pass link (at least
    /// <see cref="LinkerSettings.CoreferenceAdoptProbability"/>) is that person, with the full name's probability, even
    /// where the ranker, which rarely saw a short form the tagger missed, is less sure.
    /// </summary>
    public void Adopt(IReadOnlyList<MentionRegion> regions)
    {
        foreach (var region in regions)
        {
            if (region.FirstToken != region.LastToken)
            {
                continue;
            }

            foreach (var span in region.Spans)
            {
                foreach (var candidate in span.Candidates)
                {
                    if (candidate.Kind == MatchKind.Coreference && kb.Types[candidate.Entity] == EntityType.Per && candidate.CoreferenceSource >= settings.CoreferenceAdoptProbability)
                    {
                        candidate.Probability = Math.Max(candidate.Probability, candidate.CoreferenceSource);
                    }
                }

                span.Best = span.Candidates.Count == 0 ? -1 : span.Candidates.IndexOf(span.Candidates.MaxBy(c => c.Probability)!);
            }
        }
    }
}
