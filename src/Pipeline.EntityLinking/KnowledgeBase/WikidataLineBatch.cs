using System.Buffers;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// Consecutive dump lines in one pooled buffer, from the reading thread to a parser, and the parser's results back to
/// the consumer. Batches are consumed in the order they were read, which keeps the output in dump order.
/// </summary>
internal sealed class WikidataLineBatch(byte[] buffer, long firstLine)
{
    public byte[]? Buffer { get; private set; } = buffer;

    /// <summary>The number of the batch's first line (1-based).</summary>
    public long FirstLine { get; } = firstLine;

    /// <summary>Each line's place in <see cref="Buffer"/>, without its '\n'. A line too long to keep is empty here.</summary>
    public List<(int Start, int Length)> Lines { get; } = [];

    /// <summary>Lines longer than the cap, dropped by the reading thread.</summary>
    public List<long> TooLong { get; } = [];

    public List<EntityRecord> Records { get; } = [];

    public List<WikidataMalformedLine> Malformed { get; } = [];

    public WikidataBatchCounts Counts;

    public bool SawArrayStart { get; set; }

    public bool SawArrayEnd { get; set; }

    /// <summary>Completed by the parser; the consumer waits on it.</summary>
    public TaskCompletionSource Parsed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Parses every line (on a parser thread), then gives the buffer back to the pool.</summary>
    public void Parse(WikidataItemParser parser)
    {
        var buffer = Buffer!;
        for (var i = 0; i < Lines.Count; i++)
        {
            var lineNumber = FirstLine + i;
            var (start, length) = Lines[i];
            if (TooLong.Contains(lineNumber))
            {
                Malformed.Add(new WikidataMalformedLine(lineNumber, "longer than the line length cap"));
                continue;
            }

            var kind = parser.Parse(buffer.AsSpan(start, length), out var record, out var error);
            switch (kind)
            {
                case WikidataLineKind.Kept:
                    Counts.Kept++;
                    Records.Add(record!);
                    break;
                case WikidataLineKind.NoEnglishLabel:
                    Counts.NoEnglishLabel++;
                    break;
                case WikidataLineKind.TooFewSitelinks:
                    Counts.TooFewSitelinks++;
                    break;
                case WikidataLineKind.NotEntity:
                    Counts.NotEntities++;
                    break;
                case WikidataLineKind.OtherEntity:
                    Counts.OtherEntities++;
                    break;
                case WikidataLineKind.Malformed:
                    Malformed.Add(new WikidataMalformedLine(lineNumber, error ?? "malformed"));
                    break;
                case WikidataLineKind.ArrayStart:
                    SawArrayStart = true;
                    break;
                case WikidataLineKind.ArrayEnd:
                    SawArrayEnd = true;
                    break;
            }
        }

        Counts.Lines = Lines.Count;
        ReturnBuffer();
    }

    public void ReturnBuffer()
    {
        if (Buffer is { } buffer)
        {
            Buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
