using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>The optional feature groups of the tagger (the core ones are always on); a model records the set it was trained with.</summary>
[Flags]
public enum NerFeatureSet
{
    Core = 0,

    /// <summary>Word bigrams with the previous and the next word.</summary>
    WordPairs = 1,

    /// <summary>For a capitalised word: whether the document also writes it in lower case, or capitalised inside a sentence.</summary>
    DocumentCase = 2,

    /// <summary>Whether the token's line is in title case (a headline capitalises common nouns).</summary>
    TitleLines = 4,

    /// <summary>The longest KB surface-form match the token is part of, and its top candidate's type.</summary>
    Gazetteer = 8,

    /// <summary>The token's place in its run of capitalised words (first, inside, last, alone) and the run's length.</summary>
    CapitalisedRuns = 16,

    /// <summary>The type of names the KB uses the word (and its neighbours) in (<see cref="Mentions.KnowledgeBaseWords"/>).</summary>
    KnowledgeBaseWords = 32,

    All = WordPairs | DocumentCase | TitleLines | Gazetteer | CapitalisedRuns | KnowledgeBaseWords,
}

/// <summary>
/// The features of each token as 64-bit ids (<see cref="FeatureHash"/>), <see cref="PerToken"/> slots per token, 0 in
/// unused slots. The same code serves training and tagging, so the two cannot drift apart.
/// Core: the word lower-cased, its shape (long "Xxxxx" and short "Xx"), prefixes and suffixes of 1-4 characters, the
/// short shape with the sentence-initial position, the words and short shapes at -2..+2, the shape trigram, the
/// previous word with this shape and this shape with the next word, whether the token is glued to its neighbours (no
/// space), and whether the token is or follows a person's title (<see cref="PersonTitles"/>).
/// </summary>
internal static class NerFeatures
{
    /// <summary>The most features a token can have (unused slots are 0).</summary>
    public const int PerToken = 48;

    /// <summary>The number of a template is part of its feature ids: add new ones at the end, and retrain after any change.</summary>
    enum Template
    {
        Bias = 1,
        Word,
        LongShape,
        ShortShapeAtSentenceStart,
        Prefix1,
        Suffix1 = Prefix1 + 4,
        WordAt = Suffix1 + 4, // + offset index 0..3 for -2, -1, +1, +2
        ShapeAt = WordAt + 4,
        ShapeTrigram = ShapeAt + 4,
        PreviousWordShape,
        ShapeNextWord,
        PreviousWordWord,
        WordNextWord,
        DocumentCase,
        DocumentCaseShape,
        TitleLine,
        Gazetteer,
        GazetteerShape,
        GazetteerPrevious,
        GazetteerNext,
        GazetteerWord,
        PersonTitle,
        AfterPersonTitle,
        Spacing,
        SpacingWord,
        CapitalisedRun,
        CapitalisedRunWord,
        KnowledgeBaseWord,
        KnowledgeBaseWordShape,
        KnowledgeBaseWordPrevious,
        KnowledgeBaseWordNext,
    }

    [Flags]
    enum TokenFlags : byte
    {
        None = 0,
        Capitalised = 1,
        SentenceStart = 2,
        LowerElsewhere = 4,
        CapitalisedInsideSentenceElsewhere = 8,
        TitleLine = 16,
        PersonTitle = 32,
    }

    static readonly ulong Outside = FeatureHash.Of("<outside>");

