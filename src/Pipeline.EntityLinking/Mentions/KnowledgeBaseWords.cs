using System.Buffers.Binary;
using System.Text;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// What the KB says about single words: for each word of at least <see cref="MinAliases"/> KB surface forms, the
/// type most of those forms name, how clearly, and how often. It tells the tagger about name words GUM never shows it
/// ("Lotte" names people, "Fjord" places, "Holdings" companies), also for names the KB does not list whole. Built
/// from the KB at training time and stored with the weights, so tagging does not depend on which KB is at hand.
/// </summary>
internal sealed class KnowledgeBaseWords
{
    /// <summary>Words in fewer KB forms are left out: rare words say little, and the table stays small.</summary>
    public const int MinAliases = 3;

    readonly Dictionary<ulong, byte> _codes;

    KnowledgeBaseWords(Dictionary<ulong, byte> codes) => _codes = codes;

    public static KnowledgeBaseWords Empty { get; } = new([]);

    public int Count => _codes.Count;

    /// <summary>0 for a word the table lacks; else bits 0-2 the type (<see cref="EntityType"/>), 3-4 how pure (share of forms of that type: &lt; 0.5, 0.8, 0.95, more), 5-7 log2 of the number of forms (at most 7).</summary>
    public byte Code(ulong word) => _codes.GetValueOrDefault(word);

    /// <summary>The hash a word is looked up by: <see cref="FeatureHash.Lower"/> of its KB normalisation (lower case, no diacritics).</summary>
    public static ulong Key(ReadOnlySpan<char> token, StringBuilder scratch)
    {
        foreach (var c in token)
        {
            if (c >= 128)
            {
                scratch.Clear();
                SurfaceForms.AppendToken(scratch, token);
                Span<char> folded = stackalloc char[Math.Min(scratch.Length, 256)];
                scratch.CopyTo(0, folded, folded.Length);
                return FeatureHash.Lower(folded);
            }
        }

        return FeatureHash.Lower(token);
    }

    public static KnowledgeBaseWords Build(EntityKnowledgeBase kb)
    {
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (key, candidates) in kb.Aliases)
        {
            var type = kb.Types[candidates[0].Entity];
            if (type == EntityType.Unknown)
            {
                continue;
            }

            foreach (var word in key.Split(' '))
            {
                if (!counts.TryGetValue(word, out var perType))
                {
                    counts[word] = perType = new int[5];
                }

                perType[(int)type]++;
            }
        }

        var codes = new Dictionary<ulong, byte>();
        foreach (var (word, perType) in counts)
        {
            var total = perType.Sum();
            if (total < MinAliases)
            {
                continue;
            }

            var type = 1;
            for (var t = 2; t < perType.Length; t++)
            {
                type = perType[t] > perType[type] ? t : type;
            }

            var share = perType[type] / (double)total;
            var purity = share >= 0.95 ? 3 : share >= 0.8 ? 2 : share >= 0.5 ? 1 : 0;
            var frequency = Math.Min(7, (int)Math.Log2(total));
            codes[FeatureHash.Lower(word)] = (byte)(type | (purity << 3) | (frequency << 5));
        }

        return new KnowledgeBaseWords(codes);
    }

    /// <summary>The count, then (ascending hash) each word's 64-bit hash and code.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(_codes.Count);
        foreach (var (word, code) in _codes.OrderBy(c => c.Key))
        {
            writer.Write(word);
            writer.Write(code);
        }
    }

    public static KnowledgeBaseWords Read(ReadOnlySpan<byte> data, ref int at)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        at += 4;
        var codes = new Dictionary<ulong, byte>(count);
        for (var i = 0; i < count; i++)
        {
            codes.Add(BinaryPrimitives.ReadUInt64LittleEndian(data[at..]), data[at + 8]);
            at += 9;
        }

        return new KnowledgeBaseWords(codes);
    }
}
