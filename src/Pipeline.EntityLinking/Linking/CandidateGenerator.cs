using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// Candidate generation: every span inside a mention region that is a name in the alias index, with the entities it may
/// refer to and how each was found (<see cref="MatchKind"/>). Spelling variants (dots, hyphens, "&amp;", legal forms, a
/// leading "the") share one key (<see cref="SurfaceForms"/>); the index also holds derived forms (legal form or country
/// dropped), family names, first-and-last names and acronyms of names. Nested spans are all kept ("San Juan de
/// Nicaragua" and "San Juan"; "Donald Trump" inside "US President Donald Trump"): the ranker scores each and the linker
/// keeps the best non-overlapping ones.
/// </summary>
public sealed class CandidateGenerator(EntityKnowledgeBase kb, LinkerSettings settings)
{
    /// <summary>Dots and hyphens are text tokens but not key tokens ("U.S." is one key token): the text may be longer.</summary>
    int MaxTextTokens => 3 * kb.MaxAliasTokens;

    public void Generate(LinkingDocument document, MentionRegion region)
    {
        var whole = false;
        for (var first = region.FirstToken; first <= region.LastToken; first++)
        {
            if (!CanStart(document, region, first))
            {
                continue;
            }

            var lastAllowed = Math.Min(region.LastToken, first + MaxTextTokens - 1);
            for (var last = first; last <= lastAllowed; last++)
            {
                if (!CanEnd(document, region, last))
                {
                    continue;
                }

                var key = document.Key(first, last);
                var isWhole = first == region.FirstToken && last == region.LastToken;
                var span = new CandidateSpan(region, first, last, key);
                var candidates = key is null ? [] : kb.Candidates(key);
                AddCandidates(document, span, candidates);
                if (candidates.IsEmpty && key is not null)
                {
                    AddWithoutLegalForm(span, key);
                }

                // A capitalised word the KB does not know is still a span: coreference may give it the entity of a
                // longer name ("Xi" in "Later Xi met ...").
                if (span.Candidates.Count > 0 || isWhole || (first == last && document.IsCapitalisedWord(first)))
                {
                    region.Spans.Add(span);
                    whole |= isWhole;
                }
            }
        }

        if (!whole)
        {
            // The region itself, so a name nothing matches is still reported (as NIL).
            region.Spans.Add(new CandidateSpan(region, region.FirstToken, region.LastToken, document.Key(region.FirstToken, region.LastToken)));
        }
    }

    void AddCandidates(LinkingDocument document, CandidateSpan span, ReadOnlySpan<AliasCandidate> candidates)
    {
        if (candidates.IsEmpty)
        {
            return;
        }

        var upper = document.IsUpper(span.FirstToken, span.LastToken);
        foreach (var candidate in candidates)
        {
            // An acronym in the KB ("US", "NSA") is written as one in the text: "us" and "Nsa" are other words.
            var upperForm = (candidate.Flags & AliasFlags.UpperCase) != 0;
            if (upperForm && !upper)
            {
                continue;
            }

            span.Candidates.Add(new LinkCandidate(candidate.Entity, candidate.Prior, KindOf(candidate.Flags), upperForm));
            if (span.Candidates.Count == settings.MaxCandidates)
            {
                break;
            }
        }
    }

    /// <summary>
    /// A name and a legal form the KB does not list together ("Union Carbide Corp", "Merck and Co Inc"): the companies
    /// (and entities of no person or place type) the name alone is.
    /// </summary>
    void AddWithoutLegalForm(CandidateSpan span, string key)
    {
        var words = key.Split(' ');
        var end = words.Length;
        while (end > 1 && (WordLists.LegalForms.Contains(words[end - 1]) || words[end - 1] is "and" or ","))
        {
            end--;
        }

        if (end == words.Length || !WordLists.LegalForms.Contains(words[^1]))
        {
            return;
        }

        foreach (var candidate in kb.Candidates(string.Join(' ', words, 0, end)))
        {
            if (kb.Types[candidate.Entity] is EntityType.Per or EntityType.Loc)
            {
                continue;
            }

            span.Candidates.Add(new LinkCandidate(candidate.Entity, candidate.Prior, MatchKind.LegalForm, upperCaseForm: false));
            if (span.Candidates.Count == settings.MaxCandidates)
            {
                break;
            }
        }
    }

    static MatchKind KindOf(AliasFlags flags) =>
        (flags & AliasFlags.Label) != 0 ? MatchKind.Label
        : (flags & AliasFlags.FamilyName) != 0 ? MatchKind.FamilyName
        : (flags & AliasFlags.ShortName) != 0 ? MatchKind.ShortName
        : (flags & AliasFlags.Initials) != 0 ? MatchKind.Initials
        : (flags & AliasFlags.Derived) != 0 ? MatchKind.Derived
        : MatchKind.Alias;

    /// <summary>
    /// A span starts at a word other than an article, not inside a hyphenated name ("Myers" of "Bristol-Myers"); after a
    /// lower-case particle it may ("Maliki" of "al-Maliki").
    /// </summary>
    static bool CanStart(LinkingDocument document, MentionRegion region, int t) =>
        document.IsWord(t) && document.Normalized(t) is not ("the" or "a" or "an") &&
        !(t >= 2 && document.TokenSpan(t - 1) is "-" && document.Tokens[t - 1].End == document.Tokens[t].Start && document.Tokens[t - 2].End == document.Tokens[t - 1].Start &&
          document.IsCapitalisedWord(t - 2));

    /// <summary>A span ends at a word (or the dot of an abbreviation), not inside a hyphenated word ("Bristol" of "Bristol-Myers").</summary>
    static bool CanEnd(LinkingDocument document, MentionRegion region, int t) =>
        (document.IsWord(t) || MentionDetector.IsAbbreviationDot(document, t)) &&
        !(t + 2 < document.Count && document.TokenSpan(t + 1) is "-" && document.Tokens[t].End == document.Tokens[t + 1].Start && document.Tokens[t + 1].End == document.Tokens[t + 2].Start &&
          document.IsWord(t + 2) && (document.IsCapitalisedWord(t + 2) || char.IsLower(document.Text[document.Tokens[t].Start])));
}
