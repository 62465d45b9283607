using System.Text;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>One syntactic word of a CoNLL-U sentence, with its character range in the rebuilt document text.</summary>
internal sealed record GumWord(int Id, string Form, string Upos, string Xpos, int Head, string Deprel, string Misc)
{
    public int Start { get; set; }

    public int End { get; set; }
}

/// <summary>A GUM mention: words First..Last of its sentence (inclusive), GUM's entity type, and its Wikipedia identity if any.</summary>
internal readonly record struct GumMention(int First, int Last, string GumType, string? Identity = null);

/// <summary>Collects the token lines of one CoNLL-U sentence and appends its text to the document's.</summary>
internal sealed class ConlluSentenceBuilder
{
    readonly List<string[]> _lines = [];

    public bool IsEmpty => _lines.Count == 0;

    public void Add(string line) => _lines.Add(line.Split('\t'));

    public void Clear() => _lines.Clear();

    /// <summary>
    /// Appends the sentence's surface text and adds its words with their offsets. A multiword token ("Bernoulli's" for
    /// "Bernoulli" + "'s") is written once, and its words split its surface in order (their forms concatenate to it in
    /// GUM). Empty nodes (ids like 26.1) have no surface and are skipped.
    /// </summary>
    public void Build(StringBuilder text, List<GumWord> words)
    {
        var multiwordEnd = 0;
        var offsetInMultiword = 0;
        var multiwordStart = 0;
        for (var i = 0; i < _lines.Count; i++)
        {
            var f = _lines[i];
            if (f.Length < 10)
            {
                throw new InvalidDataException($"A CoNLL-U token line has {f.Length} columns, not 10: {string.Join('\t', f)}");
            }

            var id = f[0];
            if (id.Contains('.', StringComparison.Ordinal))
            {
                continue;
            }

            var dash = id.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0)
            {
                multiwordEnd = int.Parse(id.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture);
                multiwordStart = text.Length;
                offsetInMultiword = 0;
                text.Append(f[1]);
                AppendSpace(text, f[9]);
                continue;
            }

            var wordId = int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
            var word = new GumWord(wordId, f[1], f[3], f[4], f[6] == "_" ? -1 : int.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture), f[7], f[9]);
            if (wordId <= multiwordEnd)
            {
                word.Start = multiwordStart + offsetInMultiword;
                offsetInMultiword += word.Form.Length;
                word.End = word.Start + word.Form.Length;
            }
            else
            {
                word.Start = text.Length;
                text.Append(word.Form);
                word.End = text.Length;
                AppendSpace(text, word.Misc);
            }

            words.Add(word);
        }

        // The document puts its own separator between sentences.
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
    }

    static void AppendSpace(StringBuilder text, string misc)
    {
        if (!misc.Split('|').Contains("SpaceAfter=No"))
        {
            text.Append(' ');
        }
    }
}

/// <summary>
/// The mentions of a sentence from the <c>Entity=</c> MISC attribute: "(id-etype-infstat-salience-centering-minspan-link-identity"
/// opens a mention, "id)" closes the latest open one with that id, "(...)" is a one-word mention; several may stand on
/// one word, nested ("(13-organization-...(14-place-...)").
/// </summary>
internal static class GumMentions
{
    /// <summary>The sentence's mentions in the order they open (an outer mention before the ones it contains).</summary>
    public static List<GumMention> Read(List<GumWord> words)
    {
        var opened = new List<(int Order, string Id, string Type, int First, string? Identity)>();
        var mentions = new List<(int Order, GumMention Mention)>();
        var order = 0;
        for (var w = 0; w < words.Count; w++)
        {
            var entity = EntityAttribute(words[w].Misc);
            var i = 0;
            while (i < entity.Length)
            {
                if (entity[i] == '(')
                {
                    var j = i + 1;
                    while (j < entity.Length && entity[j] is not ('(' or ')'))
                    {
                        j++;
                    }

                    var spec = entity[(i + 1)..j].Split('-');
                    if (spec.Length < 2)
                    {
                        throw new InvalidDataException($"Malformed Entity attribute '{entity}'.");
                    }

                    // The eighth field is the Wikipedia title (hyphens in it are escaped as %2D).
                    var identity = spec.Length > 7 && spec[7].Length > 0 ? spec[7] : null;
                    if (j < entity.Length && entity[j] == ')')
                    {
                        mentions.Add((order++, new GumMention(w, w, spec[1], identity)));
                        i = j + 1;
                    }
                    else
                    {
                        opened.Add((order++, spec[0], spec[1], w, identity));
                        i = j;
                    }
                }
                else
                {
                    var j = entity.IndexOf(')', i);
                    if (j < 0)
                    {
                        throw new InvalidDataException($"Malformed Entity attribute '{entity}'.");
                    }

                    var id = entity[i..j];
                    var at = opened.FindLastIndex(o => o.Id == id);
                    if (at < 0)
                    {
                        throw new InvalidDataException($"Entity {id} closes without being open ('{entity}').");
                    }

                    mentions.Add((opened[at].Order, new GumMention(opened[at].First, w, opened[at].Type, opened[at].Identity)));
                    opened.RemoveAt(at);
                    i = j + 1;
                }
            }
        }

        if (opened.Count > 0)
        {
            throw new InvalidDataException($"Entities {string.Join(", ", opened.Select(o => o.Id))} are still open at the end of a sentence.");
        }

        mentions.Sort((a, b) => a.Order.CompareTo(b.Order));
        return mentions.Select(m => m.Mention).ToList();
    }

    static string EntityAttribute(string misc)
    {
        foreach (var part in misc.Split('|'))
        {
            if (part.StartsWith("Entity=", StringComparison.Ordinal))
            {
                return part["Entity=".Length..];
            }
        }

        return "";
    }
}