    /// <summary>Fills <paramref name="features"/> (tokens.Count × <see cref="PerToken"/>) with each token's feature ids.</summary>
    public static void Extract(string text, IReadOnlyList<(int Start, int End)> tokens, EntityKnowledgeBase? gazetteer, KnowledgeBaseWords knowledgeBaseWords, NerFeatureSet set, Span<ulong> features)
    {
        var n = tokens.Count;
        features[..(n * PerToken)].Clear();
        if (n == 0)
        {
            return;
        }

        var words = new ulong[n];
        var longShapes = new ulong[n];
        var shortShapes = new ulong[n];
        var flags = new TokenFlags[n];
        for (var t = 0; t < n; t++)
        {
            var span = text.AsSpan(tokens[t].Start, tokens[t].End - tokens[t].Start);
            words[t] = FeatureHash.Lower(span);
            longShapes[t] = FeatureHash.Shape(span, 4);
            shortShapes[t] = FeatureHash.Shape(span, 1);
            if (char.IsUpper(span[0]))
            {
                flags[t] |= TokenFlags.Capitalised;
            }

            if (PersonTitles.Contains(span))
            {
                flags[t] |= TokenFlags.PersonTitle;
            }
        }

        MarkSentenceStarts(text, tokens, flags);
        if ((set & NerFeatureSet.DocumentCase) != 0)
        {
            MarkDocumentCase(text, tokens, words, flags);
        }

        if ((set & NerFeatureSet.TitleLines) != 0)
        {
            MarkTitleLines(text, tokens, flags);
        }

        var runs = (set & NerFeatureSet.CapitalisedRuns) != 0 ? CapitalisedRuns(text, tokens, flags) : null;
        byte[]? wordCodes = null;
        if ((set & NerFeatureSet.KnowledgeBaseWords) != 0)
        {
            wordCodes = new byte[n];
            var scratch = new System.Text.StringBuilder();
            for (var t = 0; t < n; t++)
            {
                wordCodes[t] = knowledgeBaseWords.Code(KnowledgeBaseWords.Key(text.AsSpan(tokens[t].Start, tokens[t].End - tokens[t].Start), scratch));
            }
        }

        var gazetteerCodes = new byte[n];
        if ((set & NerFeatureSet.Gazetteer) != 0 && gazetteer is not null)
        {
            GazetteerMatches.Find(text, tokens, gazetteer, gazetteerCodes);
        }

        for (var t = 0; t < n; t++)
        {
            var f = features.Slice(t * PerToken, PerToken);
            var k = 0;
            var span = text.AsSpan(tokens[t].Start, tokens[t].End - tokens[t].Start);
            var word = words[t];
            var shape = shortShapes[t];
            f[k++] = FeatureHash.Feature((int)Template.Bias, 0);
            f[k++] = FeatureHash.Feature((int)Template.Word, word);
            f[k++] = FeatureHash.Feature((int)Template.LongShape, longShapes[t]);
            f[k++] = FeatureHash.Feature((int)Template.ShortShapeAtSentenceStart, shape, (ulong)(flags[t] & TokenFlags.SentenceStart));
            for (var length = 1; length <= 4 && length < span.Length; length++)
            {
                f[k++] = FeatureHash.Feature((int)Template.Prefix1 + length - 1, FeatureHash.Lower(span[..length]));
                f[k++] = FeatureHash.Feature((int)Template.Suffix1 + length - 1, FeatureHash.Lower(span[^length..]));
            }

            var previousWord = t > 0 ? words[t - 1] : Outside;
            var nextWord = t + 1 < n ? words[t + 1] : Outside;
            var previousShape = t > 0 ? shortShapes[t - 1] : Outside;
            var nextShape = t + 1 < n ? shortShapes[t + 1] : Outside;
            f[k++] = FeatureHash.Feature((int)Template.WordAt + 0, t > 1 ? words[t - 2] : Outside);
            f[k++] = FeatureHash.Feature((int)Template.WordAt + 1, previousWord);
            f[k++] = FeatureHash.Feature((int)Template.WordAt + 2, nextWord);
            f[k++] = FeatureHash.Feature((int)Template.WordAt + 3, t + 2 < n ? words[t + 2] : Outside);
            f[k++] = FeatureHash.Feature((int)Template.ShapeAt + 0, t > 1 ? shortShapes[t - 2] : Outside);
            f[k++] = FeatureHash.Feature((int)Template.ShapeAt + 1, previousShape);
            f[k++] = FeatureHash.Feature((int)Template.ShapeAt + 2, nextShape);
            f[k++] = FeatureHash.Feature((int)Template.ShapeAt + 3, t + 2 < n ? shortShapes[t + 2] : Outside);
            f[k++] = FeatureHash.Feature((int)Template.ShapeTrigram, previousShape, shape, nextShape);
            f[k++] = FeatureHash.Feature((int)Template.PreviousWordShape, previousWord, shape);
            f[k++] = FeatureHash.Feature((int)Template.ShapeNextWord, shape, nextWord);
            if ((flags[t] & TokenFlags.PersonTitle) != 0)
            {
                f[k++] = FeatureHash.Feature((int)Template.PersonTitle, shape);
            }

            // Our tokens split "Chi-fung", "U.S." and "Cloud9.com" where GUM's do not: whether a token is glued to its
            // neighbours tells a hyphen inside a name from a dash between words.
            var glued = (t > 0 && tokens[t - 1].End == tokens[t].Start ? 1UL : 0UL) | (t + 1 < n && tokens[t].End == tokens[t + 1].Start ? 2UL : 0UL);
            f[k++] = FeatureHash.Feature((int)Template.Spacing, glued, shape);
            if (glued != 0 && !SurfaceForms.IsWordChar(span[0]))
            {
                f[k++] = FeatureHash.Feature((int)Template.SpacingWord, glued, word);
            }

            // "Mr. Smith" is Mr, ., Smith in our tokens.
            if ((t > 0 && (flags[t - 1] & TokenFlags.PersonTitle) != 0) || (t > 1 && (flags[t - 2] & TokenFlags.PersonTitle) != 0 && text[tokens[t - 1].Start] == '.'))
            {
                f[k++] = FeatureHash.Feature((int)Template.AfterPersonTitle, shape);
            }

            if ((set & NerFeatureSet.WordPairs) != 0)
            {
                f[k++] = FeatureHash.Feature((int)Template.PreviousWordWord, previousWord, word);
                f[k++] = FeatureHash.Feature((int)Template.WordNextWord, word, nextWord);
            }

            if ((set & NerFeatureSet.DocumentCase) != 0 && (flags[t] & TokenFlags.Capitalised) != 0)
            {
                var documentCase = (ulong)(flags[t] & (TokenFlags.SentenceStart | TokenFlags.LowerElsewhere | TokenFlags.CapitalisedInsideSentenceElsewhere));
                f[k++] = FeatureHash.Feature((int)Template.DocumentCase, documentCase);
                f[k++] = FeatureHash.Feature((int)Template.DocumentCaseShape, documentCase, shape);
            }

            if (runs is not null && runs[t] != 0)
            {
                f[k++] = FeatureHash.Feature((int)Template.CapitalisedRun, runs[t], (ulong)(flags[t] & TokenFlags.SentenceStart));
                f[k++] = FeatureHash.Feature((int)Template.CapitalisedRunWord, runs[t], word);
            }

            if (wordCodes is not null)
            {
                // Type and purity only for the neighbours: how often a neighbour is in the KB matters less.
                f[k++] = FeatureHash.Feature((int)Template.KnowledgeBaseWord, wordCodes[t]);
                f[k++] = FeatureHash.Feature((int)Template.KnowledgeBaseWordShape, wordCodes[t] & 31UL, shape);
                f[k++] = FeatureHash.Feature((int)Template.KnowledgeBaseWordPrevious, t > 0 ? wordCodes[t - 1] & 31UL : 255UL);
                f[k++] = FeatureHash.Feature((int)Template.KnowledgeBaseWordNext, t + 1 < n ? wordCodes[t + 1] & 31UL : 255UL);
            }

            if ((set & NerFeatureSet.TitleLines) != 0 && (flags[t] & TokenFlags.TitleLine) != 0)
            {
                f[k++] = FeatureHash.Feature((int)Template.TitleLine, shape);
            }

            if ((set & NerFeatureSet.Gazetteer) != 0)
            {
                var code = gazetteerCodes[t];
                f[k++] = FeatureHash.Feature((int)Template.Gazetteer, code);
                f[k++] = FeatureHash.Feature((int)Template.GazetteerShape, code, shape);
                f[k++] = FeatureHash.Feature((int)Template.GazetteerPrevious, t > 0 ? gazetteerCodes[t - 1] : 255UL);
                f[k++] = FeatureHash.Feature((int)Template.GazetteerNext, t + 1 < n ? gazetteerCodes[t + 1] : 255UL);
                if (code != GazetteerMatches.None)
                {
                    f[k++] = FeatureHash.Feature((int)Template.GazetteerWord, code, word);
                }
            }
        }
    }

