using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.SearchStore;

/// <summary>
/// Turns a query the parser refused into one plain sentence an analyst can act on, naming the character position
/// (1-based) where the problem is: an unclosed quote or parenthesis, a closing one without its opening, an operator or
/// field with nothing after it, an unclosed range or regular expression. Both stores use it, so the page reads the same
/// with Lucene or Elasticsearch; when none of these rules explain it, the parser's own column is used.
/// </summary>
public static partial class QuerySyntaxMessage
{
    public static string For(string query, string? parserMessage)
    {
        var problem = Find(query) ?? FromParser(query, parserMessage);
        return problem is { } p
            ? $"The search text has a problem at character {p.Position + 1}{Near(query, p.Position)}: {p.What}"
            : $"The search text could not be read. {Hint}";
    }

    /// <summary>A wildcard, fuzzy or range term that matches more words of the index than one query may hold.</summary>
    public const string TooManyTerms = "The search text matches too many different words: a wildcard such as a* or a very short fuzzy word~ expands to thousands. Make the word before the * longer.";

    const string Hint = "Put phrases in \"double quotes\", close every parenthesis, and write AND, OR and NOT between words; a backslash makes a special character (such as : or /) plain.";

    static string Near(string query, int position)
    {
        if (position >= query.Length)
        {
            return " (the end)";
        }

        var start = Math.Max(0, position - 12);
        var piece = query[start..Math.Min(query.Length, position + 12)].ReplaceLineEndings(" ");
        return $" (near \"{(start > 0 ? "…" : "")}{piece}{(position + 12 < query.Length ? "…" : "")}\")";
    }

    static (int Position, string What)? Find(string query)
    {
        var parentheses = new Stack<int>();
        int? quote = null;
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (quote is not null)
            {
                if (c == '"')
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quote = i;
                    break;
                case '(':
                    parentheses.Push(i);
                    break;
                case ')' when parentheses.Count == 0:
                    return (i, "this closing parenthesis has no opening one. Remove it, or escape it as \\).");
                case ')':
                    parentheses.Pop();
                    break;
                case '/':
                    var end = query.IndexOf('/', i + 1);
                    if (end < 0)
                    {
                        return (i, "a slash starts a regular expression that never ends. Escape it as \\/ to search for the slash itself.");
                    }

                    i = end;
                    break;
                case '[' or '{':
                    var close = query.IndexOfAny([']', '}'], i + 1);
                    if (close < 0 || !query[i..close].Contains(" TO ", StringComparison.Ordinal))
                    {
                        return (i, $"'{c}' starts a range, written [from TO to]. Escape it as \\{c} to search for the bracket itself.");
                    }

                    i = close;
                    break;
            }
        }

        if (quote is { } open)
        {
            return (open, "this quote is never closed. Add the closing \" after the phrase.");
        }

        if (parentheses.Count > 0)
        {
            return (parentheses.Peek(), "this parenthesis is never closed. Add the closing ) or remove it.");
        }

        var words = Words().Matches(query);
        if (words.Count > 0)
        {
            var last = words[^1];
            if (last.Value is "AND" or "OR" or "NOT" || last.Value is "&&" or "||")
            {
                return (last.Index, $"{last.Value} needs a word after it.");
            }

            if (words[0].Value is "AND" or "OR" or "&&" or "||")
            {
                return (words[0].Index, $"{words[0].Value} needs a word before it.");
            }

            foreach (Match word in words)
            {
                if (word.Value.EndsWith(':') && !word.Value.EndsWith("\\:", StringComparison.Ordinal))
                {
                    var after = word.Index + word.Length;
                    if (after >= query.Length || char.IsWhiteSpace(query[after]))
                    {
                        return (word.Index, $"the field {word.Value.TrimEnd(':')} needs a value right after the colon (title:vaccine). Escape it as \\: to search for the colon itself.");
                    }
                }

                if (word.Value[0] is '*' or '?')
                {
                    return (word.Index, "a word cannot start with * or ?. Put the wildcard at the end (vacc*).");
                }
            }
        }

        return null;
    }

    /// <summary>The column of Lucene's "Encountered ... at line 1, column N" (0-based in Lucene.NET, as the offset).</summary>
    static (int Position, string What)? FromParser(string query, string? message)
    {
        var match = message is null ? null : Column().Match(message);
        if (match is null || !match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var column))
        {
            return null;
        }

        return (Math.Clamp(column, 0, query.Length), $"the search text cannot be read from there. {Hint}");
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex Words();

    [GeneratedRegex(@"column (\d+)")]
    private static partial Regex Column();
}
