namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// A growable array in blocks of 2^20 items: growing never copies, so a 10-million-entity column costs its size
/// and not twice it while it is resized (what a <see cref="List{T}"/> or <see cref="Array.Resize{T}"/> would).
/// </summary>
sealed class BlockArray<T>
{
    const int Shift = 20;
    const int Mask = (1 << Shift) - 1;
    readonly List<T[]> _blocks = [];

    public ref T this[int index]
    {
        get
        {
            var block = index >> Shift;
            while (block >= _blocks.Count)
            {
                _blocks.Add(new T[1 << Shift]);
            }

            return ref _blocks[block][index & Mask];
        }
    }

    public void Clear() => _blocks.Clear();
}

/// <summary>
/// Entity numbers by Q-number (<see cref="KnowledgeBaseFormat.QidKey"/> below 2^63): open addressing in two flat arrays
/// at most 70% full, ~12 bytes a slot, a third of a <see cref="Dictionary{TKey, TValue}"/>'s footprint at 10 million.
/// </summary>
sealed class QidNumberTable
{
    ulong[] _keys = new ulong[1 << 16]; // 0 is an empty slot: no Q-number is 0
    int[] _values = new int[1 << 16];

    public int Count { get; private set; }

    public bool TryGetValue(ulong key, out int value)
    {
        var mask = _keys.Length - 1;
        for (var slot = Slot(key, mask); _keys[slot] != 0; slot = (slot + 1) & mask)
        {
            if (_keys[slot] == key)
            {
                value = _values[slot];
                return true;
            }
        }

        value = -1;
        return false;
    }

    public void Add(ulong key, int value)
    {
        if ((Count + 1) * 10L > _keys.Length * 7L)
        {
            Grow();
        }

        Insert(_keys, _values, key, value);
        Count++;
    }

    /// <summary>Every (Q-number, entity), in no order.</summary>
    public IEnumerable<(ulong Key, int Value)> Entries()
    {
        for (var slot = 0; slot < _keys.Length; slot++)
        {
            if (_keys[slot] != 0)
            {
                yield return (_keys[slot], _values[slot]);
            }
        }
    }

    public void Clear()
    {
        _keys = [0];
        _values = [0];
        Count = 0;
    }

    static int Slot(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    static void Insert(ulong[] keys, int[] values, ulong key, int value)
    {
        var mask = keys.Length - 1;
        var slot = Slot(key, mask);
        while (keys[slot] != 0 && keys[slot] != key)
        {
            slot = (slot + 1) & mask;
        }

        keys[slot] = key;
        values[slot] = value;
    }

    void Grow()
    {
        var keys = new ulong[_keys.Length * 2];
        var values = new int[_keys.Length * 2];
        for (var slot = 0; slot < _keys.Length; slot++)
        {
            if (_keys[slot] != 0)
            {
                Insert(keys, values, _keys[slot], _values[slot]);
            }
        }

        (_keys, _values) = (keys, values);
    }
}
