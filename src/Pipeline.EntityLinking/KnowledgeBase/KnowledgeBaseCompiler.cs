using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>Settings of a <see cref="KnowledgeBaseCompiler"/>.</summary>
public sealed class KnowledgeBaseCompilerOptions
{
    /// <summary>Alias entries sorted in memory at once (~40 bytes each); more are sorted in runs on disk and merged.</summary>
    public int ChunkEntries { get; init; } = 4_000_000;

    /// <summary>Where the spool and sort runs go; default: beside the output file.</summary>
    public string? TemporaryDirectory { get; init; }

    /// <summary>Called every 100,000 entities added and at each phase of <see cref="KnowledgeBaseCompiler.Complete"/>.</summary>
    public Action<KnowledgeBaseCompileProgress>? Progress { get; init; }
}

/// <summary>How far a compilation is: the phase (reading, forms, sorting, writing), entities added so far, and work done in the phase.</summary>
public readonly record struct KnowledgeBaseCompileProgress(string Phase, int Entities, long Done);

/// <summary>What <see cref="KnowledgeBaseCompiler.Complete"/> wrote.</summary>
public sealed record KnowledgeBaseCompileResult(string Path, int Entities, long AliasKeys, long Candidates, long Records, int SortRuns, long FileBytes);

/// <summary>
/// Compiles entity records into a KB file (<see cref="KnowledgeBaseFormat"/>) with bounded memory: per-entity fixed
/// fields in arrays (~40 bytes an entity, with the QID map), strings straight into the output file, records spooled to
/// a temporary file, and the alias index through an external sort (<see cref="AliasEntrySorter"/>). Records with the
/// same QID merge: the first non-empty label and description and the first known type win, the largest popularity,
/// the union of names. The names of an entity that is in several records are held in memory once all are read
/// (rare within one dump; a concern only when large sources overlap).
/// </summary>
public sealed class KnowledgeBaseCompiler : IDisposable
{
    readonly string _output;
    readonly string _temporaryFile;
    readonly string _work;
    readonly KnowledgeBaseCompilerOptions _options;
    readonly FileStream _file;
    readonly BufferedStream _strings;
    readonly BinaryWriter _stringWriter;
    readonly BinaryWriter _spool;
    readonly QidNumberTable _byNumber = new();
    readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    readonly Dictionary<string, EntityType> _typeFixes = new(StringComparer.Ordinal);
    readonly List<(string Name, long Records, int Entities)> _sources = [];
    long _stringsLength;
    long _records;
    readonly BlockArray<long> _qid = new();
    readonly BlockArray<long> _label = new();
    readonly BlockArray<long> _description = new();
    readonly BlockArray<float> _popularity = new();
    readonly BlockArray<EntityType> _type = new();
    readonly BlockArray<EntityFlags> _flags = new();
    readonly BlockArray<byte> _source = new();
    readonly BlockArray<bool> _merged = new();
    bool _completed;

