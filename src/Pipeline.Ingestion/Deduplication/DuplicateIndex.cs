using System.Buffers.Binary;
using Microsoft.Extensions.Options;

namespace Pipeline.Ingestion.Deduplication;

/// <summary>
/// The articles ingestion has accepted, as fingerprints in a fixed-size ring (the oldest are forgotten first), with the
/// text key for exact duplicates and the MinHash bands for near-duplicates: a text that shares a band with a remembered
/// one is compared with it by estimated Jaccard similarity (<see cref="DeduplicationOptions.NearDuplicateSimilarity"/>).
/// Committed fingerprints are appended to <c>duplicates.log</c> in the data directory (fixed 161-byte records, flushed
/// every second and on stop) and read back at start, so duplicates are recognised across restarts; the log is
/// rewritten with the live entries when it grows past twice the capacity.
/// </summary>
public sealed class DuplicateIndex : IDisposable
{
    const int RecordBytes = 8 + 8 + 1 + MinHash.Size * 4 + 16;
    const int IdBytes = 16;
    const byte Empty = 0, Pending = 1, Committed = 2;

    readonly Lock _gate = new();
    readonly int _capacity;
    readonly double _similarity;
    readonly ulong[] _url, _content;
    readonly uint[] _signatures;
    readonly bool[] _hasSignature;
    readonly byte[] _ids;
    readonly byte[] _state;
    readonly DuplicateReservation?[] _pending;
    readonly Dictionary<ulong, int> _byContent;
    readonly Dictionary<ulong, int>[] _bands;
    readonly string? _logPath;
    readonly Timer? _flushTimer;
    FileStream? _log;
    long _logRecords;
    int _next;
    int _live;

    public DuplicateIndex(IOptions<DeduplicationOptions> options, IOptions<IngestionOptions> ingestion)
        : this(options.Value, ingestion.Value.StatePath)
    {
    }

