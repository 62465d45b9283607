using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// The features of one (span, candidate) pair that the ranker weighs: how the name matched, the prior and popularity,
/// the tagger's type against the KB's, the span's shape and place in its region, the context, and (second pass only)
/// coherence with the document's confident links, one sense per document and coreference. Names are written into the
/// weights file, so a model trained on other features is refused.
/// </summary>
public static class LinkFeatures
{
    static readonly EntityType[] Types = [EntityType.Unknown, EntityType.Per, EntityType.Org, EntityType.Loc, EntityType.Misc];

    /// <summary>Features only the second pass computes (zero in the first).</summary>
    public static readonly string[] SecondPass =
    [
        "coherence", "one_sense", "linked_elsewhere", "coreference_source", "coreference_last_word", "first_pass", "first_pass_margin",
        "first_pass_top", "overlapping_span_first_pass",
    ];

    public static readonly string[] Names = BuildNames();

    public static int Count => Names.Length;

    static string[] BuildNames()
    {
        var names = new List<string>
        {
            "bias", "log_prior", "prior", "popularity", "log_candidates", "inverse_rank", "top_prior",
        };
        names.AddRange(Enum.GetNames<MatchKind>().Select(k => "kind_" + k.ToLowerInvariant()));
        names.AddRange(["acronym_form", "span_upper_case"]);
        foreach (var kbType in Types)
        {
            foreach (var taggedType in Types)
            {
                names.Add($"kb_{kbType.ToTsv().ToLowerInvariant()}_tagged_{(taggedType == EntityType.Unknown ? "none" : taggedType.ToLabel().ToLowerInvariant())}");
            }
        }

        names.AddRange(
        [
            "context", "whole_region", "starts_region", "ends_region", "from_tagger", "one_token", "two_tokens", "three_or_more_tokens",
            "sentence_initial", "lower_case_use", "lower_case_word_after", "possessive_after", "no_description", "region_coverage",
            "share_of_label_words", "ends_with_dot", "capitals_word", "hyphen_particle", "dot_then_capital", "crosses_comma", "region_is_a_name",
        ]);
        names.AddRange(ContextFeatures.DescriptionKeywords.Select(k => "description_" + k));
        names.AddRange(SecondPass);
        return [.. names];
    }

    /// <summary>What the second pass knows about the document from the first.</summary>
    public sealed class DocumentEvidence
    {
        public required IReadOnlyCollection<int> Anchors { get; init; }

        /// <summary>Per surface key, the best first-pass probability of each entity on spans with that key.</summary>
        public required Dictionary<string, Dictionary<int, float>> ByKey { get; init; }

        /// <summary>Per entity, its best first-pass probability as the best candidate of a span, and that span's region.</summary>
        public required Dictionary<int, (float Probability, MentionRegion Region)> Linked { get; init; }
    }

