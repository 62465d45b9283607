using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Pipeline.Ingestion.Deduplication;

/// <summary>
/// MinHash signatures over word 3-gram shingles (Broder): the share of equal positions in two signatures estimates the
/// Jaccard similarity of the two texts' shingle sets, so a re-syndicated story with a changed byline or footer is found
/// without comparing texts. Banded for lookup: <see cref="Bands"/> bands of <see cref="Rows"/> values each; two texts
/// with Jaccard 0.9 share at least one band with probability 0.9998, texts with Jaccard 0.3 with 0.06.
/// </summary>
public static class MinHash
{
    public const int Size = 32;
    public const int Bands = 8;
    public const int Rows = Size / Bands;
    public const int ShingleWords = 3;

    static readonly ulong[] Multipliers = Seeds(0x9E3779B97F4A7C15UL);
    static readonly ulong[] Increments = Seeds(0xD1B54A32D192ED03UL);

    /// <summary>The signature and the number of shingles it was made of (few shingles say too little).</summary>
    public static (uint[] Signature, int Shingles) Compute(string text)
    {
        var signature = new uint[Size];
        Array.Fill(signature, uint.MaxValue);
        Span<ulong> window = stackalloc ulong[ShingleWords];
        var words = 0;
        var shingles = 0;
        foreach (var word in Words(text))
        {
            window[words % ShingleWords] = word;
            words++;
            if (words < ShingleWords)
            {
                continue;
            }

            var shingle = Combine(window[(words - 3) % ShingleWords], window[(words - 2) % ShingleWords], window[(words - 1) % ShingleWords]);

            for (var i = 0; i < Size; i++)
            {
                // A cheap universal hash per position, of the already well-mixed shingle hash.
                var value = (uint)((shingle * Multipliers[i] + Increments[i]) >> 32);
                if (value < signature[i])
                {
                    signature[i] = value;
                }
            }

            shingles++;
        }

        return (signature, shingles);
    }

    /// <summary>Estimated Jaccard similarity: the share of equal positions.</summary>
    public static double Similarity(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var equal = 0;
        for (var i = 0; i < Size; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        return equal / (double)Size;
    }

    /// <summary>The lookup key of one band.</summary>
    public static ulong BandKey(ReadOnlySpan<uint> signature, int band) =>
        XxHash64.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(band * Rows, Rows)), band);

    /// <summary>Lower-cased letter-or-digit runs (at most 64 characters kept of each), each hashed with XxHash64.</summary>
    static List<ulong> Words(string text)
    {
        var words = new List<ulong>(text.Length / 5);
        Span<char> buffer = stackalloc char[64];
        var length = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < buffer.Length)
                {
                    buffer[length++] = char.ToLowerInvariant(c);
                }

                continue;
            }

            if (length > 0)
            {
                words.Add(XxHash64.HashToUInt64(MemoryMarshal.AsBytes(buffer[..length])));
                length = 0;
            }
        }

        return words;
    }

    /// <summary>An order-sensitive mix of three word hashes (rotations and odd multipliers, then a 64-bit finaliser).</summary>
    static ulong Combine(ulong a, ulong b, ulong c)
    {
        var h = (a * 0x9E3779B97F4A7C15UL) ^ (BitOperations.RotateLeft(b, 21) * 0xC2B2AE3D27D4EB4FUL) ^ (BitOperations.RotateLeft(c, 42) * 0x165667B19E3779F9UL);
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }

    /// <summary>Fixed odd multipliers and increments (SplitMix64), so signatures are the same in every process and across restarts.</summary>
    static ulong[] Seeds(ulong state)
    {
        var seeds = new ulong[Size];
        for (var i = 0; i < Size; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            seeds[i] = (z ^ (z >> 31)) | 1UL;
        }

        return seeds;
    }
}
