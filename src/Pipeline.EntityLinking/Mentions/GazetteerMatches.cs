using System.Buffers;
using System.Text;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// The KB surface forms found in a text, as per-token gazetteer facts for the tagger: the text is cut left to right
/// into longest KB matches (keys built like the linker's, with <see cref="SurfaceForms.AppendKeyToken(StringBuilder, ReadOnlySpan{char}, ref SurfaceForms.KeyState)"/>),
/// each token marked as the Begin, Inside, Last or Unit of its match, with the coarse type of the most likely candidate.
/// </summary>
internal static class GazetteerMatches
{
    public const byte None = 0;

    /// <summary>Bits 0-1: the position in the match (0 Begin, 1 Inside, 2 Last, 3 Unit); bits 2-4: the top candidate's type; bit 5: the top three candidates disagree on the type; bit 6: the form is only a family name; bit 7: set on every match.</summary>
    const byte Matched = 128;

    /// <summary>A dot or hyphen is a text token but not a key token ("U.S." is one), so a match may span three text tokens per key token.</summary>
    const int TextTokensPerKeyToken = 3;

    /// <summary>Writes one code per token (0 outside every match) into <paramref name="codes"/>.</summary>
    public static void Find(string text, IReadOnlyList<(int Start, int End)> tokens, EntityKnowledgeBase kb, Span<byte> codes)
    {
        codes.Clear();
        var n = tokens.Count;
        if (n == 0)
        {
            return;
        }

        // Every token normalised once (lower case, no diacritics), into one buffer.
        var normalized = new StringBuilder(text.Length + 16);
        var offsets = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            for (var t = 0; t < n; t++)
            {
                offsets[t] = normalized.Length;
                SurfaceForms.AppendToken(normalized, text.AsSpan(tokens[t].Start, tokens[t].End - tokens[t].Start));
            }

            offsets[n] = normalized.Length;
            var chars = ArrayPool<char>.Shared.Rent(normalized.Length);
            try
            {
                normalized.CopyTo(0, chars, normalized.Length);
                Scan(text, tokens, kb, chars, offsets, codes);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    [ThreadStatic]
    static StringBuilder? t_key;

    static void Scan(string text, IReadOnlyList<(int Start, int End)> tokens, EntityKnowledgeBase kb, char[] normalized, int[] offsets, Span<byte> codes)
    {
        var key = t_key ??= new StringBuilder(128);
        var maxText = kb.MaxAliasTokens * TextTokensPerKeyToken;
        Span<int> lengths = stackalloc int[maxText];
        char[]? keyChars = null;
        try
        {
            var t = 0;
            while (t < tokens.Count)
            {
                if (!CanStart(text, tokens[t]))
                {
                    t++;
                    continue;
                }

                key.Clear();
                var state = default(SurfaceForms.KeyState);
                var keyTokens = 0;
                var last = t - 1;
                for (var e = t; e < tokens.Count && e - t < maxText; e++)
                {
                    // Names do not run over a line break.
                    if (e > t && text.AsSpan(tokens[e - 1].End, tokens[e].Start - tokens[e - 1].End).Contains('\n'))
                    {
                        break;
                    }

                    var before = key.Length;
                    SurfaceForms.AppendKeyToken(key, normalized.AsSpan(offsets[e], offsets[e + 1] - offsets[e]), ref state);
                    if (key.Length > before && (before == 0 || key[before] == ' ') && ++keyTokens > kb.MaxAliasTokens)
                    {
                        break;
                    }

                    lengths[e - t] = key.Length;
                    last = e;
                }

                if (keyChars is null || keyChars.Length < key.Length)
                {
                    if (keyChars is not null)
                    {
                        ArrayPool<char>.Shared.Return(keyChars);
                    }

                    keyChars = ArrayPool<char>.Shared.Rent(Math.Max(key.Length, 256));
                }

                key.CopyTo(0, keyChars, key.Length);
                var matchedTo = -1;
                for (var e = last; e >= t; e--)
                {
                    if (!CanEnd(text, tokens, e))
                    {
                        continue;
                    }

                    var candidates = kb.Candidates(keyChars.AsSpan(0, lengths[e - t]));
                    if (candidates.IsEmpty)
                    {
                        continue;
                    }

                    var code = Describe(kb, candidates, SurfaceForms.IsUpperCase(text.AsSpan(tokens[t].Start, tokens[e].End - tokens[t].Start)));
                    if (code == None)
                    {
                        continue;
                    }

                    Mark(codes, t, e, code);
                    matchedTo = e;
                    break;
                }

                t = matchedTo >= 0 ? matchedTo + 1 : t + 1;
            }
        }
        finally
        {
            if (keyChars is not null)
            {
                ArrayPool<char>.Shared.Return(keyChars);
            }
        }
    }

    static void Mark(Span<byte> codes, int first, int last, byte code)
    {
        if (first == last)
        {
            codes[first] = (byte)(code | 3);
            return;
        }

        codes[first] = code;
        for (var t = first + 1; t < last; t++)
        {
            codes[t] = (byte)(code | 1);
        }

        codes[last] = (byte)(code | 2);
    }

    /// <summary>
    /// The code of a match (without its position), or <see cref="None"/> when no candidate fits: an acronym in the KB
    /// ("US") must be upper case in the text, as in the linker.
    /// </summary>
    static byte Describe(EntityKnowledgeBase kb, ReadOnlySpan<AliasCandidate> candidates, bool surfaceUpper)
    {
        var top = -1;
        var mixed = false;
        var seen = 0;
        foreach (var candidate in candidates)
        {
            if ((candidate.Flags & AliasFlags.UpperCase) != 0 && !surfaceUpper)
            {
                continue;
            }

            if (top < 0)
            {
                top = candidate.Entity;
            }
            else if (kb.Types[candidate.Entity] != kb.Types[top])
            {
                mixed = true;
            }

            if (++seen == 3)
            {
                break;
            }
        }

        if (top < 0)
        {
            return None;
        }

        var family = (candidates[0].Flags & AliasFlags.FamilyName) != 0;
        return (byte)(Matched | ((int)kb.Types[top] << 2) | (mixed ? 32 : 0) | (family ? 64 : 0));
    }

    /// <summary>A match starts at a capitalised word, a number, or a word with a capital inside ("iPhone"): lower-case text is rarely a name.</summary>
    static bool CanStart(string text, (int Start, int End) token)
    {
        var first = text[token.Start];
        if (char.IsUpper(first) || char.IsDigit(first))
        {
            return true;
        }

        if (!char.IsLetter(first))
        {
            return false;
        }

        for (var i = token.Start + 1; i < token.End; i++)
        {
            if (char.IsUpper(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A match ends at a word, or at the dot after a single letter ("U.S."), never at a sentence's full stop or a hyphen.</summary>
    static bool CanEnd(string text, IReadOnlyList<(int Start, int End)> tokens, int t)
    {
        var (start, end) = tokens[t];
        if (SurfaceForms.IsWordChar(text[start]))
        {
            return true;
        }

        return end - start == 1 && text[start] == '.' && t > 0 && tokens[t - 1].End == start && tokens[t - 1].End - tokens[t - 1].Start == 1 && char.IsLetter(text[tokens[t - 1].Start]);
    }
}
