using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>A named mention of a GUM document, in characters of <see cref="GumDocument.Text"/> (end exclusive).</summary>
/// <param name="GumType">GUM's entity type (person, place, organization, event, abstract, ...).</param>
/// <param name="Identity">The Wikipedia title GUM links the mention to (URL-escaped, underscores for spaces), or null.</param>
public readonly record struct GumNamedMention(int Start, int End, EntityType Type, string GumType, string? Identity = null);

/// <summary>
/// One GUM document as the tagger sees it: its plain text rebuilt from the tokens (a space between tokens unless
/// SpaceAfter=No, a space between the sentences of a paragraph and a newline between paragraphs, as in an article),
/// its sentences as character ranges, and its named mentions flattened (no overlaps).
/// </summary>
/// <param name="NestedNamedMentions">Every named mention, nested ones included ("Durham" inside "Durham University"): the gold
/// labels for linking, where a nested name is an entity of its own.</param>
public sealed record GumDocument(string Name, string Text, IReadOnlyList<(int Start, int End)> Sentences, IReadOnlyList<GumNamedMention> NamedMentions, IReadOnlyList<GumNamedMention> NestedNamedMentions)
{
    public GumDocument(string name, string text, IReadOnlyList<(int Start, int End)> sentences, IReadOnlyList<GumNamedMention> namedMentions)
        : this(name, text, sentences, namedMentions, namedMentions)
    {
    }
}

/// <summary>
/// Reads the GUM corpus (CoNLL-U with the entity annotation in the MISC column) and its official split.
/// <para>
/// GUM annotates every mention: named, nominal and pronominal. A <b>named mention</b> here is:
/// <list type="number">
/// <item>a GUM mention whose syntactic head (its first non-punctuation word whose dependency head lies outside the
/// mention) is a proper noun (UPOS PROPN), and whose type is not <c>time</c> ("March 9" is a date, not a name);</item>
/// <item>inside such a mention of people, works or things, each name coordinated with the head's ("[Carrano] and
/// [Biewener]", "[Endeavour] and [Atlantis]"): GUM makes the group one mention, but it holds several names;</item>
/// <item>inside a mention headed by a common noun, a proper-noun block attached to that head as <c>flat</c> or
/// <c>appos</c> ("interviewee [David Titley]", "his younger brother [Alfred]"), or, in a place, as an
/// <c>of</c>-complement ("the Danish island of [Funen]"): the name is the entity the mention is about, and every NER
/// convention tags it; it gets the type of the enclosing mention.</item>
/// </list>
/// Its span is the contiguous block around the head of name words (UPOS PROPN or NUM, or XPOS NNP/NNPS: GUM tags
/// "New" and "United" in names as adjectives or verbs with XPOS NNP; outside people's names also a capitalised
/// adjective, "Roman Empire") and the connectors between two of them (of, the, and, &amp;, hyphen, dot, 's, de, van,
/// von ...: "Bank of America", "Intrepid Sea-Air-Space Museum"), inside the mention. So the block stops at commas and
/// parentheses ("Portsmouth, United Kingdom" gives "Portsmouth"); leading determiners and a trailing possessive 's are
/// never part of it. Further:
/// <list type="bullet">
/// <item>"and"/"&amp;" join names only in organisations and places ("Procter &amp; Gamble", "Bosnia and Herzegovina");</item>
/// <item>leading numbers are dropped ("43 million [Americans]", "2010 [World Cup]");</item>
/// <item>people: a leading title is dropped as in CoNLL and OntoNotes (<see cref="PersonTitles"/>: "Professor [Cres
/// Eastman]"), a mention that is only a title ("the Secretary", "Emperor of the United States") is not a name (the
/// place in it is), and an affiliation is not part of the name ("[Lee Cheuk-yan] of the Labour Party").</item>
/// </list>
/// Types: person is PER, place LOC, organization ORG, everything else (event, object, abstract, substance, plant,
/// animal) MISC. Where named spans overlap, the longer is kept (the outer one on a tie), so the tagging is flat:
/// "[Durham University]" is one ORG, not also the place "Durham".
/// </para>
/// </summary>
public static class GumCorpus
{
    /// <summary>The sections of splits.md whose documents are read; test2 (GENTLE) is not part of the data.</summary>
    public static readonly IReadOnlyList<string> SplitNames = ["train", "dev", "test"];

