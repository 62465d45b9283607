using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// The corpus id of an entity the knowledge base does not know: <c>nil:</c> and the first 12 hex digits of the SHA-256
/// of its coarse type and normalised name, so one name gets one id in every article, process and version. The rule is
/// frozen here on purpose (not the KB's alias key, which may change with the KB): changing it re-ids every emerging
/// entity already indexed. It folds only variants that name the same thing: case, diacritics and compatibility forms
/// (NFKD), typographic quotes and dashes, invisible format characters, runs of white space, punctuation and quotes
/// around the name, a leading "the" and a trailing possessive ('s). It never folds plural and singular, word order,
/// or anything inside the name (dots, hyphens, symbols stay: "C++" is not "C").
/// </summary>
public static class EmergingEntityIds
{
    /// <summary>The id of a surface form of a given type; null when no letter is left after normalising.</summary>
    public static string? For(string surface, EntityType type) =>
        NormalizedName(surface) is { } name ? Id(name, type) : null;

    /// <summary>The id of an already normalised name: its type label (PER, ORG, LOC, MISC), a unit separator, the name.</summary>
    public static string Id(string normalizedName, EntityType type)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(type.ToLabel() + "\u001f" + normalizedName), hash);
        return EntityIds.EmergingPrefix + Convert.ToHexStringLower(hash[..(EntityIds.EmergingHashLength / 2)]);
    }

    /// <summary>The name as hashed: folded to lower case without diacritics, then trimmed (see the class summary); null without a letter.</summary>
    public static string? NormalizedName(string surface)
    {
        var folded = new StringBuilder(surface.Length);
        foreach (var c in Clean(surface).Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.ToLowerInvariant(c));
            }
        }

        // KD can decompose a character into a space or a quote (U+00A0, U+FF02), so clean and trim after folding.
        var name = Trim(Clean(folded.ToString()).Normalize(NormalizationForm.FormC));
        return HasLetter(name) ? name : null;
    }

    /// <summary>The name as shown for the entity: trimmed the same way, case and diacritics kept.</summary>
    public static string DisplayName(string surface) => Trim(Clean(surface)) is { Length: > 0 } name ? name : surface.Trim();

    /// <summary>
    /// Typographic quotes and dashes to ASCII, white space and control runs to one space, invisible format characters
    /// (zero-width, bidi controls) and lone surrogates dropped.
    /// </summary>
    static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    Flush(builder, ref space);
                    builder.Append(c).Append(text[++i]);
                }

                continue;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            Flush(builder, ref space);
            builder.Append(c switch
            {
                '\u2018' or '\u2019' or '\u201B' or '\u02BC' or '\u00B4' or '`' => '\'',
                '\u201C' or '\u201D' or '\u201E' or '\u00AB' or '\u00BB' => '"',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                _ => c,
            });
        }

        return builder.ToString();

        static void Flush(StringBuilder builder, ref bool space)
        {
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
        }
    }

    /// <summary>Strips punctuation and spaces around the name, a trailing 's and a leading "the ", until none is left.</summary>
    static string Trim(string name)
    {
        while (true)
        {
            var start = 0;
            var end = name.Length;
            while (start < end && IsAround(name[start]))
            {
                start++;
            }

            while (end > start && IsAround(name[end - 1]))
            {
                end--;
            }

            var trimmed = name[start..end];
            if (trimmed.Length > 2 && trimmed.EndsWith("'s", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^2];
            }

            if (trimmed.Length > 4 && trimmed.StartsWith("the ", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[4..];
            }

            if (trimmed.Length == name.Length)
            {
                return trimmed;
            }

            name = trimmed;
        }
    }

    /// <summary>Punctuation (quotes, brackets, dots, commas, dashes) and spaces; not symbols such as + or $.</summary>
    static bool IsAround(char c) => char.IsWhiteSpace(c) || char.IsPunctuation(c);

    static bool HasLetter(string name)
    {
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                return true;
            }
        }

        return false;
    }
}
