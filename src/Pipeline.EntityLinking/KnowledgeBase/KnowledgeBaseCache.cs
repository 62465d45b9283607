using System.Security.Cryptography;
using System.Text;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// A binary image of a built <see cref="EntityKnowledgeBase"/> (entities and the alias index with priors), so a
/// service start reads it instead of re-parsing and re-indexing the TSV files. The file name is a hash of the
/// sources' paths, sizes and modification times, so a changed KB is rebuilt rather than read stale.
/// </summary>
public static class KnowledgeBaseCache
{
    const string Magic = "PIPELINE-KB";
    const int FormatVersion = 16;

    public static string FileName(IEnumerable<string> sources)
    {
        var signature = new StringBuilder().Append(FormatVersion).Append('\n');
        foreach (var source in sources.Select(Path.GetFullPath).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(source);
            signature.Append(source).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        return "kb-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signature.ToString())))[..20] + ".bin";
    }

    public static void Write(EntityKnowledgeBase kb, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + "." + Environment.ProcessId + ".tmp";
        using (var stream = new BufferedStream(File.Create(temporary), 1 << 16))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(kb.Count);
            for (var i = 0; i < kb.Count; i++)
            {
                writer.Write(kb.Qids[i]);
                writer.Write(kb.Labels[i]);
                writer.Write(kb.Descriptions[i]);
                writer.Write((byte)kb.Types[i]);
                writer.Write(kb.Popularity[i]);
            }

            writer.Write(kb.AliasCount);
            foreach (var (key, candidates) in kb.Aliases)
            {
                writer.Write(key);
                writer.Write7BitEncodedInt(candidates.Length);
                foreach (var candidate in candidates)
                {
                    writer.Write7BitEncodedInt(candidate.Entity);
                    writer.Write(candidate.Prior);
                    writer.Write((byte)candidate.Flags);
                }
            }
        }

        // Atomic replace: a concurrent reader sees the old file or the whole new one.
        File.Move(temporary, path, overwrite: true);
    }

    public static EntityKnowledgeBase? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion)
            {
                return null;
            }

            var count = reader.ReadInt32();
            var qids = new string[count];
            var labels = new string[count];
            var descriptions = new string[count];
            var types = new EntityType[count];
            var popularity = new float[count];
            for (var i = 0; i < count; i++)
            {
                qids[i] = reader.ReadString();
                labels[i] = reader.ReadString();
                descriptions[i] = reader.ReadString();
                types[i] = (EntityType)reader.ReadByte();
                popularity[i] = reader.ReadSingle();
            }

            var aliasCount = reader.ReadInt32();
            var aliases = new Dictionary<string, AliasCandidate[]>(aliasCount, StringComparer.Ordinal);
            for (var a = 0; a < aliasCount; a++)
            {
                var key = reader.ReadString();
                var candidates = new AliasCandidate[reader.Read7BitEncodedInt()];
                for (var c = 0; c < candidates.Length; c++)
                {
                    candidates[c] = new AliasCandidate(reader.Read7BitEncodedInt(), reader.ReadSingle(), (AliasFlags)reader.ReadByte());
                }

                aliases[key] = candidates;
            }

            return new EntityKnowledgeBase(qids, labels, descriptions, types, popularity, aliases);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or FormatException)
        {
            return null; // a truncated or foreign file is rebuilt
        }
    }
}