    /// <summary>As the linker decides it: the first token, or the first after . ! ? : ; or a line break, looking back over quotes and brackets.</summary>
    static void MarkSentenceStarts(string text, IReadOnlyList<(int Start, int End)> tokens, TokenFlags[] flags)
    {
        var previous = -1;
        for (var t = 0; t < tokens.Count; t++)
        {
            if (previous < 0 ||
                text.AsSpan(tokens[previous].End, tokens[t].Start - tokens[previous].End).Contains('\n') ||
                (tokens[previous].End - tokens[previous].Start == 1 && text[tokens[previous].Start] is '.' or '!' or '?' or ':' or ';'))
            {
                flags[t] |= TokenFlags.SentenceStart;
            }

            var transparent = tokens[t].End - tokens[t].Start == 1 && text[tokens[t].Start] is '"' or '\'' or '“' or '‘' or '(' or '[' or '-' or '—' or '–' or '`';
            if (!transparent)
            {
                previous = t;
            }
        }
    }

    /// <summary>
    /// Per token, 0 outside a run of capitalised words (joined by "of", "the", "and", "&amp;", hyphens and the dots of
    /// initials), else its position (1 first, 2 inside, 3 last, 4 alone) plus 8 × the run's length in words (at most 4).
    /// </summary>
    static ulong[] CapitalisedRuns(string text, IReadOnlyList<(int Start, int End)> tokens, TokenFlags[] flags)
    {
        var n = tokens.Count;
        var runs = new ulong[n];
        var t = 0;
        while (t < n)
        {
            if ((flags[t] & TokenFlags.Capitalised) == 0)
            {
                t++;
                continue;
            }

            var last = t;
            var words = 1;
            var next = t + 1;
            while (next < n)
            {
                var gap = next;
                while (gap < n && gap - last <= 2 && IsRunJoiner(text, tokens, gap))
                {
                    gap++;
                }

                // A lower-case word hyphenated to a capitalised one belongs to it ("Chi-fung", "Naqsh-e").
                var hyphenTail = gap == last + 2 && text[tokens[last + 1].Start] == '-' && tokens[last].End == tokens[last + 1].Start &&
                    gap < n && tokens[last + 1].End == tokens[gap].Start && SurfaceForms.IsWordChar(text[tokens[gap].Start]);
                if (gap >= n || gap - last > 3 || ((flags[gap] & TokenFlags.Capitalised) == 0 && !hyphenTail) || text.AsSpan(tokens[last].End, tokens[gap].Start - tokens[last].End).Contains('\n'))
                {
                    break;
                }

                last = gap;
                words++;
                next = gap + 1;
            }

            var length = (ulong)Math.Min(words, 4) * 8;
            if (last == t)
            {
                runs[t] = 4 + length;
            }
            else
            {
                runs[t] = 1 + length;
                for (var i = t + 1; i < last; i++)
                {
                    runs[i] = 2 + length;
                }

                runs[last] = 3 + length;
            }

            t = last + 1;
        }

        return runs;
    }

