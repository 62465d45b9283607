using System.Collections;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// The knowledge base the linker reads: one or more compiled KB files (<see cref="KnowledgeBaseCompiler"/>), mapped
/// read-only, in priority order. Entities are numbered across the files (the first file's, then the second's, ...);
/// the alias index maps a normalised surface form (<see cref="SurfaceForms.Key"/>) to its candidates with priors, most
/// likely first. With several files a key's candidates are the union over them, a QID kept once, as the entity of
/// the first file that has it (its label, description and type win), and the priors renormalised over the merged
/// list. Safe for concurrent readers; a span from <see cref="Candidates(ReadOnlySpan{char})"/> is valid until the KB
/// is disposed.
/// </summary>
public sealed class EntityKnowledgeBase : IDisposable
{
    readonly KnowledgeBaseFile[] _files;
    readonly int[] _first;

    EntityKnowledgeBase(KnowledgeBaseFile[] files)
    {
        _files = files;
        _first = new int[files.Length];
        var count = 0L;
        for (var f = 0; f < files.Length; f++)
        {
            _first[f] = (int)count;
            count += files[f].Count;
        }

        Count = count <= int.MaxValue ? (int)count : throw new InvalidDataException("The KB files hold more than 2^31 entities together.");
        MaxAliasTokens = files.Length == 0 ? 1 : files.Max(f => f.MaxAliasTokens);
        AliasCount = (int)Math.Min(int.MaxValue, files.Sum(f => f.KeyCount));
        Qids = new(this, static (f, e) => f.Qid(e));
        Labels = new(this, static (f, e) => f.Label(e));
        Descriptions = new(this, static (f, e) => f.Description(e));
        Types = new(this, static (f, e) => f.Type(e));
        Popularity = new(this, static (f, e) => f.Popularity(e));
        Files = [.. files.Select(f => new KnowledgeBaseFileInfo(f.Path, f.FileBytes, f.Count, f.KeyCount, f.CandidateCount, f.Metadata))];
    }

    /// <summary>Opens compiled KB files, the first with the highest priority; a missing or unusable one is an <see cref="InvalidDataException"/> naming it.</summary>
    public static EntityKnowledgeBase Open(params IReadOnlyList<string> paths)
    {
        var files = new List<KnowledgeBaseFile>();
        try
        {
            foreach (var path in paths)
            {
                files.Add(KnowledgeBaseFile.Open(path));
            }

            return new EntityKnowledgeBase([.. files]);
        }
        catch
        {
            files.ForEach(f => f.Dispose());
            throw;
        }
    }

    internal static EntityKnowledgeBase Of(IReadOnlyList<KnowledgeBaseFile> files) => new([.. files]);

    /// <summary>
    /// Compiles records into a temporary KB file and opens it (the file is unlinked once mapped): small KBs in tests
    /// and tools, through the same compiler as the service's.
    /// </summary>
    public static EntityKnowledgeBase Build(IEnumerable<EntityRecord> records, IReadOnlyDictionary<string, EntityType>? typeFixes = null) =>
        KnowledgeBaseLoader.CompileToTemporary(
            (path, options) =>
            {
                using var compiler = new KnowledgeBaseCompiler(path, options);
                foreach (var record in records)
                {
                    compiler.Add(record);
                }

                foreach (var (qid, type) in typeFixes ?? new Dictionary<string, EntityType>())
                {
                    compiler.AddTypeFix(qid, type);
                }

                compiler.Complete();
            },
            path => Open(path));

    /// <summary>Longer aliases are not indexed: names of more tokens are rare and would only slow the scan.</summary>
    public const int MaxTokensPerAlias = AliasForms.MaxTokensPerAlias;

    public EntityColumn<string> Qids { get; }

    public EntityColumn<string> Labels { get; }

    public EntityColumn<string> Descriptions { get; }

    public EntityColumn<EntityType> Types { get; }

    public EntityColumn<float> Popularity { get; }

    public int Count { get; }

    /// <summary>Keys in the alias index (summed over the files: a key in two files counts twice).</summary>
    public int AliasCount { get; }

    /// <summary>Tokens of the longest key (at most <see cref="MaxTokensPerAlias"/>).</summary>
    public int MaxAliasTokens { get; }

    /// <summary>The files, highest priority first, with what each holds.</summary>
    public IReadOnlyList<KnowledgeBaseFileInfo> Files { get; }

    public bool Contains(string qid) => IndexOf(qid) >= 0;

    /// <summary>The entity with this QID (from the first file that has it), or -1.</summary>
    public int IndexOf(string qid)
    {
        for (var f = 0; f < _files.Length; f++)
        {
            if (_files[f].IndexOf(qid) is >= 0 and var local)
            {
                return _first[f] + local;
            }
        }

        return -1;
    }

    public ReadOnlySpan<AliasCandidate> Candidates(string key) => Candidates(key.AsSpan());

    /// <summary>The candidates of a normalised key, most probable first; empty when no file has the key.</summary>
    public ReadOnlySpan<AliasCandidate> Candidates(ReadOnlySpan<char> key) =>
        _files.Length == 1 ? _files[0].Candidates(key) : _files.Length == 0 ? [] : OfSeveral(key);

