using System.Buffers;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Writes a synthetic Wikidata JSON dump with the real structure (an array, one entity a line, lines ending in a
/// comma but the last) and a realistic mix of items (<see cref="SyntheticItemGenerator"/>), deterministic for a seed.
/// Blocks of items are made in parallel and written in order; a thread of their own compresses them. Used by
/// <c>pipeline kb synth</c>, the reader's tests and benchmarks.
/// </summary>
public sealed class WikidataDumpSynthesizer(int seed = 42)
{
    const int BlockItems = 4096;

    /// <summary>The items a dump of <paramref name="count"/> items holds, in order.</summary>
    public IEnumerable<SyntheticWikidataItem> Items(long count)
    {
        for (var block = 0L; block * BlockItems < count; block++)
        {
            var generator = new SyntheticItemGenerator(seed, block, BlockItems);
            for (var i = 0; i < Math.Min(BlockItems, count - (block * BlockItems)); i++)
            {
                yield return generator.Next();
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> items as a dump; <paramref name="written"/> is told the items written so far.
    /// Returns the dump's uncompressed size in bytes.
    /// </summary>
    public long Write(Stream stream, long count, Action<long>? written = null, CancellationToken cancellationToken = default)
    {
        using var chunks = new ChunkedWriter(stream, cancellationToken);
        chunks.Write("[\n"u8);
        var blocks = (count + BlockItems - 1) / BlockItems;
        var inFlight = new Queue<Task<(byte[] Buffer, int Length)>>();
        var next = 0L;
        for (var block = 0L; block < blocks; block++)
        {
            while (next < blocks && inFlight.Count < 2 * Environment.ProcessorCount)
            {
                var b = next++;
                inFlight.Enqueue(Task.Run(() => Block(b, (int)Math.Min(BlockItems, count - (b * BlockItems))), cancellationToken));
            }

            var (buffer, length) = inFlight.Dequeue().GetAwaiter().GetResult();
            chunks.Write(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
            written?.Invoke(Math.Min(count, (block + 1) * BlockItems));
        }

        chunks.Write("\n]\n"u8);
        chunks.Complete();
        written?.Invoke(count);
        return chunks.BytesWritten;
    }

    /// <summary>One block's lines, each but the dump's first preceded by the comma and newline that end the line before.</summary>
    (byte[] Buffer, int Length) Block(long block, int items)
    {
        var generator = new SyntheticItemGenerator(seed, block, BlockItems);
        var json = new WikidataItemJsonWriter(seed, block);
        var buffer = ArrayPool<byte>.Shared.Rent(items * 8192);
        var length = 0;
        for (var i = 0; i < items; i++)
        {
            var line = json.Write(generator.Next());
            var needed = length + line.Length + 2;
            if (needed > buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            if (block > 0 || i > 0)
            {
                ",\n"u8.CopyTo(buffer.AsSpan(length));
                length += 2;
            }

            line.CopyTo(buffer.AsSpan(length));
            length += line.Length;
        }

        return (buffer, length);
    }
}
