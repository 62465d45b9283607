using ICSharpCode.SharpZipLib.BZip2;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Decompresses a .bz2 file made of several bzip2 streams one after another (what parallel compressors such as
/// pbzip2 and lbzip2 write): SharpZipLib's <see cref="BZip2InputStream"/> stops at the end of the first stream, so
/// a new one is started where it stopped (it reads its input byte by byte, so it stops exactly there).
/// </summary>
internal sealed class ConcatenatedBZip2Stream(Stream file) : Stream
{
    BZip2InputStream _current = new(file) { IsStreamOwner = false };

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (true)
        {
            var read = _current.Read(buffer, offset, count);
            if (read > 0 || count == 0 || file.Position >= file.Length)
            {
                return read;
            }

            _current.Dispose();
            _current = new BZip2InputStream(file) { IsStreamOwner = false };
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current.Dispose();
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