    /// <summary>
    /// With several files: when only the first (highest-priority) file knows the key — nearly every hit when a large KB
    /// backs the bundled one — its candidates are the answer as they are (its entity numbers are the global ones, its
    /// priors are normalised over the same total the merge would use), a span over its pages with nothing copied.
    /// Each file is probed once: the merge reuses where the key is in each file.
    /// </summary>
    ReadOnlySpan<AliasCandidate> OfSeveral(ReadOnlySpan<char> key)
    {
        Span<long> keyIndexes = _files.Length <= 16 ? stackalloc long[_files.Length] : new long[_files.Length];
        var merge = false;
        for (var f = 0; f < _files.Length; f++)
        {
            keyIndexes[f] = _files[f].KeyIndex(key);
            merge |= f > 0 && keyIndexes[f] >= 0 && !_files[f].Candidates(keyIndexes[f]).IsEmpty;
        }

        return merge ? Merged(keyIndexes) : keyIndexes[0] >= 0 ? _files[0].Candidates(keyIndexes[0]) : [];
    }

    /// <summary>Every key with its candidates (at training time: this reads the whole index).</summary>
    public IEnumerable<(string Key, AliasCandidate[] Candidates)> Aliases
    {
        get
        {
            HashSet<string>? seen = _files.Length > 1 ? new(StringComparer.Ordinal) : null;
            foreach (var file in _files)
            {
                foreach (var key in file.Keys())
                {
                    if (seen is null || seen.Add(key))
                    {
                        yield return (key, Candidates(key).ToArray());
                    }
                }
            }
        }
    }

    /// <summary>The merged candidates of a key, from where it is in each file (-1: not there).</summary>
    AliasCandidate[] Merged(ReadOnlySpan<long> keyIndexes)
    {
        List<AliasCandidate>? merged = null;
        List<double>? weights = null;
        var total = 0.0;
        for (var f = 0; f < _files.Length; f++)
        {
            if (keyIndexes[f] < 0)
            {
                continue;
            }

            _files[f].Weighted(keyIndexes[f], out var candidates, out var fileWeights, out var fileTotal);

            merged ??= [];
            weights ??= [];
            total += fileTotal;
            for (var c = 0; c < candidates.Length; c++)
            {
                var entity = Canonical(f, candidates[c].Entity);
                if (merged.FindIndex(m => m.Entity == entity) >= 0)
                {
                    total -= fileWeights[c]; // the same QID from a file of lower priority
                    continue;
                }

                merged.Add(candidates[c] with { Entity = entity });
                weights.Add(fileWeights[c]);
            }
        }

        if (merged is null)
        {
            return [];
        }

        var result = new AliasCandidate[merged.Count];
        for (var c = 0; c < result.Length; c++)
        {
            result[c] = merged[c] with { Prior = (float)(weights![c] / total) };
        }

        Array.Sort(result, (a, b) => b.Prior.CompareTo(a.Prior));
        return result.Length <= KnowledgeBaseFormat.MaxCandidatesPerKey ? result : result[..KnowledgeBaseFormat.MaxCandidatesPerKey];
    }

    /// <summary>The global number of a file's entity: that of the first file with the same QID.</summary>
    int Canonical(int file, int local)
    {
        if (file > 0)
        {
            var qid = _files[file].Qid(local);
            for (var f = 0; f < file; f++)
            {
                if (_files[f].IndexOf(qid) is >= 0 and var earlier)
                {
                    return _first[f] + earlier;
                }
            }
        }

        return _first[file] + local;
    }

    (KnowledgeBaseFile File, int Local) Locate(int entity)
    {
        if (_files.Length == 1)
        {
            return (_files[0], entity);
        }

        if ((uint)entity >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(entity), entity, $"The KB has {Count} entities.");
        }

        var f = Array.BinarySearch(_first, entity);
        if (f < 0)
        {
            f = ~f - 1;
        }

        while (f + 1 < _first.Length && _first[f + 1] == entity)
        {
            f++; // skip empty files
        }

        return (_files[f], entity - _first[f]);
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    /// <summary>A read-only column of the entity table (<c>kb.Labels[entity]</c>), read from the mapped file on each access.</summary>
    public readonly struct EntityColumn<T> : IReadOnlyList<T>
    {
        readonly EntityKnowledgeBase _kb;
        readonly Func<KnowledgeBaseFile, int, T> _read;

        internal EntityColumn(EntityKnowledgeBase kb, Func<KnowledgeBaseFile, int, T> read) => (_kb, _read) = (kb, read);

        public T this[int entity]
        {
            get
            {
                var (file, local) = _kb.Locate(entity);
                return _read(file, local);
            }
        }

        public int Count => _kb.Count;

        public IEnumerator<T> GetEnumerator()
        {
            for (var e = 0; e < Count; e++)
            {
                yield return this[e];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>One compiled KB file: where it is, its size, and what it holds.</summary>
public sealed record KnowledgeBaseFileInfo(string Path, long Bytes, int Entities, long AliasKeys, long Candidates, KnowledgeBaseMetadata Metadata);
