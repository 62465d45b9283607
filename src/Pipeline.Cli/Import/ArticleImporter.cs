using System.Net;
using System.Text.Json;
using Spectre.Console;

namespace Pipeline.Cli.Import;

/// <summary>
/// Sends the articles of files to the ingestion API as one streamed NDJSON batch per file and counts the per-line
/// answers. Lines the broker did not take (503 for the batch, or "unavailable" lines) are resent, with back-off,
/// up to <see cref="Attempts"/> times; only then are they counted as failed.
/// </summary>
public sealed class ArticleImporter(HttpClient http, IReadOnlyDictionary<string, string> columns)
{
    public const int Attempts = 5;

    public sealed record LineProblem(string File, string Origin, string Message);

    /// <summary>Counts for one file (or all of them).</summary>
    public sealed class Counts
    {
        public int Accepted { get; set; }

        public int Duplicate { get; set; }

        public int Rejected { get; set; }

        public int Failed { get; set; }

        public int Warnings { get; set; }

        public void Add(Counts other)
        {
            Accepted += other.Accepted;
            Duplicate += other.Duplicate;
            Rejected += other.Rejected;
            Failed += other.Failed;
            Warnings += other.Warnings;
        }

        public override string ToString() => $"{Accepted} accepted, {Duplicate} duplicate, {Rejected} rejected, {Failed} failed, {Warnings} warnings";
    }

    public List<LineProblem> Problems { get; } = [];

    public async Task<Counts> ImportFileAsync(string path, ProgressTask? progress, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var counts = new Counts();
        var pending = new List<(string Origin, byte[] Line)>();
        foreach (var article in ArticleSource.Read(path, columns, n => progress?.Increment(n)))
        {
            if (article.Warning is not null)
            {
                counts.Warnings++;
                Problems.Add(new(name, article.Origin, "warning: " + article.Warning));
            }

            if (article.Body is null)
            {
                counts.Rejected++;
                Problems.Add(new(name, article.Origin, article.Error!));
                continue;
            }

            pending.Add((article.Origin, JsonSerializer.SerializeToUtf8Bytes(article.Body)));
            if (pending.Count == 10_000)
            {
                // Bounded memory for big files: one batch request per 10,000 articles.
                await SendAsync(name, pending, counts, cancellationToken);
                pending = [];
            }
        }

        await SendAsync(name, pending, counts, cancellationToken);
        return counts;
    }

    async Task SendAsync(string name, List<(string Origin, byte[] Line)> lines, Counts counts, CancellationToken cancellationToken)
    {
        for (var attempt = 1; lines.Count > 0; attempt++)
        {
            var unavailable = new List<(string Origin, byte[] Line)>();
            string? failure = null;
            try
            {
                await NdjsonBatchClient.PostAsync(
                    http,
                    async (stream, ct) =>
                    {
                        foreach (var (_, line) in lines)
                        {
                            await stream.WriteAsync(line, ct);
                            stream.WriteByte((byte)'\n');
                        }
                    },
                    answer =>
                    {
                        var (origin, line) = lines[answer.Line - 1];
                        switch (answer.Status)
                        {
                            case "accepted":
                                counts.Accepted++;
                                break;
                            case "duplicate":
                                counts.Duplicate++;
                                break;
                            case "rejected":
                                counts.Rejected++;
                                Problems.Add(new(name, origin, $"400 {answer.Field}: {answer.Reason}"));
                                break;
                            default:
                                unavailable.Add((origin, line));
                                failure = answer.Reason;
                                break;
                        }
                    },
                    cancellationToken);
            }
            catch (HttpRequestException e) when (e.StatusCode is null or HttpStatusCode.ServiceUnavailable)
            {
                // The API or its broker is unavailable: nothing of this batch was accepted; all of it is resent.
                unavailable = lines;
                failure = e.Message;
            }

            lines = unavailable;
            if (lines.Count == 0)
            {
                return;
            }

            if (attempt == Attempts)
            {
                counts.Failed += lines.Count;
                Problems.AddRange(lines.Select(l => new LineProblem(name, l.Origin, $"not accepted after {Attempts} attempts: {failure}")));
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt)), cancellationToken);
        }
    }

    /// <summary>Parses "text=articleBody,url=news_url" into API field -> column.</summary>
    public static Dictionary<string, string>? ParseColumns(string? map, out string? error)
    {
        error = null;
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(map))
        {
            return columns;
        }

        string[] fields = ["url", "title", "text", "html", "source", "published", "language", "authors"];
        foreach (var pair in map.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !fields.Contains(parts[0]) || parts[1].Length == 0)
            {
                error = $"--columns takes field=column pairs with a field among {string.Join(", ", fields)}; got '{pair}'.";
                return null;
            }

            columns[parts[0]] = parts[1];
        }

        return columns;
    }
}
