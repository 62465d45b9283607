using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>A name the tagger found: tokens first..last, its type and the tagger's calibrated score (null: none).</summary>
public readonly record struct TaggedMention(int FirstToken, int LastToken, EntityType Type, float? Score = null);

/// <summary>Finds the names in a document (the learned named-entity tagger).</summary>
public interface IMentionTagger
{
    IReadOnlyList<TaggedMention> Tag(LinkingDocument document);
}

/// <summary>
/// Mention detection: the regions the linker looks for entities in. Every name the tagger finds is a region (with the
/// tagger's type); so is every run of capitalised words outside them, where the KB may still know a name the tagger
/// missed. Whether a name in a region is linked, and on which of its spans, is the ranker's decision.
/// </summary>
public sealed class MentionDetector(IMentionTagger? tagger, EntityKnowledgeBase kb)
{
    public List<MentionRegion> Detect(LinkingDocument document)
    {
        var regions = new List<MentionRegion>();
        var covered = new bool[document.Count];
        if (tagger is not null)
        {
            foreach (var mention in tagger.Tag(document))
            {
                foreach (var (sentenceFirst, sentenceLast) in SplitSentences(document, mention.FirstToken, mention.LastToken))
                {
                    foreach (var (first, last) in SplitCoordination(document, sentenceFirst, sentenceLast))
                    {
                        regions.Add(new MentionRegion(first, last, mention.Type, fromTagger: true, mention.Score));
                    }
                }

                Array.Fill(covered, true, mention.FirstToken, mention.LastToken - mention.FirstToken + 1);
            }
        }

        foreach (var (first, last) in CapitalisedRuns(document))
        {
            // The part of the run the tagger did not cover, split where it did.
            var start = -1;
            for (var t = first; t <= last + 1; t++)
            {
                if (t <= last && !covered[t])
                {
                    start = start < 0 ? t : start;
                    continue;
                }

                if (start >= 0 && TrimmedRun(document, start, t - 1) is var (runFirst, runLast) && runLast >= runFirst)
                {
                    regions.Add(new MentionRegion(runFirst, runLast, EntityType.Unknown, fromTagger: false));
                }

                start = -1;
            }
        }

        regions.Sort((a, b) => a.FirstToken.CompareTo(b.FirstToken));
        return JoinCommaNames(document, regions);
    }

    /// <summary>A name never runs across the end of a sentence ("... told CNN. Xi promised ..."), whatever the tagger says.</summary>
    static IEnumerable<(int First, int Last)> SplitSentences(LinkingDocument document, int first, int last)
    {
        var start = first;
        for (var t = first; t <= last; t++)
        {
            if (document.TokenSpan(t) is "." or "!" or "?" && !ContinuesName(document, t))
            {
                if (t > start)
                {
                    yield return (start, t - 1);
                }

                start = t + 1;
            }
        }

        if (start <= last)
        {
            yield return (start, last);
        }
    }

    /// <summary>
    /// A tagged name of two coordinated names ("FBI and Department of Justice") is two regions when the KB knows each
    /// part as a whole name and not the whole ("Procter and Gamble" stays one).
    /// </summary>
    IEnumerable<(int First, int Last)> SplitCoordination(LinkingDocument document, int first, int last)
    {
        if (!IsKnown(document, first, last))
        {
            for (var and = first + 1; and < last; and++)
            {
                if (document.Normalized(and) is "and" or "&" && IsKnown(document, first, and - 1) && IsKnown(document, and + 1, last))
                {
                    yield return (first, and - 1);
                    yield return (and + 1, last);
                    yield break;
                }
            }
        }

        yield return (first, last);
    }

    bool IsKnown(LinkingDocument document, int first, int last) => document.Key(first, last) is { } key && !kb.Candidates(key).IsEmpty;

