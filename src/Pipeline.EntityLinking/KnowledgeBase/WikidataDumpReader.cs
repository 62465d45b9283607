using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using ICSharpCode.SharpZipLib.BZip2;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Streams KB entities out of a Wikidata JSON dump (<c>latest-all.json</c>, <c>.json.gz</c> or <c>.json.bz2</c>: a
/// JSON array with one entity object per line, lines ending in a comma). One thread reads and decompresses and cuts
/// the lines into batches; <see cref="WikidataDumpOptions.Workers"/> threads parse them
/// (<see cref="WikidataItemParser"/>); the records come out in dump order, so a build is deterministic. Memory is
/// bounded by the batches in flight, whatever the dump's size. Which items are kept, and their types, follow
/// <see cref="WikidataDumpOptions"/> and the shipped <see cref="WikidataTypeTable"/>.
/// </summary>
public static class WikidataDumpReader
{
    public const string Country = "Q6256";

    public const string SovereignState = "Q3624078";

    /// <summary>
    /// The kept items in dump order. Malformed lines are counted in <paramref name="progress"/>, never thrown; a dump
    /// that ends early (a cut or corrupt compressed stream, or no closing <c>]</c>) throws
    /// <see cref="WikidataDumpTruncatedException"/> after every record read before the cut was returned.
    /// </summary>
    public static IEnumerable<EntityRecord> Read(string path, WikidataDumpOptions? options = null, WikidataDumpProgress? progress = null) =>
        StreamRecords(path, options ?? WikidataDumpOptions.Default, progress ?? new WikidataDumpProgress(), CancellationToken.None);

    /// <summary><see cref="Read"/> that stops with <see cref="OperationCanceledException"/> when cancelled (Ctrl+C).</summary>
    public static IEnumerable<EntityRecord> StreamRecords(string path, WikidataDumpOptions options, WikidataDumpProgress progress, CancellationToken cancellationToken)
    {
        var dump = new FileInfo(path);
        if (!dump.Exists)
        {
            throw new FileNotFoundException($"The Wikidata dump {dump.FullName} does not exist.", path);
        }

        progress.TotalBytes = dump.Length;
        progress.MalformedListLimit = options.MalformedLinesListed;
        return ReadBatches(path, options, progress, cancellationToken);
    }

    /// <summary>One dump line to a record with the default options; null for anything not kept (or malformed).</summary>
    public static EntityRecord? Parse(string line) => Parse(line, WikidataDumpOptions.Default);

    public static EntityRecord? Parse(string line, WikidataDumpOptions options) =>
        new WikidataItemParser(options).Parse(Encoding.UTF8.GetBytes(line), out var record, out _) == WikidataLineKind.Kept ? record : null;

    /// <summary>The decompressing stream for a dump file, chosen by its extension.</summary>
    public static Stream Decompress(string path, Stream file)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return new GZipStream(file, CompressionMode.Decompress);
        }

        return path.EndsWith(".bz2", StringComparison.OrdinalIgnoreCase) ? new ConcatenatedBZip2Stream(file) : file;
    }

    /// <summary>The compressing (buffered) stream to write a dump file through, chosen by its extension as <see cref="Decompress"/> chooses: gzip at the fastest level, bzip2, or the file itself.</summary>
    public static Stream Compress(string path, Stream file)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return new BufferedStream(new GZipStream(file, CompressionLevel.Fastest), 1 << 16);
        }

        return path.EndsWith(".bz2", StringComparison.OrdinalIgnoreCase) ? new BufferedStream(new BZip2OutputStream(file), 1 << 16) : file;
    }

    static IEnumerable<EntityRecord> ReadBatches(string path, WikidataDumpOptions options, WikidataDumpProgress progress, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var stream = Decompress(path, file);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stopping.Token;
        var ordered = Channel.CreateBounded<WikidataLineBatch>(new BoundedChannelOptions(Math.Max(2, options.BatchesInFlight)) { SingleReader = true, SingleWriter = true });
        var work = Channel.CreateUnbounded<WikidataLineBatch>(new UnboundedChannelOptions { SingleWriter = true });
        var splitter = new WikidataLineSplitter(stream, () => file.Position, options, ordered.Writer, work.Writer, progress, token);
        var reading = Task.Factory.StartNew(() =>
        {
            try
            {
                return splitter.Run();
            }
            finally
            {
                ordered.Writer.TryComplete();
                work.Writer.TryComplete();
            }
        }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var parsing = Enumerable.Range(0, Math.Max(1, options.Workers))
            .Select(_ => Task.Factory.StartNew(() => ParseBatches(work.Reader, options, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();

        var sawArrayStart = false;
        var sawArrayEnd = false;
        try
        {
            while (Next(ordered.Reader, token) is { } batch)
            {
                token.ThrowIfCancellationRequested();
                batch.Parsed.Task.Wait(token);
                progress.Add(batch.Counts);
                foreach (var malformed in batch.Malformed)
                {
                    progress.AddMalformed(malformed);
                }

                sawArrayStart |= batch.SawArrayStart;
                sawArrayEnd |= batch.SawArrayEnd;
                foreach (var record in batch.Records)
                {
                    yield return record;
                }
            }

            var outcome = reading.GetAwaiter().GetResult();
            if (outcome.ReadError is { } error)
            {
                throw new WikidataDumpTruncatedException(
                    $"{path}: the compressed stream is cut or corrupt after line {outcome.CompleteLines:N0} ({progress.Items:N0} items read): {error.Message}",
                    outcome.CompleteLines, progress.Items, error);
            }

            if (sawArrayStart && !sawArrayEnd)
            {
                throw new WikidataDumpTruncatedException(
                    $"{path} ends at line {outcome.CompleteLines:N0} ({progress.Items:N0} items read) without the closing ']' of the dump: the file is truncated (an unexpected end of the stream).",
                    outcome.CompleteLines, progress.Items);
            }
        }
        finally
        {
            stopping.Cancel();
            try
            {
                Task.WaitAll([reading, .. parsing]);
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
            }

        }
    }

    static WikidataLineBatch? Next(ChannelReader<WikidataLineBatch> reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (reader.TryRead(out var batch))
            {
                return batch;
            }

            if (!reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                return null;
            }
        }
    }

    static void ParseBatches(ChannelReader<WikidataLineBatch> work, WikidataDumpOptions options, CancellationToken cancellationToken)
    {
        var parser = new WikidataItemParser(options);
        while (Next(work, cancellationToken) is { } batch)
        {
            try
            {
                batch.Parse(parser);
                batch.Parsed.TrySetResult();
            }
            catch (Exception e)
            {
                batch.Parsed.TrySetException(e);
            }
        }
    }
}
