using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.ClaimTagging.Offline;

/// <summary>
/// Check-worthiness probabilities of sentences seen before (bylines, boilerplate, syndicated copy), bounded: the least
/// recently used entry goes when it is full. Keyed by the SHA-256 of the model version and the sentence, so a
/// retrained model never reads an older model's scores. Only for models whose score of a sentence does not depend on
/// its neighbours. Thread-safe.
/// </summary>
public sealed class SentenceScoreCache(string modelVersion, int capacity)
{
    readonly Dictionary<UInt128, LinkedListNode<(UInt128 Key, double Probability)>> entries = [];
    readonly LinkedList<(UInt128 Key, double Probability)> recency = [];
    readonly Lock gate = new();
    long hits;
    long misses;

    public int Capacity { get; } = capacity;

    public long Hits => Interlocked.Read(ref hits);

    public long Misses => Interlocked.Read(ref misses);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public UInt128 KeyOf(string sentence)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(modelVersion + "\n" + sentence), hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }

    public bool TryGet(UInt128 key, out double probability)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                probability = node.Value.Probability;
                hits++;
                return true;
            }

            misses++;
            probability = 0;
            return false;
        }
    }

    public void Add(UInt128 key, double probability)
    {
        if (Capacity == 0)
        {
            return;
        }

        lock (gate)
        {
            if (entries.TryGetValue(key, out var existing))
            {
                recency.Remove(existing);
            }
            else if (entries.Count >= Capacity && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                entries.Remove(oldest.Value.Key);
            }

            entries[key] = recency.AddFirst((key, probability));
        }
    }
}
