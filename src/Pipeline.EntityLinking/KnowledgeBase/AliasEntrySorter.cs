using System.Text;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// An external sort of the compiler's alias entries (key, entity, phase, flags) by (hash of the key, key, entity,
/// phase): entries are sorted in memory in chunks of at most <c>chunkEntries</c>, each full chunk is written to a
/// run file, and the runs are merged k-way, so memory stays bounded whatever the KB's size. With one chunk nothing
/// touches the disk.
/// </summary>
sealed class AliasEntrySorter : IDisposable
{
    public readonly record struct Item(int Entity, AliasForms.Phase Phase, AliasFlags Flags);

    public delegate void KeyGroup(ulong hash, ReadOnlySpan<byte> key, List<Item> items);

    struct Entry
    {
        public ulong Hash;
        public int KeyOffset;
        public int KeyLength;
        public int Entity;
        public AliasForms.Phase Phase;
        public AliasFlags Flags;
    }

    readonly int _chunkEntries;
    readonly string _directory;
    readonly List<string> _runs = [];
    Entry[] _entries;
    byte[] _keys;
    int _count;
    int _keyBytes;

    public AliasEntrySorter(string directory, int chunkEntries)
    {
        _directory = directory;
        _chunkEntries = Math.Max(1, chunkEntries);
        _entries = new Entry[Math.Min(_chunkEntries, 1 << 16)];
        _keys = new byte[Math.Min(_chunkEntries, 1 << 16) * 16];
    }

    public long Count { get; private set; }

    public int Runs => _runs.Count;

    public void Add(string key, int entity, AliasForms.Phase phase, AliasFlags flags)
    {
        var length = Encoding.UTF8.GetByteCount(key);
        if (length > KnowledgeBaseFormat.MaxKeyBytes)
        {
            return;
        }

        if (_count == _chunkEntries)
        {
            Spill();
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(_chunkEntries, _entries.Length * 2));
        }

        if (_keyBytes + length > _keys.Length)
        {
            Array.Resize(ref _keys, Math.Max(_keys.Length * 2, _keyBytes + length));
        }

        Encoding.UTF8.GetBytes(key, _keys.AsSpan(_keyBytes));
        _entries[_count++] = new Entry
        {
            Hash = KnowledgeBaseFormat.Hash(_keys.AsSpan(_keyBytes, length)),
            KeyOffset = _keyBytes,
            KeyLength = length,
            Entity = entity,
            Phase = phase,
            Flags = flags,
        };
        _keyBytes += length;
        Count++;
    }

    /// <summary>The order of the entries, in a chunk and across the runs: hash of the key, key bytes, entity, phase.</summary>
    static int Compare(ulong hashA, ReadOnlySpan<byte> keyA, Item a, ulong hashB, ReadOnlySpan<byte> keyB, Item b)
    {
        var order = hashA.CompareTo(hashB);
        if (order == 0)
        {
            order = keyA.SequenceCompareTo(keyB);
        }

        if (order == 0)
        {
            order = a.Entity.CompareTo(b.Entity);
        }

        return order != 0 ? order : a.Phase.CompareTo(b.Phase);
    }

    readonly struct ChunkOrder(byte[] keys) : IComparer<Entry>
    {
        public int Compare(Entry a, Entry b) => AliasEntrySorter.Compare(
            a.Hash, keys.AsSpan(a.KeyOffset, a.KeyLength), new Item(a.Entity, a.Phase, a.Flags),
            b.Hash, keys.AsSpan(b.KeyOffset, b.KeyLength), new Item(b.Entity, b.Phase, b.Flags));
    }

    void SortChunk() => _entries.AsSpan(0, _count).Sort(new ChunkOrder(_keys));

    void Spill()
    {
        SortChunk();
        var path = Path.Combine(_directory, $"aliases-{_runs.Count}.run");
        using (var writer = new BinaryWriter(new BufferedStream(File.Create(path), 1 << 20)))
        {
            for (var i = 0; i < _count; i++)
            {
                ref var e = ref _entries[i];
                writer.Write(e.Hash);
                writer.Write(e.Entity);
                writer.Write((byte)e.Phase);
                writer.Write((byte)e.Flags);
                writer.Write((ushort)e.KeyLength);
                writer.Write(_keys, e.KeyOffset, e.KeyLength);
            }
        }

        _runs.Add(path);
        _count = 0;
        _keyBytes = 0;
    }

    /// <summary>Calls <paramref name="group"/> once per key, in (hash, key) order, with its entries by (entity, phase).</summary>
    public void Merge(KeyGroup group)
    {
        var items = new List<Item>();
        if (_runs.Count == 0)
        {
            SortChunk();
            var i = 0;
            while (i < _count)
            {
                var first = _entries[i];
                var key = _keys.AsSpan(first.KeyOffset, first.KeyLength);
                items.Clear();
                while (i < _count && _entries[i].Hash == first.Hash && _keys.AsSpan(_entries[i].KeyOffset, _entries[i].KeyLength).SequenceEqual(key))
                {
                    items.Add(new Item(_entries[i].Entity, _entries[i].Phase, _entries[i].Flags));
                    i++;
                }

                group(first.Hash, key, items);
            }

            return;
        }

        if (_count > 0)
        {
            Spill();
        }

        _entries = [];
        _keys = [];
        var readers = _runs.Select(r => new RunReader(r)).ToList();
        try
        {
            var queue = new PriorityQueue<RunReader, RunReader>(RunReader.Order);
            foreach (var reader in readers.Where(r => r.MoveNext()))
            {
                queue.Enqueue(reader, reader);
            }

            var key = new byte[KnowledgeBaseFormat.MaxKeyBytes];
            while (queue.Count > 0)
            {
                var head = queue.Peek();
                var hash = head.Hash;
                var length = head.KeyLength;
                head.Key.AsSpan(0, length).CopyTo(key);
                items.Clear();
                while (queue.TryPeek(out var next, out _) && next.Hash == hash && next.Key.AsSpan(0, next.KeyLength).SequenceEqual(key.AsSpan(0, length)))
                {
                    queue.Dequeue();
                    items.Add(next.Current);
                    if (next.MoveNext())
                    {
                        queue.Enqueue(next, next);
                    }
                }

                group(hash, key.AsSpan(0, length), items);
            }
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            File.Delete(run);
        }
    }

    sealed class RunReader(string path) : IDisposable
    {
        public static readonly IComparer<RunReader> Order = Comparer<RunReader>.Create((a, b) =>
            AliasEntrySorter.Compare(a.Hash, a.Key.AsSpan(0, a.KeyLength), a.Current, b.Hash, b.Key.AsSpan(0, b.KeyLength), b.Current));

        readonly BinaryReader _reader = new(new BufferedStream(File.OpenRead(path), 1 << 16));
        readonly long _length = new FileInfo(path).Length;

        public ulong Hash { get; private set; }

        public byte[] Key { get; } = new byte[KnowledgeBaseFormat.MaxKeyBytes];

        public int KeyLength { get; private set; }

        public Item Current { get; private set; }

        public bool MoveNext()
        {
            if (_reader.BaseStream.Position == _length)
            {
                return false;
            }

            Hash = _reader.ReadUInt64();
            var entity = _reader.ReadInt32();
            var phase = (AliasForms.Phase)_reader.ReadByte();
            var flags = (AliasFlags)_reader.ReadByte();
            KeyLength = _reader.ReadUInt16();
            _reader.BaseStream.ReadExactly(Key, 0, KeyLength);
            Current = new Item(entity, phase, flags);
            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}
