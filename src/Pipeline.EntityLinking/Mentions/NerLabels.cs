using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// The BILOU labels of the tagger: O, and Begin, Inside, Last and Unit for each of PER, ORG, LOC and MISC (17 labels).
/// BILOU rather than BIO: the end of a name gets its own weights ("Inc", "University" end names; "of" never does).
/// </summary>
public static class NerLabels
{
    public const int Outside = 0;

    public const int Count = 1 + 4 * Types;

    const int Types = 4;

    enum Part
    {
        Begin = 0,
        Inside = 1,
        Last = 2,
        Unit = 3,
    }

    static int Label(EntityType type, Part part) => 1 + (TypeIndex(type) * Types) + (int)part;

    static int TypeIndex(EntityType type) => type switch
    {
        EntityType.Per => 0,
        EntityType.Org => 1,
        EntityType.Loc => 2,
        _ => 3,
    };

    static readonly EntityType[] TypeOfIndex = [EntityType.Per, EntityType.Org, EntityType.Loc, EntityType.Misc];

    public static EntityType TypeOf(int label) => label == Outside ? EntityType.Unknown : TypeOfIndex[(label - 1) / Types];

    static Part PartOf(int label) => (Part)((label - 1) % Types);

    public static string Name(int label) => label == Outside ? "O" : $"{"BILU"[(int)PartOf(label)]}-{TypeOf(label).ToLabel()}";

    /// <summary>A label may open a sequence, or follow O, a Last or a Unit.</summary>
    public static bool CanStart(int label) => label == Outside || PartOf(label) is Part.Begin or Part.Unit;

    /// <summary>A label may close a sequence (no name left open).</summary>
    public static bool CanEnd(int label) => label == Outside || PartOf(label) is Part.Last or Part.Unit;

    /// <summary>Whether <paramref name="next"/> may follow <paramref name="previous"/>: inside a name only Inside or Last of its type.</summary>
    public static bool IsAllowed(int previous, int next)
    {
        if (CanEnd(previous))
        {
            return CanStart(next);
        }

        return next != Outside && TypeOf(next) == TypeOf(previous) && PartOf(next) is Part.Inside or Part.Last;
    }

    /// <summary>Writes the labels of spans (token ranges, inclusive, not overlapping) into <paramref name="labels"/> (O elsewhere).</summary>
    public static void Encode(IEnumerable<(int First, int Last, EntityType Type)> spans, Span<int> labels)
    {
        labels.Clear();
        foreach (var (first, last, type) in spans)
        {
            if (first == last)
            {
                labels[first] = Label(type, Part.Unit);
                continue;
            }

            labels[first] = Label(type, Part.Begin);
            for (var t = first + 1; t < last; t++)
            {
                labels[t] = Label(type, Part.Inside);
            }

            labels[last] = Label(type, Part.Last);
        }
    }

    /// <summary>The spans of a well-formed label sequence (as Viterbi decoding under <see cref="IsAllowed"/> gives).</summary>
    public static List<(int First, int Last, EntityType Type)> Decode(ReadOnlySpan<int> labels)
    {
        var spans = new List<(int First, int Last, EntityType Type)>();
        var open = -1;
        for (var t = 0; t < labels.Length; t++)
        {
            var label = labels[t];
            if (label == Outside)
            {
                open = -1;
                continue;
            }

            switch (PartOf(label))
            {
                case Part.Unit:
                    spans.Add((t, t, TypeOf(label)));
                    open = -1;
                    break;
                case Part.Begin:
                    open = t;
                    break;
                case Part.Last when open >= 0:
                    spans.Add((open, t, TypeOf(label)));
                    open = -1;
                    break;
            }
        }

        return spans;
    }
}
