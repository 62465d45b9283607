using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// The compiled KB file (<c>*.kb</c>), little-endian, read through a read-only memory map and never deserialised whole:
/// <code>
/// header (4 KiB)      FileHeader: magic, version, counts, section offsets, header checksum
/// strings             UTF-8 strings, each a 7-bit-encoded byte length and the bytes; offset 0 is ""
/// entities            EntityEntry[EntityCount], by entity number
/// qid index           QidEntry[EntityCount], sorted by (QidKey, entity)
/// buckets             uint[2^BucketBits + 1]: the first key of each bucket (bucket = top bits of the key hash)
/// keys                KeyEntry[KeyCount], sorted by (hash, key)
/// key bytes           the UTF-8 keys
/// candidates          AliasCandidate[CandidateCount] (12 bytes: entity, prior, flags), most probable first per key
/// weights             float[CandidateCount]: each candidate's unnormalised weight (priors = weight / key total)
/// metadata            UTF-8 JSON: sources with their counts, counts by type
/// </code>
/// Sections start on 8-byte boundaries. A lookup is one hash, one bucket read and a short scan of adjacent keys.
/// </summary>
static class KnowledgeBaseFormat
{
    public const ulong Magic = 0x31424B454E494C50; // "PLINEKB1"

    public const int Version = 1;

    public const int HeaderSize = 4096;

    /// <summary>The candidates kept per key, most probable first; the priors stay normalised over all of them.</summary>
    public const int MaxCandidatesPerKey = 64;

    /// <summary>Keys longer than this (in UTF-8 bytes) are not indexed: no name in a text is that long.</summary>
    public const int MaxKeyBytes = 1024;

    public static ulong Hash(ReadOnlySpan<byte> utf8Key) => XxHash3.HashToUInt64(utf8Key);

    /// <summary>The QID index key: the Q-number for QIDs shaped Q123, else a hash with the top bit set (checked on lookup).</summary>
    public static ulong QidKey(ReadOnlySpan<char> qid)
    {
        if (qid.Length is >= 2 and <= 18 && qid[0] == 'Q' && qid[1] != '0')
        {
            ulong number = 0;
            var i = 1;
            for (; i < qid.Length && char.IsAsciiDigit(qid[i]); i++)
            {
                number = (number * 10) + (ulong)(qid[i] - '0');
            }

            if (i == qid.Length)
            {
                return number;
            }
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(qid.Length, 256))];
        var length = Encoding.UTF8.GetBytes(qid[..Math.Min(qid.Length, 256)], utf8);
        return XxHash64.HashToUInt64(utf8[..length]) | (1UL << 63);
    }

    public static long Align(long offset) => (offset + 7) & ~7L;
}

[Flags]
enum EntityFlags : byte
{
    None = 0,
    Country = 1,

    /// <summary>The entity has names a text may use (<see cref="AliasForms.IsNamedEntity"/>).</summary>
    Named = 2,
}

[StructLayout(LayoutKind.Sequential, Pack = 8)]
struct FileHeader
{
    public ulong Magic;
    public int Version;
    public int EntityCount;
    public long KeyCount;
    public long CandidateCount;
    public int BucketBits;
    public int MaxAliasTokens;
    public long FileLength;
    public long StringsOffset;
    public long StringsLength;
    public long EntitiesOffset;
    public long QidIndexOffset;
    public long BucketsOffset;
    public long KeysOffset;
    public long KeyBytesOffset;
    public long KeyBytesLength;
    public long CandidatesOffset;
    public long WeightsOffset;
    public long MetadataOffset;
    public long MetadataLength;

    /// <summary>XxHash64 of the header bytes before this field.</summary>
    public ulong Checksum;

    public static int ChecksummedLength => (int)Marshal.OffsetOf<FileHeader>(nameof(Checksum));

    public readonly ulong ComputeChecksum()
    {
        var copy = this;
        return XxHash64.HashToUInt64(MemoryMarshal.AsBytes(new ReadOnlySpan<FileHeader>(ref copy))[..ChecksummedLength]);
    }
}

[StructLayout(LayoutKind.Sequential, Pack = 4)]
struct EntityEntry
{
    public long Qid;
    public long Label;
    public long Description;
    public float Popularity;
    public EntityType Type;
    public EntityFlags Flags;
    public byte Source;
    public byte Reserved;
}

[StructLayout(LayoutKind.Sequential, Pack = 8)]
struct QidEntry
{
    public ulong Key;
    public int Entity;
    public int Reserved;
}

[StructLayout(LayoutKind.Sequential, Pack = 8)]
struct KeyEntry
{
    public ulong Hash;
    public long KeyOffset;
    public uint CandidateStart;
    public ushort CandidateCount;
    public ushort KeyLength;

    /// <summary>The sum of the weights of all the key's candidates, also those beyond <see cref="KnowledgeBaseFormat.MaxCandidatesPerKey"/>.</summary>
    public double Total;
}

/// <summary>What a compiled file says about itself: its sources and counts (the metadata section).</summary>
public sealed record KnowledgeBaseMetadata(IReadOnlyList<KnowledgeBaseSourceCount> Sources, IReadOnlyDictionary<string, int> EntitiesByType, int NamedEntities);

/// <summary>One source read by the compiler: its records, and the entities it added first (a QID already seen is merged).</summary>
public sealed record KnowledgeBaseSourceCount(string Name, long Records, int Entities);
