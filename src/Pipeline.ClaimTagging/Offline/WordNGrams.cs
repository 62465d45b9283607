using System.Text.RegularExpressions;

namespace Pipeline.ClaimTagging.Offline;

/// <summary>
/// Lower-cased word unigrams and bigrams hashed into a fixed number of buckets (FNV-1a: stable across processes,
/// unlike string.GetHashCode), as a unit-length binary vector. Gives the linear member the exact wording cues
/// ("percent", "voted for", "thank you") that a sentence embedding blurs.
/// </summary>
public static partial class WordNGrams
{
    public static void Write(string sentence, Span<float> destination)
    {
        var words = Word().Matches(sentence.ToLowerInvariant()).Select(m => m.Value).ToArray();
        var active = new HashSet<int>();
        for (var i = 0; i < words.Length; i++)
        {
            active.Add(Bucket(words[i], destination.Length));
            if (i + 1 < words.Length)
            {
                active.Add(Bucket(words[i] + " " + words[i + 1], destination.Length));
            }
        }

        if (active.Count == 0)
        {
            return;
        }

        var value = (float)(1 / Math.Sqrt(active.Count));
        foreach (var bucket in active)
        {
            destination[bucket] = value;
        }
    }

    static int Bucket(string token, int buckets)
    {
        var hash = 2166136261u;
        foreach (var c in token)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)buckets);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[$%]")]
    private static partial Regex Word();
}