    public KnowledgeBaseCompiler(string outputPath, KnowledgeBaseCompilerOptions? options = null)
    {
        _options = options ?? new KnowledgeBaseCompilerOptions();
        _output = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(_output)!);
        var stamp = $"{Environment.ProcessId}.{Guid.NewGuid():N}";
        _temporaryFile = _output + "." + stamp + ".tmp";
        _work = Path.Combine(_options.TemporaryDirectory ?? Path.GetDirectoryName(_output)!, Path.GetFileName(_output) + "." + stamp + ".work");
        Directory.CreateDirectory(_work);
        _file = new FileStream(_temporaryFile, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1);
        _file.SetLength(KnowledgeBaseFormat.HeaderSize);
        _file.Position = KnowledgeBaseFormat.HeaderSize;
        _strings = new BufferedStream(_file, 1 << 20);
        _stringWriter = new BinaryWriter(_strings, Encoding.UTF8, leaveOpen: true);
        _spool = new BinaryWriter(new BufferedStream(File.Create(Path.Combine(_work, "records.spool")), 1 << 20), Encoding.UTF8);
        WriteString(""); // offset 0 is the empty string
    }

    /// <summary>Entities so far (records with a known QID merge into one).</summary>
    public int EntityCount { get; private set; }

    /// <summary>Names the source of the records added from now on (counted per source in the file's metadata).</summary>
    public void BeginSource(string name)
    {
        if (_sources.Count == byte.MaxValue)
        {
            throw new InvalidOperationException($"A KB file holds at most {byte.MaxValue} sources.");
        }

        _sources.Add((name, 0, 0));
    }

    /// <summary>Overrides the coarse type of a QID (applied at <see cref="Complete"/>, whenever the QID's records come; the last fix wins).</summary>
    public void AddTypeFix(string qid, EntityType type) => _typeFixes[qid] = type;

    public void Add(EntityRecord record)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_sources.Count == 0)
        {
            BeginSource("records");
        }

        var source = _sources.Count - 1;
        _sources[source] = _sources[source] with { Records = _sources[source].Records + 1 };
        _records++;
        var entity = Find(record.Qid, out var known);
        if (!known)
        {
            entity = EntityCount++;
            Remember(record.Qid, entity);
            _qid[entity] = WriteString(record.Qid);
            _label[entity] = WriteString(record.Label);
            _description[entity] = WriteString(record.Description);
            _popularity[entity] = record.Popularity;
            _type[entity] = record.Type;
            _flags[entity] = record.IsCountry ? EntityFlags.Country : EntityFlags.None;
            _source[entity] = (byte)source;
            _sources[source] = _sources[source] with { Entities = _sources[source].Entities + 1 };
            if (EntityCount % 100_000 == 0)
            {
                _options.Progress?.Invoke(new KnowledgeBaseCompileProgress("reading", EntityCount, _records));
            }
        }
        else
        {
            _merged[entity] = true;
            if (_label[entity] == 0 && record.Label.Length > 0)
            {
                _label[entity] = WriteString(record.Label);
            }

            if (_description[entity] == 0 && record.Description.Length > 0)
            {
                _description[entity] = WriteString(record.Description);
            }

            if (_type[entity] == EntityType.Unknown)
            {
                _type[entity] = record.Type;
            }

            _popularity[entity] = Math.Max(_popularity[entity], record.Popularity);
            _flags[entity] |= record.IsCountry ? EntityFlags.Country : EntityFlags.None;
        }

        _spool.Write(entity);
        _spool.Write(record.Qid);
        _spool.Write(record.Label);
        _spool.Write(record.Description);
        _spool.Write(record.EnwikiTitle ?? "");
        _spool.Write(record.Aliases.Count);
        foreach (var alias in record.Aliases)
        {
            _spool.Write(alias);
        }
    }

    int Find(string qid, out bool known)
    {
        var key = KnowledgeBaseFormat.QidKey(qid);
        known = key >> 63 == 0 ? _byNumber.TryGetValue(key, out var entity) : _byName.TryGetValue(qid, out entity);
        return entity;
    }

    void Remember(string qid, int entity)
    {
        var key = KnowledgeBaseFormat.QidKey(qid);
        if (key >> 63 == 0)
        {
            _byNumber.Add(key, entity);
        }
        else
        {
            _byName[qid] = entity;
        }
    }

    long WriteString(string text)
    {
        if (text.Length == 0 && _stringsLength > 0)
        {
            return 0;
        }

        var offset = _stringsLength;
        _stringWriter.Write(text); // the UTF-8 length, 7 bits a byte, then the UTF-8 bytes (what KnowledgeBaseFile reads)
        _stringsLength = _strings.Position - KnowledgeBaseFormat.HeaderSize;
        return offset;
    }

    sealed record SpoolRecord(int Entity, string Qid, string Label, string Description, string Title, string[] Aliases);

    static IEnumerable<SpoolRecord> ReadSpool(string path)
    {
        using var reader = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 20), Encoding.UTF8);
        var length = reader.BaseStream.Length;
        while (reader.BaseStream.Position < length)
        {
            var entity = reader.ReadInt32();
            var qid = reader.ReadString();
            var label = reader.ReadString();
            var description = reader.ReadString();
            var title = reader.ReadString();
            var aliases = new string[reader.ReadInt32()];
            for (var a = 0; a < aliases.Length; a++)
            {
                aliases[a] = reader.ReadString();
            }

            yield return new SpoolRecord(entity, qid, label, description, title, aliases);
        }
    }

    /// <summary>The entity over all its records, as the forms are made of it.</summary>
    AliasForms.Entity Merge(IReadOnlyList<SpoolRecord> records)
    {
        var first = records[0];
        var surfaces = new List<(string, bool)>();
        foreach (var record in records)
        {
            if (record.Label.Length > 0)
            {
                surfaces.Add((record.Label, true));
            }

            foreach (var alias in record.Aliases)
            {
                surfaces.Add((alias, false));
            }

            // A Wikipedia title without a disambiguating parenthesis is how the entity is usually named.
            if (record.Title.Length > 0 && !record.Title.Contains('(', StringComparison.Ordinal))
            {
                surfaces.Add((record.Title, false));
            }
        }

        var label = records.Select(r => r.Label).FirstOrDefault(l => l.Length > 0) ?? first.Qid;
        var description = records.Select(r => r.Description).FirstOrDefault(d => d.Length > 0) ?? "";
        // The type fixes are already in _type: Complete applies them before it merges any record.
        return new AliasForms.Entity(first.Entity, label, description, _type[first.Entity], surfaces);
    }

    /// <summary>Makes the alias index, writes the file (to a temporary name, then moved over the output) and returns what it holds.</summary>
    public KnowledgeBaseCompileResult Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        _spool.Dispose();
        var spool = Path.Combine(_work, "records.spool");
        foreach (var (qid, type) in _typeFixes)
        {
            if (Find(qid, out var known) is var entity && known)
            {
                _type[entity] = type;
            }
        }

        // Pass 1: the records of entities in several records, and of countries (their names qualify other names).
        Report("forms", 0);
        var held = new Dictionary<int, List<SpoolRecord>>();
        foreach (var record in ReadSpool(spool))
        {
            if (_merged[record.Entity] || (_flags[record.Entity] & EntityFlags.Country) != 0)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(held, record.Entity, out _) ??= [];
                held[record.Entity].Add(record);
            }
        }

        var countries = held.Where(h => (_flags[h.Key] & EntityFlags.Country) != 0).OrderBy(h => h.Key).Select(h => Merge(h.Value))
            .Where(e => AliasForms.IsNamedEntity(e.Label, e.Description)).ToList();
        var variants = new NameVariants(countries.Select(c => (c.Index, c.Surfaces.Select(s => s.Surface))));

        // Pass 2: every entity's forms, into the external sort.
        using var sorter = new AliasEntrySorter(_work, _options.ChunkEntries);
        var single = new SpoolRecord[1];
        long done = 0;
        foreach (var record in ReadSpool(spool))
        {
            AliasForms.Entity entity;
            if (_merged[record.Entity] || (_flags[record.Entity] & EntityFlags.Country) != 0)
            {
                if (!held.Remove(record.Entity, out var records))
                {
                    continue; // made at the entity's first record, from all of them
                }

                entity = Merge(records);
            }
            else
            {
                single[0] = record;
                entity = Merge(single);
            }

            if (AliasForms.IsNamedEntity(entity.Label, entity.Description))
            {
                _flags[entity.Index] |= EntityFlags.Named;
            }

            AliasForms.Generate(entity, variants, (key, phase, flags, upper) => sorter.Add(key, entity.Index, phase, flags | (upper ? AliasFlags.UpperCase : AliasFlags.None)));
            if (++done % 100_000 == 0)
            {
                Report("forms", done);
            }
        }

        held.Clear();
        File.Delete(spool);
        Report("sorting", sorter.Count);
        _strings.Flush();
        var header = new FileHeader
        {
            Magic = KnowledgeBaseFormat.Magic,
            Version = KnowledgeBaseFormat.Version,
            EntityCount = EntityCount,
            StringsOffset = KnowledgeBaseFormat.HeaderSize,
            StringsLength = _stringsLength,
        };
        using var output = new BufferedStream(_file, 1 << 20);
        output.Position = Pad(output, KnowledgeBaseFormat.HeaderSize + _stringsLength);
        header.EntitiesOffset = output.Position;
        WriteEntities(output);
        header.QidIndexOffset = Pad(output, output.Position);
        WriteQidIndex(output);
        using (var sections = WriteAliases(sorter, ref header))
        {
            header.BucketsOffset = sections.AppendTo(output, AliasSections.Buckets);
            header.KeysOffset = sections.AppendTo(output, AliasSections.Keys);
            header.KeyBytesOffset = sections.AppendTo(output, AliasSections.KeyBytes);
            header.CandidatesOffset = sections.AppendTo(output, AliasSections.Candidates);
            header.WeightsOffset = sections.AppendTo(output, AliasSections.Weights);
        }

        header.MetadataOffset = Pad(output, output.Position);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(Metadata());
        output.Write(metadata);
        header.MetadataLength = metadata.Length;
        header.FileLength = output.Position;
        header.Checksum = header.ComputeChecksum();
        output.Position = 0;
        output.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<FileHeader>(ref header)));
        output.Flush();
        _file.Flush(flushToDisk: false);
        _file.Dispose();
        File.Move(_temporaryFile, _output, overwrite: true);
        Report("done", header.CandidateCount);
        return new KnowledgeBaseCompileResult(_output, EntityCount, header.KeyCount, header.CandidateCount, _records, sorter.Runs, header.FileLength);
    }

    void Report(string phase, long done) => _options.Progress?.Invoke(new KnowledgeBaseCompileProgress(phase, EntityCount, done));

    static long Pad(Stream stream, long position)
    {
        var aligned = KnowledgeBaseFormat.Align(position);
        stream.Position = position;
        for (var p = position; p < aligned; p++)
        {
            stream.WriteByte(0);
        }

        return aligned;
    }

    static void Write<T>(Stream stream, in T value)
        where T : unmanaged => stream.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    void WriteEntities(Stream output)
    {
        for (var e = 0; e < EntityCount; e++)
        {
            Write(output, new EntityEntry
            {
                Qid = _qid[e],
                Label = _label[e] != 0 ? _label[e] : _qid[e],
                Description = _description[e],
                Popularity = _popularity[e],
                Type = _type[e],
                Flags = _flags[e],
                Source = _source[e],
            });
        }

        // Only the popularity is read again (by the priors).
        _qid.Clear();
        _label.Clear();
        _description.Clear();
        _source.Clear();
        _merged.Clear();
    }

    void WriteQidIndex(Stream output)
    {
        var index = new QidEntry[EntityCount];
        var n = 0;
        foreach (var (key, entity) in _byNumber.Entries())
        {
            index[n++] = new QidEntry { Key = key, Entity = entity };
        }

        foreach (var (qid, entity) in _byName)
        {
            index[n++] = new QidEntry { Key = KnowledgeBaseFormat.QidKey(qid), Entity = entity };
        }

        _byNumber.Clear();
        index.AsSpan().Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Entity.CompareTo(b.Entity));
        output.Write(MemoryMarshal.AsBytes(index.AsSpan()));
    }

    /// <summary>The alias sections, each in a file of its own until they are appended.</summary>
    sealed class AliasSections : IDisposable
    {
        public const int Buckets = 0, Keys = 1, KeyBytes = 2, Candidates = 3, Weights = 4;

        readonly string[] _paths;

        public AliasSections(string directory)
        {
            _paths = [.. new[] { "buckets", "keys", "keybytes", "candidates", "weights" }.Select(name => Path.Combine(directory, name + ".section"))];
            Writers = [.. _paths.Select(path => new BinaryWriter(new BufferedStream(File.Create(path), 1 << 20)))];
        }

        public BinaryWriter[] Writers { get; }

        public void Close() => Array.ForEach(Writers, w => w.Dispose());

        /// <summary>Copies a section to the end of the output, 8-byte aligned; returns where it starts.</summary>
        public long AppendTo(Stream output, int section)
        {
            var offset = Pad(output, output.Position);
            using (var stream = File.OpenRead(_paths[section]))
            {
                stream.CopyTo(output, 1 << 20);
            }

            File.Delete(_paths[section]);
            return offset;
        }

        public void Dispose()
        {
            Close();
            Array.ForEach(_paths, File.Delete);
        }
    }

    AliasSections WriteAliases(AliasEntrySorter sorter, ref FileHeader header)
    {
        var sections = new AliasSections(_work);
        var bits = 1;
        while (bits < 40 && 1L << bits < Math.Max(1, sorter.Count / 2))
        {
            bits++;
        }

        long keys = 0;
        long candidates = 0;
        long keyBytes = 0;
        long nextBucket = 0;
        var maxTokens = 1;
        var made = new List<(AliasForms.Phase Phase, AliasForms.FormEntry Entry)>();
        var entries = new List<AliasForms.FormEntry>();
        sorter.Merge((hash, key, items) =>
        {
            for (var bucket = (long)(hash >> (64 - bits)); nextBucket <= bucket; nextBucket++)
            {
                sections.Writers[AliasSections.Buckets].Write((uint)keys);
            }

            // An entity's entry is made by the earliest phase that made the key for it; the listed forms' flags combine.
            made.Clear();
            for (var i = 0; i < items.Count;)
            {
                var first = items[i];
                var flags = AliasFlags.None;
                var upper = true;
                for (; i < items.Count && items[i].Entity == first.Entity; i++)
                {
                    if (items[i].Phase == first.Phase)
                    {
                        flags |= items[i].Flags & ~AliasFlags.UpperCase;
                        upper &= (items[i].Flags & AliasFlags.UpperCase) != 0;
                    }
                }

                made.Add((first.Phase, new AliasForms.FormEntry(first.Entity, flags, upper, AliasForms.Weight(first.Phase))));
            }

            made.Sort((a, b) => a.Phase != b.Phase ? a.Phase.CompareTo(b.Phase) : a.Entry.Entity.CompareTo(b.Entry.Entity));
            entries.Clear();
            entries.AddRange(made.Select(m => m.Entry));
            var (priors, total) = AliasForms.Priors(entries, e => _popularity[e]);
            var kept = Math.Min(priors.Length, KnowledgeBaseFormat.MaxCandidatesPerKey);
            Write(sections.Writers[AliasSections.Keys].BaseStream, new KeyEntry
            {
                Hash = hash,
                KeyOffset = keyBytes,
                KeyLength = (ushort)key.Length,
                CandidateStart = (uint)candidates,
                CandidateCount = (ushort)kept,
                Total = total,
            });
            sections.Writers[AliasSections.KeyBytes].Write(key);
            for (var c = 0; c < kept; c++)
            {
                var candidate = sections.Writers[AliasSections.Candidates];
                candidate.Write(priors[c].Entity);
                candidate.Write(priors[c].Prior);
                candidate.Write((byte)priors[c].Flags);
                candidate.Write((byte)0);
                candidate.Write((ushort)0);
                sections.Writers[AliasSections.Weights].Write((float)AliasForms.Weight(_popularity[priors[c].Entity], priors[c].Flags));
            }

            maxTokens = Math.Max(maxTokens, key.Count((byte)' ') + 1);
            keys++;
            candidates += kept;
            keyBytes += key.Length;
            if (keys % 1_000_000 == 0)
            {
                Report("writing", keys);
            }
        });
        for (; nextBucket <= 1L << bits; nextBucket++)
        {
            sections.Writers[AliasSections.Buckets].Write((uint)keys);
        }

        sections.Close();
        header.KeyCount = keys;
        header.CandidateCount = candidates;
        header.KeyBytesLength = keyBytes;
        header.BucketBits = bits;
        header.MaxAliasTokens = Math.Min(maxTokens, AliasForms.MaxTokensPerAlias);
        return sections;
    }

    KnowledgeBaseMetadata Metadata() => new(
        [.. _sources.Select(s => new KnowledgeBaseSourceCount(s.Name, s.Records, s.Entities))],
        Enum.GetValues<EntityType>().ToDictionary(t => t.ToTsv(), t => Enumerable.Range(0, EntityCount).Count(e => _type[e] == t)),
        Enumerable.Range(0, EntityCount).Count(e => (_flags[e] & EntityFlags.Named) != 0));

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _spool.Dispose();
            _file.Dispose();
            File.Delete(_temporaryFile);
        }

        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }
}