    /// <summary>
    /// Two regions with only a comma between them are one region when the KB has the whole as a name ("Madison,
    /// Wisconsin", "Trinity College, Cambridge"): the ranker then weighs the whole against its two parts.
    /// </summary>
    List<MentionRegion> JoinCommaNames(LinkingDocument document, List<MentionRegion> regions)
    {
        for (var r = 0; r + 1 < regions.Count; r++)
        {
            var (left, right) = (regions[r], regions[r + 1]);
            if (right.FirstToken != left.LastToken + 2 || document.TokenSpan(left.LastToken + 1) is not "," || !document.Adjacent(left.LastToken, left.LastToken + 1))
            {
                continue;
            }

            for (var first = left.FirstToken; first <= left.LastToken; first++)
            {
                if (IsKnown(document, first, right.LastToken))
                {
                    var type = left.FromTagger ? left.TaggedType : right.TaggedType;
                    regions[r] = new MentionRegion(left.FirstToken, right.LastToken, type, left.FromTagger || right.FromTagger);
                    regions.RemoveAt(r + 1);
                    break;
                }
            }
        }

        return regions;
    }

    /// <summary>
    /// Maximal runs of name-like tokens on one line: capitalised words, numbers with letters ("G20"), and connectors
    /// between them ("Bank of England", "U.S."). The tagger's own spans may lie inside or across them.
    /// </summary>
    public static IEnumerable<(int First, int Last)> CapitalisedRuns(LinkingDocument document)
    {
        var t = 0;
        while (t < document.Count)
        {
            if (!StartsName(document, t))
            {
                t++;
                continue;
            }

            var last = t;
            while (last + 1 < document.Count && document.Adjacent(last, last + 1) && ContinuesName(document, last + 1))
            {
                last++;
            }

            if (TrimmedRun(document, t, last) is var (first, end) && end >= first)
            {
                yield return (first, end);
            }

            t = last + 1;
        }
    }

    /// <summary>A name goes on through capitalised words and connectors; through a dot only after an initial ("U.S. Patent Office"), not a full stop.</summary>
    static bool ContinuesName(LinkingDocument document, int t) =>
        StartsName(document, t) ||
        (document.TokenSpan(t) is "."
            ? document.Tokens[t - 1].End - document.Tokens[t - 1].Start == 1 && document.IsCapitalisedWord(t - 1)
            : WordLists.NameConnectors.Contains(document.Normalized(t)));

    static bool StartsName(LinkingDocument document, int t) =>
        document.IsCapitalisedWord(t) || (char.IsDigit(document.Text[document.Tokens[t].Start]) && document.TokenSpan(t).ContainsAnyInRange('A', 'Z'));

    /// <summary>A run without connectors at its ends (the dot of an abbreviation such as "U.S." stays).</summary>
    static (int First, int Last) TrimmedRun(LinkingDocument document, int first, int last)
    {
        // A leading article is not part of the name ("the Associated Press", "The New York Times"): annotators and the
        // tagger leave it out, and the alias index drops it anyway.
        while (first <= last && (!StartsName(document, first) || (first < last && document.Normalized(first) is "the" or "a" or "an")))
        {
            first++;
        }

        // A lower-case particle hyphenated to the name belongs to it ("al-Maliki", "bin-Laden").
        if (first >= 2 && document.TokenSpan(first - 1) is "-" && document.Tokens[first - 1].End == document.Tokens[first].Start &&
            document.Tokens[first - 2].End == document.Tokens[first - 1].Start && document.IsWord(first - 2) && char.IsLower(document.Text[document.Tokens[first - 2].Start]))
        {
            first -= 2;
        }

        while (last >= first && !StartsName(document, last) && !IsAbbreviationDot(document, last))
        {
            last--;
        }

        return (first, last);
    }

    /// <summary>
    /// The dot after a capitalised abbreviation may belong to the name ("U.S.", "George W. Bush", "Calif.", "Corp."); a
    /// span may end there or before it, and the ranker weighs both (a full stop also follows a short word).
    /// </summary>
    public static bool IsAbbreviationDot(LinkingDocument document, int t) =>
        t > 0 && document.TokenSpan(t) is "." && document.Adjacent(t - 1, t) && document.IsCapitalisedWord(t - 1) && document.Tokens[t - 1].End - document.Tokens[t - 1].Start <= MaxAbbreviationLetters;

    /// <summary>Longest word taken for an abbreviation before a dot ("Calif", "Tenn", "Corp").</summary>
    const int MaxAbbreviationLetters = 5;
}
