using System.Collections.Concurrent;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// What the document says about a candidate beyond its name: the share of the entity's label and description words
/// found in the text outside the mention (context), and whether the entity's description names an entity the document
/// links with confidence, or is named by its description (coherence: "capital city of China" next to China). The
/// per-entity parts are computed once per process and cached.
/// </summary>
public sealed class ContextFeatures(EntityKnowledgeBase kb)
{
    readonly ConcurrentDictionary<int, string[]> _entityWords = new();
    readonly ConcurrentDictionary<int, int[]> _namedInDescription = new();
    readonly ConcurrentDictionary<int, ulong> _descriptionKeywords = new();

    /// <summary>The description keywords (Data/description-keywords.txt), each a feature of the ranker.</summary>
    public static readonly string[] DescriptionKeywords = [.. WordLists.ReadOrdered("description-keywords.txt").Take(64)];

    static readonly Dictionary<string, int> KeywordIndex = DescriptionKeywords.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);

    /// <summary>Bit i is set when the entity's description has keyword i.</summary>
    public ulong KeywordsOf(int entity) => _descriptionKeywords.GetOrAdd(entity, static (e, k) =>
    {
        var bits = 0UL;
        foreach (var (word, _) in ContentWords.Of(k.Descriptions[e]))
        {
            if (KeywordIndex.TryGetValue(word, out var index))
            {
                bits |= 1UL << index;
            }
        }

        return bits;
    }, kb);

    /// <summary>The document's content words with their positions.</summary>
    public sealed class DocumentWords
    {
        internal Dictionary<string, List<int>> Positions { get; } = new(StringComparer.Ordinal);
    }

    public static DocumentWords Read(string text)
    {
        var words = new DocumentWords();
        foreach (var (word, start) in ContentWords.Of(text))
        {
            if (!words.Positions.TryGetValue(word, out var list))
            {
                words.Positions[word] = list = [];
            }

            list.Add(start);
        }

        return words;
    }

    /// <summary>The entity's label and description words found in the text outside [start, end), over the square root of their number.</summary>
    public float Similarity(DocumentWords document, string text, int start, int end, int entity)
    {
        var words = _entityWords.GetOrAdd(entity, static (e, k) => [.. ContentWords.Of(k.Labels[e] + "\n" + k.Descriptions[e]).Select(w => w.Word).Distinct()], kb);
        if (words.Length == 0)
        {
            return 0;
        }

        var mention = text.AsSpan(start, end - start);
        var usable = 0;
        var found = 0;
        foreach (var word in words)
        {
            if (mention.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                continue; // the mention's own words say nothing about the context
            }

            usable++;
            if (document.Positions.TryGetValue(word, out var at) && at.Exists(p => p < start || p >= end))
            {
                found++;
            }
        }

        return usable == 0 ? 0 : (float)Math.Min(1.0, found / Math.Sqrt(usable));
    }

    /// <summary>How many of the anchors the entity's description names, or are named by theirs.</summary>
    public int Coherence(int entity, IReadOnlyCollection<int> anchors)
    {
        var count = 0;
        var named = NamedInDescription(entity);
        foreach (var anchor in anchors)
        {
            if (anchor != entity && (Array.IndexOf(named, anchor) >= 0 || Array.IndexOf(NamedInDescription(anchor), entity) >= 0))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The entities a description names by any KB surface form starting with a capital ("government body in Washington,
    /// United States" names the United States of America), longest form first.
    /// </summary>
    int[] NamedInDescription(int entity) => _namedInDescription.GetOrAdd(entity, static (e, self) => self.FindNames(self.KnowledgeBase.Descriptions[e]), this);

    EntityKnowledgeBase KnowledgeBase => kb;

    int[] FindNames(string description)
    {
        if (description.Length == 0)
        {
            return [];
        }

        var document = new LinkingDocument(description);
        var found = new List<int>();
        for (var i = 0; i < document.Count; i++)
        {
            if (!document.IsCapitalisedWord(i))
            {
                continue;
            }

            for (var last = Math.Min(document.Count, i + kb.MaxAliasTokens) - 1; last >= i; last--)
            {
                var key = document.Key(i, last);
                var candidates = key is null ? [] : kb.Candidates(key);
                if (candidates.Length > 0)
                {
                    foreach (var candidate in candidates)
                    {
                        found.Add(candidate.Entity);
                    }

                    i = last;
                    break;
                }
            }
        }

        return [.. found.Distinct()];
    }
}