    /// <summary>The document names of each section (<c>## train</c>, <c>## dev</c> ...) of splits.md.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadSplits(string splitsFile)
    {
        var splits = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var raw in File.ReadLines(splitsFile))
        {
            var line = raw.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = [];
                splits[line[3..].Trim()] = current;
            }
            else if (current is not null && line.StartsWith("* ", StringComparison.Ordinal))
            {
                current.Add(line[2..].Trim());
            }
        }

        return splits;
    }

    /// <summary>The documents of one split that are present in <c>{gumDirectory}/conllu</c>, in the order of splits.md.</summary>
    public static IReadOnlyList<GumDocument> ReadSplit(string gumDirectory, string split)
    {
        var splits = ReadSplits(Path.Combine(gumDirectory, "splits.md"));
        if (!splits.TryGetValue(split, out var names))
        {
            throw new ArgumentException($"splits.md has no section '## {split}' (it has {string.Join(", ", splits.Keys)}).", nameof(split));
        }

        return names
            .Select(name => Path.Combine(gumDirectory, "conllu", name + ".conllu"))
            .Where(File.Exists)
            .Select(path => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path)))
            .ToList();
    }

    /// <summary>Parses one CoNLL-U document.</summary>
    public static GumDocument Parse(string name, string conllu)
    {
        var text = new System.Text.StringBuilder(conllu.Length / 8);
        var sentences = new List<(int Start, int End)>();
        var named = new List<(int Start, int End, EntityType Type, string GumType, string? Identity)>();
        var words = new List<GumWord>();
        var newParagraph = false;
        var reader = new ConlluSentenceBuilder();
        foreach (var line in conllu.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0)
            {
                Flush();
                continue;
            }

            if (trimmed[0] == '#')
            {
                // "# newpar" opens a paragraph ("# newpar_block = ..." only describes it).
                if (trimmed == "# newpar" || trimmed.StartsWith("# newpar ", StringComparison.Ordinal))
                {
                    newParagraph = true;
                }

                continue;
            }

            reader.Add(trimmed);
        }

        Flush();
        var nested = named.Distinct().Select(n => new GumNamedMention(n.Start, n.End, n.Type, n.GumType, n.Identity)).OrderBy(n => n.Start).ThenByDescending(n => n.End).ToList();
        return new GumDocument(name, text.ToString(), sentences, Flatten(named), nested);

        void Flush()
        {
            if (reader.IsEmpty)
            {
                return;
            }

            if (text.Length > 0)
            {
                text.Append(newParagraph ? '\n' : ' ');
            }

            newParagraph = false;
            words.Clear();
            var start = text.Length;
            reader.Build(text, words);
            sentences.Add((start, text.Length));
            var mentions = GumMentions.Read(words);
            var organisationStarts = mentions.Where(m => m.GumType == "organization").Select(m => m.First).ToHashSet();
            foreach (var mention in mentions)
            {
                var spans = NamedSpans(words, mention, organisationStarts).ToList();
                foreach (var span in spans)
                {
                    // Coordinated names ("Tom and Jerry") share one GUM mention, whose identity is none of them.
                    named.Add((words[span.First].Start, words[span.Last].End, Map(span.GumType), span.GumType, spans.Count == 1 ? mention.Identity : null));
                }
            }

            reader.Clear();
        }
    }

    /// <summary>
    /// The flat named mentions: longest first, and on a tie the one opened first (mentions come in opening order, so
    /// that is the outer one); a span overlapping one already kept is dropped.
    /// </summary>
    static List<GumNamedMention> Flatten(List<(int Start, int End, EntityType Type, string GumType, string? Identity)> spans)
    {
        var kept = new List<GumNamedMention>();
        foreach (var span in spans.Select((s, i) => (s, i)).OrderByDescending(x => x.s.End - x.s.Start).ThenBy(x => x.i))
        {
            if (!kept.Any(k => k.Start < span.s.End && span.s.Start < k.End))
            {
                kept.Add(new GumNamedMention(span.s.Start, span.s.End, span.s.Type, span.s.GumType, span.s.Identity));
            }
        }

        kept.Sort((a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }

    public static EntityType Map(string gumType) => gumType switch
    {
        "person" => EntityType.Per,
        "place" => EntityType.Loc,
        "organization" => EntityType.Org,
        _ => EntityType.Misc,
    };

    /// <summary>The named spans of a mention (word indices in its sentence): none, its head's, or one per coordinated name.</summary>
    static IEnumerable<(int First, int Last, string GumType)> NamedSpans(List<GumWord> words, GumMention mention, HashSet<int> organisationStarts)
    {
        if (mention.GumType == "time")
        {
            yield break;
        }

        var head = Head(words, mention.First, mention.Last);
        if (head < 0)
        {
            yield break;
        }

        if (words[head].Upos == "PROPN")
        {
            if (Trim(words, mention, head, organisationStarts) is not { } span)
            {
                yield break;
            }

            yield return span;
            if (JoinsCoordinatedNames(mention.GumType))
            {
                yield break;
            }

            // "Carrano and Biewener", "Endeavour and Atlantis": each coordinated name is a name of its own.
            for (var i = mention.First; i <= mention.Last; i++)
            {
                if ((i < span.First || i > span.Last) && words[i].Deprel == "conj" && words[i].Head == words[head].Id && words[i].Upos == "PROPN" &&
                    Trim(words, mention, i, organisationStarts) is { } conjunct)
                {
                    yield return conjunct;
                }
            }

            yield break;
        }

        // A name in apposition to the role noun that heads the mention ("cosplayer Jessica Anderson").
        for (var i = mention.First; i <= mention.Last; i++)
        {
            var word = words[i];
            if (!IsNameToken(word) || word.Upos == "NUM" || word.Head != words[head].Id)
            {
                continue;
            }

            var of = word.Deprel == "nmod" && mention.GumType == "place" && i > mention.First && words[i - 1].Form.Equals("of", StringComparison.OrdinalIgnoreCase);
            if ((word.Deprel is "flat" or "appos" || of) && Trim(words, mention, i, organisationStarts) is { } span)
            {
                yield return span;
                yield break;
            }
        }
    }

    /// <summary>
    /// Whether "and" and "&amp;" join two names into one: in the names of organisations and places they usually do
    /// ("Procter &amp; Gamble", "Bosnia and Herzegovina", "Rock and Roll Hall of Fame"); a mention of people, works or
    /// things that coordinates names ("Carrano and Biewener", "Endeavour and Atlantis") holds several names.
    /// </summary>
    static bool JoinsCoordinatedNames(string gumType) => gumType is "organization" or "place";

    static (int First, int Last, string GumType)? Trim(List<GumWord> words, GumMention mention, int head, HashSet<int> organisationStarts)
    {
        var joiners = JoinsCoordinatedNames(mention.GumType) ? Connectors : NameConnectors;
        var first = head;
        var adjectives = mention.GumType != "person";
        while (Extend(words, first, -1, mention.First, joiners, adjectives) is { } next)
        {
            first = next;
        }

        // A person's affiliation is not part of their name: "Lee Cheuk-yan of [the Labour Party]".
        var last = head;
        while (Extend(words, last, +1, mention.Last, joiners, adjectives) is { } next && !(mention.GumType == "person" && StartsBetween(organisationStarts, last + 1, next)))
        {
            last = next;
        }

        // "43 million Americans", "2010 World Cup": a leading number counts or dates the name.
        while (first < last && words[first].Upos == "NUM")
        {
            first++;
        }

        if (mention.GumType == "person")
        {
            var titled = false;
            while (first <= last && (PersonTitles.Contains(words[first].Form.TrimEnd('.')) || (titled && words[first].Form is "-" or ".")))
            {
                titled = true;
                first++;
            }

            // "Secretary" alone, "Emperor of the United States": a title, not a name (the place in it is one).
            if (first > last || Connectors.Contains(words[first].Form))
            {
                return null;
            }
        }

        return (first, last, mention.GumType);
    }

    static bool StartsBetween(HashSet<int> starts, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            if (starts.Contains(i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The next name token from <paramref name="from"/> in direction <paramref name="step"/>, over connectors, not past <paramref name="bound"/>.</summary>
    static int? Extend(List<GumWord> words, int from, int step, int bound, HashSet<string> connectors, bool adjectives)
    {
        var i = from + step;
        while ((step < 0 ? i >= bound : i <= bound) && !IsNameToken(words, i, adjectives) && connectors.Contains(words[i].Form))
        {
            i += step;
        }

        return (step < 0 ? i >= bound : i <= bound) && IsNameToken(words, i, adjectives) ? i : null;
    }

    /// <summary>The first non-punctuation word of the range whose dependency head lies outside it, or -1.</summary>
    static int Head(List<GumWord> words, int first, int last)
    {
        var firstId = words[first].Id;
        var lastId = words[last].Id;
        for (var i = first; i <= last; i++)
        {
            if (words[i].Upos != "PUNCT" && (words[i].Head < firstId || words[i].Head > lastId))
            {
                return i;
            }
        }

        return -1;
    }

    static bool IsNameToken(GumWord word) => word.Upos is "PROPN" or "NUM" || word.Xpos is "NNP" or "NNPS";

    /// <summary>
    /// A name token, or with <paramref name="adjectives"/> also a capitalised adjective inside the sentence: GUM tags
    /// "Roman" in "Roman Empire" and "Revolutionary" in "Revolutionary War" as adjectives (JJ).
    /// </summary>
    static bool IsNameToken(List<GumWord> words, int i, bool adjectives) =>
        IsNameToken(words[i]) || (adjectives && i > 0 && words[i].Upos == "ADJ" && char.IsUpper(words[i].Form[0]));

    /// <summary>Words that join two name tokens into one name.</summary>
    static readonly HashSet<string> Connectors = new(
        ["of", "the", "and", "&", "-", "–", ".", "'s", "’s", "de", "du", "des", "da", "do", "dos", "das", "di", "del", "della", "la", "le", "van", "von", "der", "den", "al", "el", "bin", "y"],
        StringComparer.OrdinalIgnoreCase);

    static readonly HashSet<string> NameConnectors = new(Connectors.Where(c => c is not ("and" or "&")), StringComparer.OrdinalIgnoreCase);
}
