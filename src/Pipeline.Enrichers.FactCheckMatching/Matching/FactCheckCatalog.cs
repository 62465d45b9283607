using System.Text.Json;

namespace Pipeline.Enrichers.FactCheckMatching.Matching;

/// <summary>
/// The fact-checked claims with a TF-IDF index over each claim and its headline: <see cref="Match"/> finds the claims
/// closest to a sentence by cosine similarity, through an inverted index (only claims sharing a word are scored).
/// </summary>
public sealed class FactCheckCatalog
{
    readonly FactCheck[] _checks;
    readonly Dictionary<string, (int Doc, float Weight)[]> _postings;
    readonly Dictionary<string, double> _idf;

    FactCheckCatalog(FactCheck[] checks)
    {
        _checks = checks;
        var documents = checks.Select(c => TermCounts(c.Claim + " " + c.Title)).ToArray();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in documents.SelectMany(d => d.Keys))
        {
            df[term] = df.GetValueOrDefault(term) + 1;
        }

        _idf = df.ToDictionary(p => p.Key, p => Math.Log((double)checks.Length / p.Value) + 1, StringComparer.Ordinal);
        var postings = new Dictionary<string, List<(int, float)>>(StringComparer.Ordinal);
        for (var doc = 0; doc < documents.Length; doc++)
        {
            foreach (var (term, weight) in Normalised(documents[doc]))
            {
                if (!postings.TryGetValue(term, out var list))
                {
                    postings[term] = list = [];
                }

                list.Add((doc, (float)weight));
            }
        }

        _postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    public int Count => _checks.Length;

    /// <summary>Reads a JSON Lines catalogue (vclaim_id, vclaim, title, date); a malformed line stops the load naming its number.</summary>
    public static FactCheckCatalog Load(string path)
    {
        var checks = new List<FactCheck>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var id = root.GetProperty("vclaim_id").GetString();
                var claim = root.GetProperty("vclaim").GetString();
                if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(claim))
                {
                    throw new InvalidDataException("vclaim_id and vclaim must not be empty");
                }

                checks.Add(new FactCheck(id, claim, Text(root, "title") ?? "", Text(root, "date")));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidDataException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}, line {number}: not a fact-check record ({e.Message}).", e);
            }
        }

        return From(checks);
    }

    public static FactCheckCatalog From(IEnumerable<FactCheck> checks) => new([.. checks]);

    /// <summary>The closest fact-checked claims to the text with their cosine similarity, best first.</summary>
    public IReadOnlyList<(FactCheck Check, double Score)> Match(string text, int top, double minScore)
    {
        var scores = new Dictionary<int, double>();
        foreach (var (term, weight) in Normalised(TermCounts(text)))
        {
            if (!_postings.TryGetValue(term, out var postings))
            {
                continue;
            }

            foreach (var (doc, docWeight) in postings)
            {
                scores[doc] = scores.GetValueOrDefault(doc) + weight * docWeight;
            }
        }

        return [.. scores.Where(s => s.Value >= minScore).OrderByDescending(s => s.Value).Take(top).Select(s => (_checks[s.Key], s.Value))];
    }

    /// <summary>Sub-linear TF × IDF, L2-normalised; words the catalogue never saw carry no weight (they cannot match).</summary>
    IEnumerable<(string Term, double Weight)> Normalised(Dictionary<string, int> counts)
    {
        var weights = counts
            .Where(c => _idf.ContainsKey(c.Key))
            .Select(c => (c.Key, Weight: (1 + Math.Log(c.Value)) * _idf[c.Key]))
            .ToList();
        var norm = Math.Sqrt(weights.Sum(w => w.Weight * w.Weight));
        return norm == 0 ? [] : weights.Select(w => (w.Key, w.Weight / norm));
    }

    static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Lower-case words of two or more letters or digits, stop words removed, a plural 's' folded.</summary>
    public static Dictionary<string, int> TermCounts(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            if (word.Length < 2 || StopWords.Contains(word))
            {
                continue;
            }

            var term = word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }

        return counts;
    }

    static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are",
        "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she", "they", "we", "you",
        "his", "her", "their", "our", "your", "him", "them", "us", "me", "my", "i", "not", "no", "do", "does", "did", "has",
        "have", "had", "will", "would", "can", "could", "should", "may", "might", "so", "than", "then", "there", "here", "who",
        "what", "which", "when", "where", "why", "how", "all", "any", "some", "about", "into", "over", "after", "before", "said",
        "says", "also", "just", "more", "most", "such", "only", "up", "out", "one", "new", "s", "t", "rt", "http", "https", "com",
        "www", "pic", "twitter", "video", "photo", "shows", "show", "image", "real", "true",
    };
}
