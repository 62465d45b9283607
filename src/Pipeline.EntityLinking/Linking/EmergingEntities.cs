using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>An unlinked name the tagger found: tokens first..last, the tagger's type and confidence (null: unknown).</summary>
public readonly record struct UnlinkedName(int FirstToken, int LastToken, EntityType Type, float? Confidence);

/// <summary>The emerging entity an unlinked name stands for: its <c>nil:</c> id, the label to show, its type and the tagger's confidence.</summary>
public readonly record struct EmergingEntity(string Id, string Label, EntityType Type, float Confidence);

/// <summary>
/// Which unlinked names get an emerging-entity id (<see cref="EmergingEntityIds"/>). The names of one document with
/// one normalised name are one entity: it gets an id when the tagger found it at least once with a confidence of at
/// least <see cref="MinConfidence"/>, and then all its mentions get that id and the type of its most confident
/// mention (the tagger may type one name differently in two sentences). A name of one word gets none when it is a
/// common word (lower case, a stop word, or also written in lower case in the text, as "Court" and "court").
/// Every other unlinked name stays NIL without an id.
/// </summary>
public sealed class EmergingEntities(double minConfidence)
{
    /// <summary>The tagger's calibrated confidence from which an unlinked name gets an id.</summary>
    public double MinConfidence { get; } = minConfidence;

    /// <summary>For each unlinked name of the document (in the order given), its emerging entity, or null when it stays NIL.</summary>
    public EmergingEntity?[] Identify(LinkingDocument document, IReadOnlyList<UnlinkedName> names)
    {
        var result = new EmergingEntity?[names.Count];
        if (names.All(n => n.Confidence is not { } c || c < MinConfidence))
        {
            return result;
        }

        var texts = new string?[names.Count];
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (IsCommonWord(document, names[i].FirstToken, names[i].LastToken))
            {
                continue;
            }

            var text = texts[i] = document.SpanText(names[i].FirstToken, names[i].LastToken);
            if (EmergingEntityIds.NormalizedName(text) is { } name)
            {
                (byName.TryGetValue(name, out var group) ? group : byName[name] = []).Add(i);
            }
        }

        foreach (var (name, group) in byName)
        {
            var best = group.MaxBy(i => names[i].Confidence ?? -1);
            if (names[best].Confidence is not { } confidence || confidence < MinConfidence)
            {
                continue;
            }

            var id = EmergingEntityIds.Id(name, names[best].Type);
            foreach (var i in group)
            {
                result[i] = new EmergingEntity(id, EmergingEntityIds.DisplayName(texts[i]!), names[best].Type, names[i].Confidence ?? confidence);
            }
        }

        return result;
    }

    /// <summary>No word, or one word that is lower case, a stop word, or a common word written capitalised.</summary>
    static bool IsCommonWord(LinkingDocument document, int first, int last)
    {
        var word = -1;
        for (var t = first; t <= last; t++)
        {
            if (document.IsWord(t))
            {
                if (word >= 0)
                {
                    return false;
                }

                word = t;
            }
        }

        return word < 0 || !document.IsCapitalisedWord(word) || WordLists.StopWords.Contains(document.Normalized(word)) || document.IsCapitalisedCommonWord(word);
    }
}
