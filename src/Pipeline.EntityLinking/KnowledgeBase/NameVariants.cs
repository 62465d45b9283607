using System.Collections.Frozen;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Forms of organisation names that news texts use but knowledge bases rarely list, derived from the listed ones
/// (all as normalised keys, see <see cref="SurfaceForms.Key"/>):
/// <list type="bullet">
/// <item>without the legal form: "Merck &amp; Co." gives "Merck", "Rolls-Royce Holdings" gives "Rolls-Royce";</item>
/// <item>without the country that qualifies it, when at least two content words remain: "United States Securities and
/// Exchange Commission" gives "Securities and Exchange Commission", "Supreme Court of the United States" gives "Supreme
/// Court" (but "Bank of England" never gives "Bank");</item>
/// <item>qualified by another name of that country: "Government of the United Kingdom" gives "U.K. government",
/// "United States Congress" gives "U.S. Congress";</item>
/// <item>without the purpose that follows "for": "Salk Institute for Biological Studies" gives "Salk Institute".</item>
/// </list>
/// </summary>
public sealed class NameVariants
{
    /// <summary>The legal forms (Data/legal-forms.txt) and the words that join them to a name ("Merck and Co Inc", "Sony Group, Inc").</summary>
    static readonly FrozenSet<string> LegalForms = WordLists.LegalForms.Append(",").Append("and").ToFrozenSet(StringComparer.Ordinal);

    static readonly FrozenSet<string> FunctionWords = new[] { "and", "of", "the", "for", "on", "in", "'", "s", "," }.ToFrozenSet(StringComparer.Ordinal);

    const int MaxCountryWords = 4;

    readonly Dictionary<string, int> _countryByKey = new(StringComparer.Ordinal);
    readonly Dictionary<int, List<string>> _keysOfCountry = [];

    /// <param name="countries">Each country entity with its names (label, aliases, title).</param>
    public NameVariants(IEnumerable<(int Entity, IEnumerable<string> Names)> countries)
    {
        foreach (var (entity, names) in countries)
        {
            var keys = names.Select(SurfaceForms.Key).OfType<string>()
                .Where(k => k.Length >= 2 && k.Count(c => c == ' ') < MaxCountryWords && k.All(c => c is (>= 'a' and <= 'z') or ' '))
                .Distinct().ToList();
            foreach (var key in keys)
            {
                _countryByKey.TryAdd(key, entity);
            }

            _keysOfCountry[entity] = keys;
        }
    }

    /// <summary>The derived keys of an organisation whose listed forms have these keys (the listed keys excluded).</summary>
    public IEnumerable<string> Of(IEnumerable<string> keys)
    {
        var listed = keys.ToHashSet(StringComparer.Ordinal);
        var derived = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in listed)
        {
            var words = key.Split(' ');
            if (WithoutLegalForm(words) is { } stripped)
            {
                derived.Add(stripped);
            }

            // "Salk Institute for Biological Studies" is "the Salk Institute" in the news: the name without its purpose.
            var purpose = Array.IndexOf(words, "for");
            if (purpose >= 2 && words[..purpose].Count(w => !FunctionWords.Contains(w)) >= 2)
            {
                derived.Add(string.Join(' ', words, 0, purpose));
            }

            if (WithoutCountry(words) is ({ } rest, var country))
            {
                if (rest.Count(w => !FunctionWords.Contains(w)) >= 2)
                {
                    derived.Add(string.Join(' ', rest));
                }

                foreach (var countryKey in _keysOfCountry[country])
                {
                    derived.Add(countryKey + " " + string.Join(' ', rest));
                }
            }
        }

        derived.ExceptWith(listed);
        return derived;
    }

    static string? WithoutLegalForm(string[] words)
    {
        var end = words.Length;
        while (end > 1 && LegalForms.Contains(words[end - 1]))
        {
            end--;
        }

        if (end == words.Length || end == 0 || (end == 1 && words[0].Length < 3))
        {
            return null;
        }

        return string.Join(' ', words, 0, end);
    }

    /// <summary>"united states X" or "X of (the) united states": X and the country.</summary>
    (string[] Remainder, int Country)? WithoutCountry(string[] words)
    {
        for (var n = Math.Min(MaxCountryWords, words.Length - 1); n >= 1; n--)
        {
            if (_countryByKey.TryGetValue(string.Join(' ', words, 0, n), out var country))
            {
                return (words[n..], country);
            }
        }

        for (var of = words.Length - 2; of >= 1; of--)
        {
            if (words[of] != "of")
            {
                continue;
            }

            var from = words[of + 1] == "the" ? of + 2 : of + 1;
            if (from < words.Length && _countryByKey.TryGetValue(string.Join(' ', words, from, words.Length - from), out var country))
            {
                return (words[..of], country);
            }
        }

        return null;
    }
}
