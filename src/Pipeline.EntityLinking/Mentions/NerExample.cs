using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// A text cut into tokens the way the linker cuts it (<see cref="SurfaceForms.Tokenize"/>), with its gold named
/// mentions as token ranges (inclusive): what the tagger trains on and is scored against.
/// </summary>
public sealed record NerExample(
    string Name,
    string Text,
    IReadOnlyList<(int Start, int End)> Tokens,
    IReadOnlyList<(int First, int Last, EntityType Type)> Gold)
{
    /// <summary>A GUM document's text, tokenised, with its named mentions mapped onto the tokens.</summary>
    public static NerExample FromGum(GumDocument document) =>
        Create(document.Name, document.Text, document.NamedMentions.Select(m => (m.Start, m.End, m.Type)));

    /// <summary>
    /// An example from character spans (end exclusive). A span covers every token it overlaps (GUM's tokens are
    /// never finer than ours, so this only matters for odd spans).
    /// </summary>
    public static NerExample Create(string name, string text, IEnumerable<(int Start, int End, EntityType Type)> mentions)
    {
        var tokens = new List<(int Start, int End)>();
        SurfaceForms.Tokenize(text, tokens);
        var gold = new List<(int First, int Last, EntityType Type)>();
        foreach (var (start, end, type) in mentions)
        {
            if (TokenRange(tokens, start, end) is { } range)
            {
                gold.Add((range.First, range.Last, type));
            }
        }

        return new NerExample(name, text, tokens, gold);
    }

    /// <summary>The tokens a character range overlaps, or null when it holds none.</summary>
    static (int First, int Last)? TokenRange(List<(int Start, int End)> tokens, int start, int end)
    {
        var first = LowerBound(tokens, start);
        var last = first;
        while (last < tokens.Count && tokens[last].Start < end)
        {
            last++;
        }

        return last > first ? (first, last - 1) : null;
    }

    /// <summary>The first token ending after <paramref name="position"/>.</summary>
    static int LowerBound(List<(int Start, int End)> tokens, int position)
    {
        var low = 0;
        var high = tokens.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (tokens[mid].End <= position)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
