using System.Collections.Frozen;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// Lexical context similarity: the share of an entity's label and description content words that occur in the
/// document around the mention (the mention's own words excluded, or every candidate would match itself).
/// </summary>
public sealed class LexicalContextSimilarity : IContextSimilarity
{
    public static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but", "not", "is", "are", "was",
        "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "these", "those", "as", "into", "about",
        "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "he", "she", "they", "we", "you", "i", "his", "her",
        "their", "our", "your", "my", "me", "him", "them", "us", "said", "says", "say", "will", "would", "can", "could", "also",
        "than", "then", "there", "here", "after", "before", "over", "under", "up", "down", "out", "more", "most", "other", "some",
        "such", "no", "nor", "only", "own", "same", "so", "too", "very", "just", "new", "one", "two", "first", "last", "year",
        "years", "all", "any", "both", "each", "few", "many", "much", "if", "while", "during", "since", "until", "between",
        "against", "s", "t", "mr", "mrs", "ms", "de", "la", "le", "el", "del", "der", "von", "van", "known", "based", "former",
        "since", "via", "per", "may", "might", "must", "shall", "should", "does", "did", "do", "done", "made", "make", "time",
    }.ToFrozenSet(StringComparer.Ordinal);

    public string Name => "lexical";

    public IDocumentContext ForDocument(string text) => new Document(text);

    public static List<(string Word, int Start)> Words(string text)
    {
        var tokens = new List<(int Start, int End)>();
        SurfaceForms.Tokenize(text, tokens);
        var words = new List<(string, int)>(tokens.Count);
        var builder = new System.Text.StringBuilder();
        foreach (var (start, end) in tokens)
        {
            if (end - start < 2 || !char.IsLetter(text[start]))
            {
                continue;
            }

            builder.Clear();
            SurfaceForms.AppendToken(builder, text.AsSpan(start, end - start));
            var word = builder.ToString();
            if (!StopWords.Contains(word))
            {
                words.Add((word, start));
            }
        }

        return words;
    }

    sealed class Document : IDocumentContext
    {
        readonly string _text;
        readonly Dictionary<string, List<int>> _positions = new(StringComparer.Ordinal);
        readonly Dictionary<string, HashSet<string>> _entityWords = new(StringComparer.Ordinal);
        readonly Dictionary<(int, int), HashSet<string>> _mentionWords = [];

        public Document(string text)
        {
            _text = text;
            foreach (var (word, start) in Words(text))
            {
                if (!_positions.TryGetValue(word, out var list))
                {
                    _positions[word] = list = [];
                }

                list.Add(start);
            }
        }

        public double Similarity(int start, int end, string label, string description)
        {
            var key = label + "\n" + description;
            if (!_entityWords.TryGetValue(key, out var entityWords))
            {
                entityWords = Words(key).Select(w => w.Word).ToHashSet(StringComparer.Ordinal);
                _entityWords[key] = entityWords;
            }

            if (!_mentionWords.TryGetValue((start, end), out var mentionWords))
            {
                mentionWords = Words(_text[start..end]).Select(w => w.Word).ToHashSet(StringComparer.Ordinal);
                _mentionWords[(start, end)] = mentionWords;
            }

            var usable = 0;
            var found = 0;
            foreach (var word in entityWords)
            {
                if (mentionWords.Contains(word))
                {
                    continue;
                }

                usable++;
                if (_positions.TryGetValue(word, out var at) && at.Exists(p => p < start || p >= end))
                {
                    found++;
                }
            }

            return usable == 0 ? 0 : Math.Min(1.0, found / Math.Sqrt(usable));
        }
    }
}
