using System.Buffers;
using System.Threading.Channels;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>How the reading thread ended: at the end of the stream, or at a read error after some complete lines.</summary>
internal sealed record WikidataSplitOutcome(long CompleteLines, Exception? ReadError);

/// <summary>
/// The reading thread: pulls decompressed bytes, cuts them into lines, and hands batches of whole lines to the
/// parsers (<paramref name="work"/>) and, in the same order, to the consumer (<paramref name="ordered"/>, bounded: the
/// memory bound). A line grows its buffer up to <see cref="WikidataDumpOptions.MaxLineBytes"/>; a longer one is
/// dropped byte by byte up to its end and reported.
/// </summary>
internal sealed class WikidataLineSplitter(
    Stream stream,
    Func<long> compressedPosition,
    WikidataDumpOptions options,
    ChannelWriter<WikidataLineBatch> ordered,
    ChannelWriter<WikidataLineBatch> work,
    WikidataDumpProgress progress,
    CancellationToken cancellationToken)
{
    byte[] _buffer = [];
    WikidataLineBatch _batch = null!;
    long _nextLine = 1;

    public WikidataSplitOutcome Run()
    {
        var batchBytes = Math.Max(1024, options.BatchBytes);
        _buffer = ArrayPool<byte>.Shared.Rent(batchBytes);
        _batch = new WikidataLineBatch(_buffer, _nextLine);
        int filled = 0, lineStart = 0, scanned = 0;
        var discarding = false;
        Exception? readError = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (scanned < filled)
            {
                var newline = _buffer.AsSpan(scanned, filled - scanned).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    scanned = filled;
                    break;
                }

                var end = scanned + newline;
                AddLine(lineStart, discarding ? 0 : end - lineStart, tooLong: discarding);
                discarding = false;
                lineStart = scanned = end + 1;
            }

            if (discarding)
            {
                filled = scanned = lineStart; // the rest of an over-long line is not kept
            }

            if (filled == _buffer.Length)
            {
                var partial = filled - lineStart;
                if (_batch.Lines.Count > 0)
                {
                    var next = ArrayPool<byte>.Shared.Rent(Math.Max(batchBytes, 2 * partial));
                    _buffer.AsSpan(lineStart, partial).CopyTo(next);
                    Dispatch(next);
                }
                else if (_buffer.Length >= options.MaxLineBytes)
                {
                    discarding = true;
                    partial = 0;
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(2 * _buffer.Length, options.MaxLineBytes));
                    _buffer.AsSpan(lineStart, partial).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                    _batch = new WikidataLineBatch(larger, _nextLine);
                }

                filled = scanned = partial;
                lineStart = 0;
            }

            int read;
            try
            {
                read = stream.Read(_buffer, filled, _buffer.Length - filled);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                readError = e; // the line being read is incomplete: it is not handed on
                break;
            }

            progress.AddBytesRead(read, compressedPosition());
            if (read == 0)
            {
                if (filled > lineStart || discarding)
                {
                    AddLine(lineStart, discarding ? 0 : filled - lineStart, tooLong: discarding); // a last line without '\n'
                }

                break;
            }

            filled += read;
        }

        var completeLines = _nextLine - 1;
        Dispatch(next: null);
        return new WikidataSplitOutcome(completeLines, readError);
    }

    void AddLine(int start, int length, bool tooLong)
    {
        if (tooLong)
        {
            _batch.TooLong.Add(_nextLine);
        }

        _batch.Lines.Add((start, length));
        _nextLine++;
    }

    /// <summary>Hands the current batch on (even an empty last one: the consumer sees every batch) and starts the next.</summary>
    void Dispatch(byte[]? next)
    {
        var batch = _batch;
        ordered.WriteAsync(batch, cancellationToken).AsTask().GetAwaiter().GetResult();
        work.TryWrite(batch); // unbounded: the ordered channel already bounds the batches in flight
        if (next is not null)
        {
            _buffer = next;
            _batch = new WikidataLineBatch(next, _nextLine);
        }
    }
}
