using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// One compiled KB file (<see cref="KnowledgeBaseFormat"/>), mapped read-only: every read goes to the mapped pages, so
/// opening costs the header and the metadata only, and the operating system keeps the pages that lookups touch.
/// Reads are safe from any number of threads; disposing unmaps (no read may run then).
/// </summary>
sealed unsafe class KnowledgeBaseFile : IDisposable
{
    readonly MemoryMappedFile _map;
    readonly MemoryMappedViewAccessor _view;
    readonly byte* _base;
    readonly FileHeader _header;
    readonly ulong _bucketShift;

    KnowledgeBaseFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* pointer, FileHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _base = pointer;
        _header = header;
        _bucketShift = (ulong)(64 - header.BucketBits);
        Metadata = JsonSerializer.Deserialize<KnowledgeBaseMetadata>(new ReadOnlySpan<byte>(_base + header.MetadataOffset, (int)header.MetadataLength))
            ?? throw new InvalidDataException($"{path}: the KB file has no metadata.");
    }

    public string Path { get; }

    public int Count => _header.EntityCount;

    public long KeyCount => _header.KeyCount;

    public long CandidateCount => _header.CandidateCount;

    public long FileBytes => _header.FileLength;

    public int MaxAliasTokens => _header.MaxAliasTokens;

    public KnowledgeBaseMetadata Metadata { get; }

    /// <summary>Opens a KB file; a missing, foreign, truncated or damaged one is an <see cref="InvalidDataException"/> naming it.</summary>
    public static KnowledgeBaseFile Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (Unsafe.SizeOf<AliasCandidate>() != 12 || !BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The KB file layout needs a little-endian machine and a 12-byte AliasCandidate.");
        }

        var length = new FileInfo(path).Length;
        if (length < KnowledgeBaseFormat.HeaderSize)
        {
            throw new InvalidDataException($"{path} is not a KB file: {length} bytes is shorter than the header.");
        }

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            pointer += view.PointerOffset;
            var header = Unsafe.ReadUnaligned<FileHeader>(pointer);
            Validate(path, header, length);
            return new KnowledgeBaseFile(path, map, view, pointer, header);
        }
        catch
        {
            if (acquired)
            {
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            }

            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>Opens a KB file, or null when there is none or it cannot be used (it is then rebuilt from its sources).</summary>
    public static KnowledgeBaseFile? TryOpen(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return Open(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    static void Validate(string path, FileHeader header, long length)
    {
        string? problem = null;
        if (header.Magic != KnowledgeBaseFormat.Magic)
        {
            problem = "it is not a KB file (wrong magic number)";
        }
        else if (header.Version != KnowledgeBaseFormat.Version)
        {
            problem = $"it has format version {header.Version}, this build reads {KnowledgeBaseFormat.Version}";
        }
        else if (header.Checksum != header.ComputeChecksum())
        {
            problem = "its header is damaged (checksum mismatch)";
        }
        else if (header.FileLength != length)
        {
            problem = $"it is {length:N0} bytes, its header says {header.FileLength:N0} (truncated or appended to)";
        }
        else if (!Fits(header.StringsOffset, header.StringsLength) ||
                 !Fits(header.EntitiesOffset, header.EntityCount * (long)sizeof(EntityEntry)) ||
                 !Fits(header.QidIndexOffset, header.EntityCount * (long)sizeof(QidEntry)) ||
                 header.BucketBits is < 1 or > 40 ||
                 !Fits(header.BucketsOffset, ((1L << header.BucketBits) + 1) * sizeof(uint)) ||
                 !Fits(header.KeysOffset, header.KeyCount * sizeof(KeyEntry)) ||
                 !Fits(header.KeyBytesOffset, header.KeyBytesLength) ||
                 !Fits(header.CandidatesOffset, header.CandidateCount * 12) ||
                 !Fits(header.WeightsOffset, header.CandidateCount * sizeof(float)) ||
                 !Fits(header.MetadataOffset, header.MetadataLength) || header.MetadataLength > int.MaxValue)
        {
            problem = "a section lies outside the file";
        }

        if (problem is not null)
        {
            throw new InvalidDataException($"{path} cannot be used: {problem}.");
        }

        bool Fits(long offset, long size) => offset >= KnowledgeBaseFormat.HeaderSize && size >= 0 && offset + size <= length;
    }

    ref readonly EntityEntry Entity(int entity)
    {
        if ((uint)entity >= (uint)_header.EntityCount)
        {
            throw new ArgumentOutOfRangeException(nameof(entity), entity, $"The KB {Path} has {_header.EntityCount} entities.");
        }

        return ref Unsafe.AsRef<EntityEntry>(_base + _header.EntitiesOffset + (entity * (long)sizeof(EntityEntry)));
    }

    public string Qid(int entity) => ReadString(Entity(entity).Qid);

    public string Label(int entity) => ReadString(Entity(entity).Label);

    public string Description(int entity) => ReadString(Entity(entity).Description);

    public EntityType Type(int entity) => Entity(entity).Type;

    public float Popularity(int entity) => Entity(entity).Popularity;

    public EntityFlags Flags(int entity) => Entity(entity).Flags;

    string ReadString(long offset)
    {
        if ((ulong)offset >= (ulong)_header.StringsLength)
        {
            throw new InvalidDataException($"{Path}: a string offset lies outside the string section.");
        }

        var p = _base + _header.StringsOffset + offset;
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = *p++;
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (p - (_base + _header.StringsOffset) + length > _header.StringsLength)
        {
            throw new InvalidDataException($"{Path}: a string runs past the string section.");
        }

        return length == 0 ? "" : Encoding.UTF8.GetString(p, length);
    }

    /// <summary>The entity with this QID, or -1.</summary>
    public int IndexOf(ReadOnlySpan<char> qid)
    {
        var key = KnowledgeBaseFormat.QidKey(qid);
        var index = (QidEntry*)(_base + _header.QidIndexOffset);
        long low = 0, high = _header.EntityCount - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (index[middle].Key < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        for (var i = low; i < _header.EntityCount && index[i].Key == key; i++)
        {
            // A Q-number is unique; a hashed QID is checked, as another may share its hash.
            if (key >> 63 == 0 || Qid(index[i].Entity).AsSpan().SequenceEqual(qid))
            {
                return index[i].Entity;
            }
        }

        return -1;
    }

    /// <summary>The key's entry in the alias index, or null.</summary>
    KeyEntry* Find(ReadOnlySpan<char> key)
    {
        if (key.Length == 0 || key.Length > KnowledgeBaseFormat.MaxKeyBytes)
        {
            return null;
        }

        Span<byte> utf8 = stackalloc byte[KnowledgeBaseFormat.MaxKeyBytes * 3];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        if (length > KnowledgeBaseFormat.MaxKeyBytes)
        {
            return null;
        }

        var bytes = utf8[..length];
        var hash = KnowledgeBaseFormat.Hash(bytes);
        var buckets = (uint*)(_base + _header.BucketsOffset);
        var bucket = hash >> (int)_bucketShift;
        var keys = (KeyEntry*)(_base + _header.KeysOffset);
        var end = Math.Min(buckets[bucket + 1], (ulong)_header.KeyCount);
        for (ulong k = buckets[bucket]; k < end; k++)
        {
            var entry = keys + k;
            if (entry->Hash == hash && entry->KeyLength == length && KeyBytes(entry).SequenceEqual(bytes))
            {
                return entry;
            }
        }

        return null;
    }

    ReadOnlySpan<byte> KeyBytes(KeyEntry* entry)
    {
        if (entry->KeyOffset < 0 || entry->KeyOffset + entry->KeyLength > _header.KeyBytesLength)
        {
            throw new InvalidDataException($"{Path}: a key lies outside the key section.");
        }

        return new ReadOnlySpan<byte>(_base + _header.KeyBytesOffset + entry->KeyOffset, entry->KeyLength);
    }

    /// <summary>The candidates of a normalised key (<see cref="SurfaceForms.Key"/>), most probable first; empty when it is unknown.</summary>
    public ReadOnlySpan<AliasCandidate> Candidates(ReadOnlySpan<char> key)
    {
        var entry = Find(key);
        return entry is null ? [] : Candidates(entry);
    }

    ReadOnlySpan<AliasCandidate> Candidates(KeyEntry* entry)
    {
        if (entry->CandidateStart + (long)entry->CandidateCount > _header.CandidateCount)
        {
            throw new InvalidDataException($"{Path}: a key's candidates lie outside the candidate section.");
        }

        return new ReadOnlySpan<AliasCandidate>(_base + _header.CandidatesOffset + (entry->CandidateStart * 12L), entry->CandidateCount);
    }

    /// <summary>Where a normalised key is in the alias index (for <see cref="Candidates(long)"/> and <see cref="Weighted"/>), or -1 when it is unknown.</summary>
    public long KeyIndex(ReadOnlySpan<char> key)
    {
        var entry = Find(key);
        return entry is null ? -1 : entry - (KeyEntry*)(_base + _header.KeysOffset);
    }

    /// <summary>The candidates of the key at <paramref name="keyIndex"/> (from <see cref="KeyIndex"/>), most probable first.</summary>
    public ReadOnlySpan<AliasCandidate> Candidates(long keyIndex) => Candidates((KeyEntry*)(_base + _header.KeysOffset) + keyIndex);

    /// <summary>The candidates of the key at <paramref name="keyIndex"/> with their unnormalised weights and the key's total weight (for merging KBs).</summary>
    public void Weighted(long keyIndex, out ReadOnlySpan<AliasCandidate> candidates, out ReadOnlySpan<float> weights, out double total)
    {
        var entry = (KeyEntry*)(_base + _header.KeysOffset) + keyIndex;
        candidates = Candidates(entry);
        weights = new ReadOnlySpan<float>(_base + _header.WeightsOffset + (entry->CandidateStart * 4L), entry->CandidateCount);
        total = entry->Total;
    }

    /// <summary>Every key of the alias index, in file order (by hash).</summary>
    public IEnumerable<string> Keys()
    {
        for (long k = 0; k < _header.KeyCount; k++)
        {
            yield return KeyAt(k);
        }
    }

    string KeyAt(long k) => Encoding.UTF8.GetString(KeyBytes((KeyEntry*)(_base + _header.KeysOffset) + k));

    int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
