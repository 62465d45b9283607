using System.Collections.Frozen;

namespace Pipeline.Ingestion.Language;

/// <summary>
/// The language of an article that came without one, from its most frequent function words: enough to tell the
/// common Western European languages apart in news text (dozens of words and up). Returns null rather than guess:
/// short texts, mixed texts and other languages stay unlabelled.
/// </summary>
public static class LanguageDetector
{
    const int MinWords = 20;
    const int SampleWords = 400;

    static readonly FrozenDictionary<string, string[]> StopWords = new Dictionary<string, string[]>
    {
        ["en"] = ["the", "and", "of", "to", "in", "is", "that", "for", "it", "was", "on", "with", "he", "as", "his", "they", "at", "be", "this", "have", "from", "are", "said", "not", "but", "by", "had", "has", "would", "their", "which", "were", "been", "who", "will"],
        ["de"] = ["der", "die", "und", "das", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "sich", "des", "auf", "für", "dem", "im", "auch", "es", "sie", "wird", "wurde", "bei", "nach", "aus", "hat", "einer", "werden", "vom", "noch", "oder", "aber"],
        ["fr"] = ["le", "la", "les", "et", "des", "du", "un", "une", "est", "que", "pour", "dans", "qui", "pas", "sur", "au", "il", "elle", "ce", "avec", "sont", "par", "mais", "ont", "été", "aux", "cette", "nous", "leur", "ses", "être"],
        ["es"] = ["el", "la", "los", "las", "y", "de", "que", "en", "un", "una", "por", "con", "para", "es", "del", "se", "al", "su", "lo", "como", "más", "pero", "sus", "fue", "ha", "este", "esta", "son", "también", "entre"],
        ["it"] = ["il", "di", "che", "la", "e", "un", "una", "per", "non", "sono", "del", "della", "con", "gli", "nel", "alla", "anche", "come", "più", "ma", "le", "ha", "dei", "delle", "è", "questo", "stato", "essere"],
        ["pt"] = ["o", "os", "as", "de", "que", "e", "do", "da", "em", "um", "uma", "para", "com", "não", "por", "mais", "dos", "das", "se", "foi", "ao", "na", "no", "como", "mas", "ele", "ela", "são", "também", "seu", "sua"],
        ["nl"] = ["de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "zijn", "voor", "met", "die", "ook", "aan", "er", "maar", "om", "bij", "nog", "werd", "wordt", "naar", "heeft", "dan", "ze", "hij", "uit"],
        ["sv"] = ["och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "inte", "om", "ett", "var", "jag", "men", "sig", "vi", "de", "från", "kan", "när", "också", "efter", "hade"],
    }.ToFrozenDictionary();

    static readonly FrozenDictionary<string, string[]> LanguagesOfWord = StopWords
        .SelectMany(l => l.Value.Select(w => (Word: w, Language: l.Key)))
        .GroupBy(p => p.Word)
        .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Language).ToArray());

    public static string? Detect(string text)
    {
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = 0;
        var start = -1;
        for (var i = 0; i <= text.Length && words < SampleWords; i++)
        {
            var letter = i < text.Length && char.IsLetter(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                words++;
                var word = text[start..i].ToLowerInvariant();
                start = -1;
                if (LanguagesOfWord.TryGetValue(word, out var languages))
                {
                    foreach (var language in languages)
                    {
                        scores[language] = scores.GetValueOrDefault(language) + 1;
                    }
                }
            }
        }

        if (words < MinWords || scores.Count == 0)
        {
            return null;
        }

        var ranked = scores.OrderByDescending(s => s.Value).ToList();
        var best = ranked[0];
        var second = ranked.Count > 1 ? ranked[1].Value : 0;
        // Function words make up a third or more of running text in these languages; a clear winner is required.
        return best.Value >= words / 8 && best.Value >= 2 * second ? best.Key : null;
    }
}
