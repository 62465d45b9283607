using System.Globalization;
using System.Text;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// The one normalisation shared by the alias index and the text: tokens are runs of letters and digits or single
/// other characters; the key is the tokens lower-cased, without diacritics, typographic quotes and dashes mapped to
/// ASCII, joined by single spaces, with the spelling variants of <see cref="AppendKeyToken"/> folded. So "U.S." is
/// "us" in both the KB and the text.
/// </summary>
public static class SurfaceForms
{
    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c);

    /// <summary>Splits text into token spans (start, end) in the way the key is built.</summary>
    public static void Tokenize(string text, List<(int Start, int End)> tokens)
    {
        var i = 0;
        while (NextToken(text, ref i) is var (start, end) && end > start)
        {
            tokens.Add((start, end));
        }
    }

    /// <summary>The token at or after <paramref name="i"/> (an empty range at the end of the text); moves i past it.</summary>
    static (int Start, int End) NextToken(ReadOnlySpan<char> text, ref int i)
    {
        while (i < text.Length && (char.IsWhiteSpace(text[i]) || char.IsControl(text[i])))
        {
            i++;
        }

        var start = i;
        if (i >= text.Length)
        {
            return (start, start);
        }

        var c = text[i];
        if (IsWordChar(c))
        {
            while (i < text.Length && (IsWordChar(text[i]) || (text[i] >= 128 && char.GetUnicodeCategory(text[i]) == UnicodeCategory.NonSpacingMark)))
            {
                i++;
            }
        }
        else
        {
            i += char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
        }

        return (start, i);
    }

    [ThreadStatic]
    static StringBuilder? t_key;

    [ThreadStatic]
    static StringBuilder? t_token;

    /// <summary>The index key of a surface form, or null when it has no letter or digit. A leading "the" is dropped.</summary>
    public static string? Key(string surface)
    {
        var key = t_key ??= new StringBuilder(64);
        var token = t_token ??= new StringBuilder(32);
        key.Clear();
        var state = default(KeyState);
        var hasWord = false;
        var i = 0;
        var first = true;
        var droppedThe = false;
        while (NextToken(surface, ref i) is var (start, end) && end > start)
        {
            var text = surface.AsSpan(start, end - start);
            if (first && text.Equals("the", StringComparison.OrdinalIgnoreCase))
            {
                first = false;
                droppedThe = true;
                continue;
            }

            first = false;
            token.Clear();
            AppendToken(token, text);
            AppendKeyToken(key, token, ref state);
            hasWord |= IsWordChar(surface[start]);
        }

        if (droppedThe && key.Length == 0)
        {
            return "the"; // the whole form is "The"
        }

        return hasWord && key.Length > 0 ? key.ToString() : null;
    }

    /// <summary>Where a key being built stands: whether its last token is a single letter, and whether a dot followed it.</summary>
    public struct KeyState
    {
        internal bool LastIsInitial;
        internal bool Dotted;
    }

    /// <summary>
    /// Appends one normalised token to a key. Spelling variants of one name get one key: dots are dropped and
    /// dotted initials joined ("U.S.", "U.S" and "US" are all "us"; "N.J." is "nj"), a hyphen is a space
    /// ("Rolls-Royce" is "rolls royce"), "&amp;" is "and" ("Merck &amp; Co" is "Merck and Co"), and legal forms are
    /// abbreviated ("General Electric Company" is "General Electric Co").
    /// </summary>
    public static void AppendKeyToken(StringBuilder key, string token, ref KeyState state) => AppendKeyToken(key, token.AsSpan(), ref state);

    static void AppendKeyToken(StringBuilder key, StringBuilder token, ref KeyState state)
    {
        Span<char> buffer = stackalloc char[Math.Min(token.Length, 256)];
        token.CopyTo(0, buffer, buffer.Length);
        AppendKeyToken(key, buffer, ref state);
    }

    public static void AppendKeyToken(StringBuilder key, ReadOnlySpan<char> token, ref KeyState state)
    {
        if (token is ".")
        {
            state.Dotted = state.LastIsInitial;
            return;
        }

        if (token is "-")
        {
            state = default;
            return;
        }

        token = token switch
        {
            "&" => "and",
            "company" => "co",
            "corporation" => "corp",
            "incorporated" => "inc",
            "limited" => "ltd",
            _ => token,
        };

        var initial = token.Length == 1 && char.IsLetter(token[0]);
        if (!(initial && state.LastIsInitial && state.Dotted) && key.Length > 0)
        {
            key.Append(' ');
        }

        key.Append(token);
        state.LastIsInitial = initial;
        state.Dotted = false;
    }

    // Lower-case, diacritic-free forms of non-ASCII characters, computed once per character.
    static readonly string?[] Folded = new string?[char.MaxValue + 1];

    /// <summary>Appends the normalised form of one token.</summary>
    public static void AppendToken(StringBuilder builder, ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (c < 128)
            {
                builder.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
            }
            else
            {
                builder.Append(Folded[c] ??= Fold(c));
            }
        }
    }

    static string Fold(char c)
    {
        switch (c)
        {
            case '\u2018' or '\u2019' or '\u02BC' or '\u00B4':
                return "'";
            case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014':
                return "-";
        }

        if (char.IsSurrogate(c))
        {
            return c.ToString();
        }

        var folded = new StringBuilder(2);
        foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(d));
            }
        }

        return folded.ToString();
    }

    /// <summary>True when every letter of the form is upper case and it has at least two letters (NSA, U.S.).</summary>
    public static bool IsUpperCase(ReadOnlySpan<char> text)
    {
        var letters = 0;
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                if (!char.IsUpper(c))
                {
                    return false;
                }

                letters++;
            }
        }

        return letters >= 2;
    }
}