    public static void Compute(
        EntityKnowledgeBase kb, ContextFeatures context, ContextFeatures.DocumentWords words, LinkingDocument document, CandidateSpan span, int index,
        DocumentEvidence? evidence, Span<float> into)
    {
        into.Clear();
        var candidate = span.Candidates[index];
        var entity = candidate.Entity;
        var region = span.Region;
        var f = 0;
        into[f++] = 1;
        into[f++] = (float)Math.Log(Math.Max(candidate.Prior, 1e-6));
        into[f++] = candidate.Prior;
        into[f++] = kb.Popularity[entity];
        into[f++] = (float)Math.Log(1 + span.Candidates.Count);
        into[f++] = 1f / (1 + index);
        into[f++] = index == 0 ? 1 : 0;
        into[f + (int)candidate.Kind] = 1;
        f += Enum.GetValues<MatchKind>().Length;
        into[f++] = candidate.UpperCaseForm ? 1 : 0;
        into[f++] = document.IsUpper(span.FirstToken, span.LastToken) ? 1 : 0;
        into[f + (TypeIndex(kb.Types[entity]) * Types.Length) + TypeIndex(region.TaggedType)] = 1;
        f += Types.Length * Types.Length;

        var (start, end) = (document.Tokens[span.FirstToken].Start, document.Tokens[span.LastToken].End);
        into[f++] = context.Similarity(words, document.Text, start, end, entity);
        into[f++] = span.FirstToken == region.FirstToken && span.LastToken == region.LastToken ? 1 : 0;
        into[f++] = span.FirstToken == region.FirstToken ? 1 : 0;
        into[f++] = span.LastToken == region.LastToken ? 1 : 0;
        into[f++] = region.FromTagger ? 1 : 0;
        var wordCount = WordCount(document, span.FirstToken, span.LastToken);
        into[f++] = wordCount == 1 ? 1 : 0;
        into[f++] = wordCount == 2 ? 1 : 0;
        into[f++] = wordCount >= 3 ? 1 : 0;
        into[f++] = document.SentenceStart(span.FirstToken) ? 1 : 0;
        into[f++] = wordCount == 1 && document.IsCapitalisedCommonWord(span.FirstToken) ? 1 : 0;
        var after = span.LastToken + 1;
        into[f++] = after < document.Count && document.Adjacent(span.LastToken, after) && char.IsLower(document.Text[document.Tokens[after].Start]) ? 1 : 0;
        into[f++] = after + 1 < document.Count && document.Normalized(after) == "'" && document.Normalized(after + 1) == "s" ? 1 : 0;
        into[f++] = kb.Descriptions[entity].Length == 0 ? 1 : 0;
        into[f++] = (float)span.TokenCount / (region.LastToken - region.FirstToken + 1);
        into[f++] = Math.Min(1f, (float)wordCount / Math.Max(1, LabelWords(kb.Labels[entity])));
        into[f++] = document.TokenSpan(span.LastToken) is "." ? 1 : 0;
        // A word of five or more capitals is a dateline or shouting ("WASHINGTON"), not an acronym.
        into[f++] = wordCount == 1 && document.IsUpper(span.FirstToken) && document.Tokens[span.FirstToken].End - document.Tokens[span.FirstToken].Start >= 5 ? 1 : 0;
        into[f++] = char.IsLower(document.Text[start]) ? 1 : 0;
        into[f++] = document.TokenSpan(span.LastToken) is "." && after < document.Count && document.IsCapitalisedWord(after) ? 1 : 0;
        into[f++] = document.Text.AsSpan(start, end - start).Contains(',') ? 1 : 0;
        // Whether the KB knows the whole region as a name: when it does not ("FBI and Department of Justice"), its parts
        // are the names.
        into[f++] = region.Spans.Exists(s => s.FirstToken == region.FirstToken && s.LastToken == region.LastToken && s.Candidates.Exists(c => c.Kind != MatchKind.Coreference)) ? 1 : 0;
        var keywords = context.KeywordsOf(entity);
        for (var k = 0; k < ContextFeatures.DescriptionKeywords.Length; k++)
        {
            into[f++] = (keywords >> k & 1) != 0 ? 1 : 0;
        }

        if (evidence is null)
        {
            return;
        }

        into[f++] = Math.Min(3, context.Coherence(entity, evidence.Anchors)) / 3f;
        var sameKey = 0f;
        if (span.Key is not null && evidence.ByKey.TryGetValue(span.Key, out var byEntity))
        {
            sameKey = byEntity.GetValueOrDefault(entity);
        }

        into[f++] = sameKey;
        into[f++] = evidence.Linked.TryGetValue(entity, out var linked) && linked.Region != region ? linked.Probability : 0;
        into[f++] = candidate.CoreferenceSource;
        into[f++] = candidate.CoreferenceByLastWord ? 1 : 0;
        into[f++] = candidate.FirstPass;

        // How the candidate stands against the span's other candidates, and the span against the spans it overlaps.
        var otherBest = 0f;
        for (var c = 0; c < span.Candidates.Count; c++)
        {
            if (c != index)
            {
                otherBest = Math.Max(otherBest, span.Candidates[c].FirstPass);
            }
        }

        into[f++] = candidate.FirstPass - otherBest;
        into[f++] = candidate.FirstPass >= otherBest ? 1 : 0;
        var overlapping = 0f;
        foreach (var other in region.Spans)
        {
            if (other != span && other.FirstToken <= span.LastToken && span.FirstToken <= other.LastToken)
            {
                foreach (var c in other.Candidates)
                {
                    overlapping = Math.Max(overlapping, c.FirstPass);
                }
            }
        }

        into[f++] = overlapping;
    }

    static int TypeIndex(EntityType type) => type switch
    {
        EntityType.Per => 1,
        EntityType.Org => 2,
        EntityType.Loc => 3,
        EntityType.Misc => 4,
        _ => 0,
    };

    static int WordCount(LinkingDocument document, int first, int last)
    {
        var count = 0;
        for (var t = first; t <= last; t++)
        {
            count += document.IsWord(t) ? 1 : 0;
        }

        return count;
    }

    static int LabelWords(string label)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in label)
        {
            var word = char.IsLetterOrDigit(c);
            count += word && !inWord ? 1 : 0;
            inWord = word;
        }

        return count;
    }
}
