using System.Text.RegularExpressions;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>Sentence boundaries as character spans: a terminal mark followed by white space and a capital, or a line end.</summary>
public static partial class Sentences
{
    public static IEnumerable<(int Start, int End)> Split(string text)
    {
        var start = 0;
        foreach (Match boundary in Boundary().Matches(text))
        {
            var end = boundary.Index + boundary.Groups["mark"].Length;
            if (TrimmedSpan(text, start, end) is { } span)
            {
                yield return span;
            }

            start = boundary.Index + boundary.Length;
        }

        if (TrimmedSpan(text, start, text.Length) is { } last)
        {
            yield return last;
        }
    }

    static (int, int)? TrimmedSpan(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return end > start ? (start, end) : null;
    }

    // No boundary after an initial or a title ("U.S. officials", "Mr. Biden"), nor before a lower-case word.
    [GeneratedRegex(@"(?<!\b(?:\p{Lu}|Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Jr|Sr|No|Vol|vs))(?<mark>[.!?][""'”’)]?)\s+(?=[""'“‘(]?[A-Z0-9])|\n+")]
    private static partial Regex Boundary();
}