    static bool IsRunJoiner(string text, IReadOnlyList<(int Start, int End)> tokens, int t)
    {
        var token = text.AsSpan(tokens[t].Start, tokens[t].End - tokens[t].Start);
        return token is "-" or "." or "&" || token.Equals("of", StringComparison.Ordinal) || token.Equals("the", StringComparison.Ordinal) || token.Equals("and", StringComparison.Ordinal);
    }

    static void MarkDocumentCase(string text, IReadOnlyList<(int Start, int End)> tokens, ulong[] words, TokenFlags[] flags)
    {
        var lower = new HashSet<ulong>();
        var capitalisedInside = new HashSet<ulong>();
        for (var t = 0; t < tokens.Count; t++)
        {
            if (char.IsLower(text[tokens[t].Start]))
            {
                lower.Add(words[t]);
            }
            else if ((flags[t] & (TokenFlags.Capitalised | TokenFlags.SentenceStart)) == TokenFlags.Capitalised)
            {
                capitalisedInside.Add(words[t]);
            }
        }

        for (var t = 0; t < tokens.Count; t++)
        {
            if ((flags[t] & TokenFlags.Capitalised) == 0)
            {
                continue;
            }

            if (lower.Contains(words[t]))
            {
                flags[t] |= TokenFlags.LowerElsewhere;
            }

            if (capitalisedInside.Contains(words[t]))
            {
                flags[t] |= TokenFlags.CapitalisedInsideSentenceElsewhere;
            }
        }
    }

    /// <summary>A line whose words of four letters or more (at least three) are at least three quarters capitalised.</summary>
    static void MarkTitleLines(string text, IReadOnlyList<(int Start, int End)> tokens, TokenFlags[] flags)
    {
        var lineStart = 0;
        while (lineStart < tokens.Count)
        {
            var lineEnd = lineStart + 1;
            while (lineEnd < tokens.Count && !text.AsSpan(tokens[lineEnd - 1].End, tokens[lineEnd].Start - tokens[lineEnd - 1].End).Contains('\n'))
            {
                lineEnd++;
            }

            var words = 0;
            var capitalised = 0;
            for (var t = lineStart; t < lineEnd; t++)
            {
                if (tokens[t].End - tokens[t].Start >= 4 && char.IsLetter(text[tokens[t].Start]))
                {
                    words++;
                    capitalised += char.IsUpper(text[tokens[t].Start]) ? 1 : 0;
                }
            }

            if (words >= 3 && capitalised * 4 >= words * 3)
            {
                for (var t = lineStart; t < lineEnd; t++)
                {
                    flags[t] |= TokenFlags.TitleLine;
                }
            }

            lineStart = lineEnd;
        }
    }
}