    public DuplicateIndex(DeduplicationOptions options, string? dataDirectory)
    {
        _capacity = options.Capacity;
        _similarity = options.NearDuplicateSimilarity;
        _url = new ulong[_capacity];
        _content = new ulong[_capacity];
        _signatures = new uint[_capacity * MinHash.Size];
        _hasSignature = new bool[_capacity];
        _ids = new byte[_capacity * IdBytes];
        _state = new byte[_capacity];
        _pending = new DuplicateReservation?[_capacity];
        _byContent = new Dictionary<ulong, int>(Math.Min(_capacity, 1 << 16));
        _bands = [.. Enumerable.Range(0, MinHash.Bands).Select(_ => new Dictionary<ulong, int>(Math.Min(_capacity, 1 << 16)))];
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            _logPath = Path.Combine(dataDirectory, "duplicates.log");
            Load();
            _log = new FileStream(_logPath, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
            _flushTimer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Fingerprints held (committed or in flight).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _live;
            }
        }
    }

    public bool IsPersistent => _logPath is not null;

    /// <summary>
    /// A duplicate verdict, or a reservation for a new article. The check and the reservation are one step, so two
    /// copies of one article submitted at the same moment cannot both pass.
    /// </summary>
    public DuplicateVerdict Check(ArticleFingerprint fingerprint)
    {
        lock (_gate)
        {
            if (_byContent.TryGetValue(fingerprint.ContentKey, out var same))
            {
                return Verdict(same, _url[same] == fingerprint.UrlKey && fingerprint.UrlKey != 0 ? "same canonical URL and text" : "same text");
            }

            if (fingerprint.Signature is { } signature && _similarity <= 1 && FindNear(signature) is { } near)
            {
                return Verdict(near.Slot, $"near-duplicate text (estimated similarity {near.Similarity:0.00})");
            }

            var slot = NextFreeSlot();
            var reservation = new DuplicateReservation(slot, fingerprint);
            Insert(slot, fingerprint, Pending);
            _pending[slot] = reservation;
            return new DuplicateVerdict(reservation, null, null, null);
        }
    }

    /// <summary>The article was published: keep its fingerprint (and log it).</summary>
    public void Commit(DuplicateReservation reservation)
    {
        lock (_gate)
        {
            _state[reservation.Slot] = Committed;
            _pending[reservation.Slot] = null;
            if (_log is not null)
            {
                Span<byte> record = stackalloc byte[RecordBytes];
                Write(record, reservation.Fingerprint);
                _log.Write(record);
                _logRecords++;
                if (_logRecords >= 2L * _capacity)
                {
                    Compact();
                }
            }
        }

        reservation.Settle();
    }

    /// <summary>The article was not published: forget it, so a resubmission is accepted.</summary>
    public void Release(DuplicateReservation reservation)
    {
        lock (_gate)
        {
            Remove(reservation.Slot);
        }

        reservation.Settle();
    }

    public void Flush()
    {
        lock (_gate)
        {
            _log?.Flush(flushToDisk: false);
        }
    }

    public void Dispose()
    {
        _flushTimer?.Dispose();
        lock (_gate)
        {
            _log?.Flush(flushToDisk: true);
            _log?.Dispose();
            _log = null;
        }
    }

    DuplicateVerdict Verdict(int slot, string reason) =>
        _state[slot] == Pending
            ? new DuplicateVerdict(null, null, null, _pending[slot]!.Settled)
            : new DuplicateVerdict(null, Id(slot), reason, null);

    string Id(int slot) => Convert.ToHexStringLower(_ids.AsSpan(slot * IdBytes, IdBytes));

    Span<uint> Signature(int slot) => _signatures.AsSpan(slot * MinHash.Size, MinHash.Size);

    (int Slot, double Similarity)? FindNear(uint[] signature)
    {
        for (var band = 0; band < MinHash.Bands; band++)
        {
            if (_bands[band].TryGetValue(MinHash.BandKey(signature, band), out var slot))
            {
                var similarity = MinHash.Similarity(Signature(slot), signature);
                if (similarity >= _similarity)
                {
                    return (slot, similarity);
                }
            }
        }

        return null;
    }

    int NextFreeSlot()
    {
        // In-flight reservations are never evicted; the capacity is far above the number of articles in flight.
        for (var tries = 0; tries < _capacity; tries++)
        {
            var slot = _next;
            _next = (_next + 1) % _capacity;
            if (_state[slot] != Pending)
            {
                Remove(slot);
                return slot;
            }
        }

        throw new InvalidOperationException("Every duplicate-index slot is held by an article in flight; raise Ingestion:Deduplication:Capacity.");
    }

    void Insert(int slot, ArticleFingerprint fingerprint, byte state)
    {
        _url[slot] = fingerprint.UrlKey;
        _content[slot] = fingerprint.ContentKey;
        _hasSignature[slot] = fingerprint.Signature is not null;
        Convert.FromHexString(fingerprint.ArticleId, _ids.AsSpan(slot * IdBytes, IdBytes), out _, out _);
        _state[slot] = state;
        _byContent[fingerprint.ContentKey] = slot;
        if (fingerprint.Signature is { } signature)
        {
            signature.CopyTo(Signature(slot));
            for (var band = 0; band < MinHash.Bands; band++)
            {
                // One slot per band key: the newest text with that band stands for the ones before it.
                _bands[band][MinHash.BandKey(signature, band)] = slot;
            }
        }

        _live++;
    }

    void Remove(int slot)
    {
        if (_state[slot] == Empty)
        {
            return;
        }

        if (_byContent.TryGetValue(_content[slot], out var current) && current == slot)
        {
            _byContent.Remove(_content[slot]);
        }

        if (_hasSignature[slot])
        {
            for (var band = 0; band < MinHash.Bands; band++)
            {
                var key = MinHash.BandKey(Signature(slot), band);
                if (_bands[band].TryGetValue(key, out var bandSlot) && bandSlot == slot)
                {
                    _bands[band].Remove(key);
                }
            }
        }

        _state[slot] = Empty;
        _pending[slot] = null;
        _live--;
    }

    void Load()
    {
        if (!File.Exists(_logPath))
        {
            return;
        }

        using var file = new FileStream(_logPath!, FileMode.Open, FileAccess.ReadWrite);
        var records = file.Length / RecordBytes;
        if (file.Length % RecordBytes != 0)
        {
            // A record cut short by a crash: drop it.
            file.SetLength(records * RecordBytes);
        }

        var skip = Math.Max(0, records - _capacity);
        file.Position = skip * RecordBytes;
        using var reader = new BufferedStream(file, 1 << 20);
        var record = new byte[RecordBytes];
        for (var i = skip; i < records; i++)
        {
            reader.ReadExactly(record);
            var fingerprint = Read(record);
            if (!_byContent.ContainsKey(fingerprint.ContentKey))
            {
                Insert(NextFreeSlot(), fingerprint, Committed);
            }
        }

        _logRecords = records;
    }

    void Compact()
    {
        _log!.Dispose();
        var temporary = _logPath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> record = stackalloc byte[RecordBytes];
            _logRecords = 0;
            for (var i = 0; i < _capacity; i++)
            {
                var slot = (_next + i) % _capacity;
                if (_state[slot] != Committed)
                {
                    continue;
                }

                Write(record, new ArticleFingerprint(_url[slot], _content[slot], _hasSignature[slot] ? Signature(slot).ToArray() : null, Id(slot)));
                file.Write(record);
                _logRecords++;
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _logPath!, overwrite: true);
        _log = new FileStream(_logPath!, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
    }

    /// <summary>url key, content key, has-signature flag, the signature, the id: little-endian, fixed size.</summary>
    static void Write(Span<byte> record, ArticleFingerprint fingerprint)
    {
        record.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(record, fingerprint.UrlKey);
        BinaryPrimitives.WriteUInt64LittleEndian(record[8..], fingerprint.ContentKey);
        record[16] = fingerprint.Signature is null ? (byte)0 : (byte)1;
        for (var i = 0; fingerprint.Signature is { } signature && i < MinHash.Size; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record[(17 + (i * 4))..], signature[i]);
        }

        Convert.FromHexString(fingerprint.ArticleId, record[(RecordBytes - IdBytes)..], out _, out _);
    }

    static ArticleFingerprint Read(ReadOnlySpan<byte> record)
    {
        uint[]? signature = null;
        if (record[16] == 1)
        {
            signature = new uint[MinHash.Size];
            for (var i = 0; i < MinHash.Size; i++)
            {
                signature[i] = BinaryPrimitives.ReadUInt32LittleEndian(record[(17 + (i * 4))..]);
            }
        }

        return new(
            BinaryPrimitives.ReadUInt64LittleEndian(record),
            BinaryPrimitives.ReadUInt64LittleEndian(record[8..]),
            signature,
            Convert.ToHexStringLower(record[(RecordBytes - IdBytes)..]));
    }
}
