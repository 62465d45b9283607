namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>A dump line that could not be read as an entity.</summary>
public readonly record struct WikidataMalformedLine(long Line, string Reason);

/// <summary>
/// Counters of a dump read, safe to poll from another thread (a progress bar) while the read runs. The line counts
/// advance in dump order as the records are handed out; <see cref="CompressedBytesRead"/> runs a little ahead.
/// </summary>
public sealed class WikidataDumpProgress
{
    readonly List<WikidataMalformedLine> _firstMalformed = [];
    long _compressedBytesRead;
    long _bytesRead;
    long _lines;
    long _kept;
    long _malformed;
    long _noEnglishLabel;
    long _tooFewSitelinks;
    long _notEntities;
    long _otherEntities;

    /// <summary>The size of the dump file (compressed, as on disk).</summary>
    public long TotalBytes { get; internal set; }

    public long CompressedBytesRead => Interlocked.Read(ref _compressedBytesRead);

    /// <summary>Decompressed bytes read (the JSON text).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Item lines (Q ids), kept or not: the kept ones and the three kinds of dropped ones.</summary>
    public long Items => Kept + DroppedNoEnglishLabel + DroppedTooFewSitelinks + DroppedNotEntities;

    public long Kept => Interlocked.Read(ref _kept);

    public long Malformed => Interlocked.Read(ref _malformed);

    public long DroppedNoEnglishLabel => Interlocked.Read(ref _noEnglishLabel);

    public long DroppedTooFewSitelinks => Interlocked.Read(ref _tooFewSitelinks);

    /// <summary>Items whose classes are all Wikimedia pages or names (SKIP in the type table).</summary>
    public long DroppedNotEntities => Interlocked.Read(ref _notEntities);

    /// <summary>Properties, lexemes, redirects: entities that are not items.</summary>
    public long OtherEntities => Interlocked.Read(ref _otherEntities);

    /// <summary>The first malformed lines, in line order (all of them are counted in <see cref="Malformed"/>).</summary>
    public IReadOnlyList<WikidataMalformedLine> FirstMalformed
    {
        get
        {
            lock (_firstMalformed)
            {
                return [.. _firstMalformed];
            }
        }
    }

    internal int MalformedListLimit { get; set; } = 10;

    internal void AddBytesRead(long decompressed, long compressedPosition)
    {
        Interlocked.Add(ref _bytesRead, decompressed);
        Interlocked.Exchange(ref _compressedBytesRead, compressedPosition);
    }

    internal void Add(in WikidataBatchCounts counts)
    {
        Interlocked.Add(ref _lines, counts.Lines);
        Interlocked.Add(ref _kept, counts.Kept);
        Interlocked.Add(ref _noEnglishLabel, counts.NoEnglishLabel);
        Interlocked.Add(ref _tooFewSitelinks, counts.TooFewSitelinks);
        Interlocked.Add(ref _notEntities, counts.NotEntities);
        Interlocked.Add(ref _otherEntities, counts.OtherEntities);
    }

    internal void AddMalformed(WikidataMalformedLine line)
    {
        Interlocked.Increment(ref _malformed);
        lock (_firstMalformed)
        {
            if (_firstMalformed.Count < MalformedListLimit)
            {
                _firstMalformed.Add(line);
            }
        }
    }
}

/// <summary>What one batch of lines held, added to the progress when the batch is handed out.</summary>
internal struct WikidataBatchCounts
{
    public int Lines;
    public int Kept;
    public int NoEnglishLabel;
    public int TooFewSitelinks;
    public int NotEntities;
    public int OtherEntities;
}

/// <summary>The dump ended before its closing bracket, or its compressed stream is cut or corrupt.</summary>
public sealed class WikidataDumpTruncatedException(string message, long lineReached, long itemsRead, Exception? inner = null)
    : IOException(message, inner)
{
    /// <summary>The last line read completely.</summary>
    public long LineReached { get; } = lineReached;

    /// <summary>Items (Q ids) read before the end, kept or not.</summary>
    public long ItemsRead { get; } = itemsRead;
}
