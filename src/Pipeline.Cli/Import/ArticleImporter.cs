using System.Net;
using System.Text.Json;
using Spectre.Console;

namespace Pipeline.Cli.Import;

/// <summary>
/// Sends the articles of files to the ingestion API as streamed NDJSON batches and counts the per-line answers. Lines
/// the broker did not take (503 for the batch, "unavailable" lines, or no answer because the connection failed) are
/// resent, in order, with back-off, for as long as the outage lasts up to <see cref="ImportRetry.MaxWait"/>; a line
/// answered accepted, duplicate or rejected is never sent again. Past the limit <see cref="ImportStoppedException"/>
/// names the first line not sent.
/// </summary>
public sealed class ArticleImporter(HttpClient http, IReadOnlyDictionary<string, string> columns, ImportRetry retry)
{
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

    /// <summary>Articles per batch request (bounded memory for big files; smaller batches lose less to a broken connection).</summary>
    public int BatchLines { get; init; } = 10_000;

    /// <summary>Called with every answer that settles a line (accepted, duplicate, rejected), once per line.</summary>
    public Action<NdjsonBatchClient.Answer>? Answered { get; init; }

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
            if (pending.Count == BatchLines)
            {
                await SendAsync(name, pending, counts, progress, cancellationToken);
                pending = [];
            }
        }

        await SendAsync(name, pending, counts, progress, cancellationToken);
        return counts;
    }

    async Task SendAsync(string name, List<(string Origin, byte[] Line)> lines, Counts counts, ProgressTask? progress, CancellationToken cancellationToken)
    {
        var description = progress?.Description;
        var failures = 0;
        long? outageStarted = null;
        while (lines.Count > 0)
        {
            var settled = new bool[lines.Count];
            var sent = lines;
            string? failure = null;
            var outage = "broker unavailable";
            TimeSpan? retryAfter = null;
            try
            {
                var summary = await NdjsonBatchClient.PostAsync(
                    http,
                    async (stream, ct) =>
                    {
                        foreach (var (_, line) in sent)
                        {
                            await stream.WriteAsync(line, ct);
                            stream.WriteByte((byte)'\n');
                        }
                    },
                    answer =>
                    {
                        var index = answer.Line - 1;
                        var (origin, _) = sent[index];
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
                                failure = answer.Reason;
                                return;
                        }

                        settled[index] = true;
                        Answered?.Invoke(answer);
                    },
                    cancellationToken);
                if (summary.TryGetProperty("retryAfterSeconds", out var seconds))
                {
                    retryAfter = TimeSpan.FromSeconds(seconds.GetDouble());
                }
            }
            catch (BatchRefusedException e) when (e.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            {
                // The API or its broker is unavailable: nothing of this batch was accepted.
                failure = e.Message;
                retryAfter = e.RetryAfter;
            }
            catch (Exception e) when (e is HttpRequestException { StatusCode: null } or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The connection failed (the API is down or restarting, or died mid-batch): what was answered stays
                // answered, the rest is resent (a line the API took but could not answer comes back as a duplicate).
                failure = e.Message;
                outage = "ingestion API unreachable";
            }

            lines = [.. sent.Where((_, i) => !settled[i])];
            if (lines.Count == 0)
            {
                break;
            }

            if (lines.Count < sent.Count)
            {
                // Progress: the outage, if there was one, is over; a new one starts counting from now.
                failures = 0;
                outageStarted = null;
            }

            failures++;
            outageStarted ??= retry.Clock.GetTimestamp();
            var waited = retry.Clock.GetElapsedTime(outageStarted.Value);
            if (waited >= retry.MaxWait)
            {
                if (progress is not null)
                {
                    progress.Description = description!;
                }

                counts.Failed += lines.Count;
                throw new ImportStoppedException(name, lines[0].Origin, waited, failure);
            }

            var pause = retry.BackOff(failures, retryAfter);
            var left = retry.MaxWait - waited;
            await WaitAsync(pause < left ? pause : left, outageStarted.Value, progress, $"{description} [yellow]{outage}", cancellationToken);
        }

        if (progress is not null && description is not null)
        {
            progress.Description = description;
        }
    }

    /// <summary>Sleeps out one back-off, showing in the progress display how long the outage has lasted and when the next try is.</summary>
    /// <param name="status">The progress description with what is unavailable, in an open markup style.</param>
    async Task WaitAsync(TimeSpan pause, long outageStarted, ProgressTask? progress, string status, CancellationToken cancellationToken)
    {
        var until = retry.Clock.GetTimestamp() + (long)(pause.TotalSeconds * retry.Clock.TimestampFrequency);
        while (true)
        {
            var now = retry.Clock.GetTimestamp();
            if (now >= until)
            {
                break;
            }

            var remaining = TimeSpan.FromSeconds((until - now) / (double)retry.Clock.TimestampFrequency);
            if (progress is not null)
            {
                var waited = retry.Clock.GetElapsedTime(outageStarted);
                progress.Description = $"{status}, waiting… {waited.TotalSeconds:0} s, retrying in {Math.Ceiling(remaining.TotalSeconds):0} s[/]";
            }

            await Task.Delay(remaining < OneSecond ? remaining : OneSecond, retry.Clock, cancellationToken);
        }

        if (progress is not null)
        {
            progress.Description = $"{status}, waited {retry.Clock.GetElapsedTime(outageStarted).TotalSeconds:0} s, retrying…[/]";
        }
    }

    static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

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
