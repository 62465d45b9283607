using System.Text;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// A text split into tokens the way the alias index keys names (<see cref="SurfaceForms.Tokenize"/>), with the per-token
/// facts mention detection, candidate generation and the link features ask about, each computed once per document.
/// </summary>
public sealed class LinkingDocument
{
    readonly string?[] _normalized;
    readonly Dictionary<(int, int), string?> _keys = [];
    int[]? _sentenceOf;
    HashSet<string>? _lowerCaseWords;

    public LinkingDocument(string text)
    {
        Text = text;
        SurfaceForms.Tokenize(text, Tokens);
        _normalized = new string?[Tokens.Count];
    }

    public string Text { get; }

    public List<(int Start, int End)> Tokens { get; } = [];

    public int Count => Tokens.Count;

    public ReadOnlySpan<char> TokenSpan(int t) => Text.AsSpan(Tokens[t].Start, Tokens[t].End - Tokens[t].Start);

    public string TokenText(int t) => Text[Tokens[t].Start..Tokens[t].End];

    public string SpanText(int first, int last) => Text[Tokens[first].Start..Tokens[last].End];

    /// <summary>The token lower-cased, without diacritics, typographic quotes and dashes folded.</summary>
    public string Normalized(int t)
    {
        if (_normalized[t] is { } known)
        {
            return known;
        }

        var builder = new StringBuilder(Tokens[t].End - Tokens[t].Start);
        SurfaceForms.AppendToken(builder, TokenSpan(t));
        return _normalized[t] = builder.ToString();
    }

    /// <summary>The alias-index key of tokens first..last (null when they hold no letter or digit).</summary>
    public string? Key(int first, int last)
    {
        if (_keys.TryGetValue((first, last), out var cached))
        {
            return cached;
        }

        var key = new StringBuilder(64);
        var state = default(SurfaceForms.KeyState);
        var hasWord = false;
        for (var t = first; t <= last; t++)
        {
            if (t == first && Normalized(t) == "the" && last > first)
            {
                continue; // the index drops a leading "the" too
            }

            SurfaceForms.AppendKeyToken(key, Normalized(t), ref state);
            hasWord |= IsWord(t);
        }

        return _keys[(first, last)] = hasWord && key.Length > 0 ? key.ToString() : null;
    }

    public bool IsWord(int t) => SurfaceForms.IsWordChar(Text[Tokens[t].Start]);

    public bool IsCapitalisedWord(int t) => char.IsUpper(Text[Tokens[t].Start]);

    public bool IsUpper(int t) => SurfaceForms.IsUpperCase(TokenSpan(t));

    public bool IsUpper(int first, int last) => SurfaceForms.IsUpperCase(Text.AsSpan(Tokens[first].Start, Tokens[last].End - Tokens[first].Start));

    /// <summary>Tokens a and b are on one line with at most one space between them (names do not span line breaks).</summary>
    public bool Adjacent(int a, int b)
    {
        var gap = Tokens[b].Start - Tokens[a].End;
        return gap <= 1 && (gap == 0 || Text[Tokens[a].End] == ' ');
    }

    /// <summary>Token t opens a sentence: the text starts, a line breaks, or a full stop, colon or the like precedes it (quotes and brackets skipped).</summary>
    public bool SentenceStart(int t)
    {
        for (var p = t - 1; p >= 0; p--)
        {
            var previous = TokenSpan(p);
            if (previous is "\"" or "“" or "‘" or "'" or "`" or "(" or "[" or "-" or "—" or "–")
            {
                continue;
            }

            if (Text.AsSpan(Tokens[p].End, Tokens[t].Start - Tokens[p].End).Contains('\n'))
            {
                return true;
            }

            return previous is "." or "!" or "?" or ":" or ";";
        }

        return true;
    }

    /// <summary>The index of token t's sentence.</summary>
    public int SentenceOf(int t)
    {
        if (_sentenceOf is null)
        {
            _sentenceOf = new int[Tokens.Count];
            var sentence = 0;
            for (var i = 0; i < Tokens.Count; i++)
            {
                if (i > 0 && SentenceStart(i))
                {
                    sentence++;
                }

                _sentenceOf[i] = sentence;
            }
        }

        return _sentenceOf[t];
    }

    /// <summary>
    /// The word at t is a common word written capitalised: not all capitals (an acronym), and also written in lower case
    /// somewhere in the text ("Court" and "court").
    /// </summary>
    public bool IsCapitalisedCommonWord(int t) => !IsUpper(t) && HasLowerCaseUse(t);

    /// <summary>The capitalised word at t is also written in lower case somewhere in the text ("Court" and "court"): a common word.</summary>
    public bool HasLowerCaseUse(int t)
    {
        if (_lowerCaseWords is null)
        {
            _lowerCaseWords = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < Tokens.Count; i++)
            {
                if (char.IsLower(Text[Tokens[i].Start]))
                {
                    _lowerCaseWords.Add(TokenText(i));
                }
            }
        }

        return _lowerCaseWords.Contains(Normalized(t));
    }
}
