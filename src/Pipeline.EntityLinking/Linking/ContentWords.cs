using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>The content words of a text (normalised, two letters or more, stop words left out), with their offsets.</summary>
public static class ContentWords
{
    public static List<(string Word, int Start)> Of(string text)
    {
        var tokens = new List<(int Start, int End)>();
        SurfaceForms.Tokenize(text, tokens);
        var words = new List<(string, int)>(tokens.Count);
        var builder = new System.Text.StringBuilder();
        foreach (var (start, end) in tokens)
        {
            if (end - start < 2 || !char.IsLetter(text[start]))
            {
                continue;
            }

            builder.Clear();
            SurfaceForms.AppendToken(builder, text.AsSpan(start, end - start));
            var word = builder.ToString();
            if (!WordLists.StopWords.Contains(word))
            {
                words.Add((word, start));
            }
        }

        return words;
    }
}
