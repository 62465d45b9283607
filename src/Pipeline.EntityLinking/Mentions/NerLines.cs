namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// The lines of a tokenised text: the tagger decodes (and trains on) one line at a time, since a name never runs over
/// a line break, and training on whole lines (paragraphs, headings) teaches it where names stop between sentences.
/// </summary>
internal static class NerLines
{
    public static List<(int First, int Last)> Of(string text, IReadOnlyList<(int Start, int End)> tokens)
    {
        var lines = new List<(int First, int Last)>();
        var first = 0;
        for (var t = 1; t <= tokens.Count; t++)
        {
            if (t == tokens.Count || text.AsSpan(tokens[t - 1].End, tokens[t].Start - tokens[t - 1].End).Contains('\n'))
            {
                lines.Add((first, t - 1));
                first = t;
            }
        }

        return tokens.Count == 0 ? [] : lines;
    }
}
