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
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                i++;
                continue;
            }

            if (IsWordChar(c))
            {
                var start = i;
                while (i < text.Length && (IsWordChar(text[i]) || char.GetUnicodeCategory(text[i]) == UnicodeCategory.NonSpacingMark))
                {
                    i++;
                }

                tokens.Add((start, i));
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length)
            {
                tokens.Add((i, i + 2));
                i += 2;
                continue;
            }

            tokens.Add((i, i + 1));
            i++;
        }
    }

    /// <summary>The index key of a surface form, or null when it has no letter or digit. A leading "the" is dropped.</summary>
    public static string? Key(string surface)
    {
        var tokens = new List<(int Start, int End)>();
        Tokenize(surface, tokens);
        var first = 0;
        if (tokens.Count > 1 && surface.AsSpan(tokens[0].Start, tokens[0].End - tokens[0].Start).Equals("the", StringComparison.OrdinalIgnoreCase))
        {
            first = 1;
        }

        var builder = new StringBuilder(surface.Length);
        var token = new StringBuilder(16);
        var state = default(KeyState);
        var hasWord = false;
        for (var t = first; t < tokens.Count; t++)
        {
            token.Clear();
            AppendToken(token, surface.AsSpan(tokens[t].Start, tokens[t].End - tokens[t].Start));
            AppendKeyToken(builder, token.ToString(), ref state);
            hasWord |= IsWordChar(surface[tokens[t].Start]);
        }

        return hasWord && builder.Length > 0 ? builder.ToString() : null;
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
    /// ("Rolls-Royce" is "rolls royce"), and "&amp;" is "and" ("Merck &amp; Co" is "Merck and Co").
    /// </summary>
    public static void AppendKeyToken(StringBuilder key, string token, ref KeyState state)
    {
        switch (token)
        {
            case ".":
                state.Dotted = state.LastIsInitial;
                return;
            case "-":
                state = default;
                return;
            case "&":
                token = "and";
                break;
        }

        var initial = token.Length == 1 && char.IsLetter(token[0]);
        if (!(initial && state.LastIsInitial && state.Dotted) && key.Length > 0)
        {
            key.Append(' ');
        }

        key.Append(token);
        state.LastIsInitial = initial;
        state.Dotted = false;
    }

    /// <summary>Appends the normalised form of one token.</summary>
    public static void AppendToken(StringBuilder builder, ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (c < 128)
            {
                builder.Append(char.ToLowerInvariant(c));
                continue;
            }

            switch (c)
            {
                case '\u2018' or '\u2019' or '\u02BC' or '\u00B4':
                    builder.Append('\'');
                    continue;
                case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014':
                    builder.Append('-');
                    continue;
            }

            if (char.IsSurrogate(c))
            {
                builder.Append(c);
                continue;
            }

            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            foreach (var d in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
                {
                    builder.Append(char.ToLowerInvariant(d));
                }
            }
        }
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
