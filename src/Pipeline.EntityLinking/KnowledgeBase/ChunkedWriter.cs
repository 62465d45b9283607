using System.Buffers;
using System.Threading.Channels;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>Collects bytes into pooled chunks that another thread writes to the stream, in order.</summary>
internal sealed class ChunkedWriter : IDisposable
{
    const int ChunkBytes = 1 << 20;
    readonly Channel<(byte[] Buffer, int Length)> _chunks = Channel.CreateBounded<(byte[] Buffer, int Length)>(4);
    readonly Task _writing;
    readonly CancellationToken _cancellationToken;
    byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    int _length;

    public ChunkedWriter(Stream stream, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _writing = Task.Factory.StartNew(() =>
        {
            var reader = _chunks.Reader;
            while (reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var chunk))
                {
                    stream.Write(chunk.Buffer, 0, chunk.Length);
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public long BytesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        BytesWritten += bytes.Length;
        while (!bytes.IsEmpty)
        {
            var part = Math.Min(bytes.Length, _chunk.Length - _length);
            bytes[..part].CopyTo(_chunk.AsSpan(_length));
            _length += part;
            bytes = bytes[part..];
            if (_length == _chunk.Length)
            {
                Flush();
            }
        }
    }

    /// <summary>Hands on the last chunk and waits until everything is written.</summary>
    public void Complete()
    {
        Flush();
        _chunks.Writer.TryComplete();
        _writing.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (_chunks.Writer.TryComplete())
        {
            try
            {
                _writing.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // the write failed or was cancelled: the caller is already unwinding from that
            }
        }
    }

    void Flush()
    {
        if (_length == 0)
        {
            return;
        }

        if (_writing.IsCompleted)
        {
            _writing.GetAwaiter().GetResult(); // surfaces a write error instead of waiting on a dead writer
        }

        _chunks.Writer.WriteAsync((_chunk, _length), _cancellationToken).AsTask().GetAwaiter().GetResult();
        _chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        _length = 0;
    }
}
