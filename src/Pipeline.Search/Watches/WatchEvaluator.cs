using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.SearchStore;

namespace Pipeline.Search.Watches;

/// <summary>
/// Evaluates every watch each <see cref="WatchOptions.PollInterval"/>: its search, narrowed to the articles the store
/// wrote since the watch's checkpoint (less <see cref="WatchOptions.Overlap"/>, and never before the watch's
/// <see cref="Watch.Since"/>), paged through with the cursor, less those that were searchable before the watch
/// (<see cref="SearchHit.FirstIndexedAt"/>: an article written again, say by a late enrichment, counts when it first
/// fits the search only if it became searchable after the watch was made); the articles not matched before become matches, the
/// webhook's deliveries are queued with them, and the checkpoint moves to the evaluation's start, all in one
/// transaction. A failing search is recorded on the watch and tried again next time from the same checkpoint.
/// </summary>
public sealed class WatchEvaluator(
    WatchDatabase database, IArticleSearch search, WebhookDispatcher webhooks, IOptions<WatchOptions> options, TimeProvider clock, ILogger<WatchEvaluator> logger)
    : BackgroundService
{
    const int PageSize = 100;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Rounds with <see cref="WatchOptions.PollInterval"/> between them (not from start to start: a long round does not make them back to back).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EvaluateAllAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or the store is unavailable: every watch is tried again next time, from its checkpoint.
                logger.LogWarning(e, "Evaluating the watches failed; trying again in {Interval}.", options.Value.PollInterval);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One round over every watch; returns the number of new matches. When the store wrote no article since the
    /// earliest point any watch looks from, one search says so and every watch's checkpoint moves on without its own.
    /// </summary>
    public async Task<int> EvaluateAllAsync(CancellationToken cancellationToken)
    {
        var watches = database.All();
        if (watches.Count == 0)
        {
            return 0;
        }

        var started = clock.GetUtcNow();
        var earliest = watches.Min(From);
        var written = new SearchRequest(null, Size: 1) { Highlight = false, Filters = [new DateRangeFilter(SearchFields.Indexed.Name, earliest, null)] };
        if ((await search.SearchAsync(written, cancellationToken)).Total == 0)
        {
            database.RecordIdleRound(watches, started);
            return 0;
        }

        var total = 0;
        foreach (var watch in watches)
        {
            total += await EvaluateAsync(watch, cancellationToken);
        }

        return total;
    }

    /// <summary>Where an evaluation of the watch looks from: its checkpoint less the overlap, never before it was made.</summary>
    DateTimeOffset From(Watch watch)
    {
        var from = watch.Checkpoint - options.Value.Overlap;
        return from < watch.Since ? watch.Since : from;
    }

    async Task<int> EvaluateAsync(Watch watch, CancellationToken cancellationToken)
    {
        using var activity = WatchTelemetry.StartEvaluation(watch);
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        try
        {
            var found = await FindAsync(watch, From(watch), cancellationToken);
            var added = database.RecordEvaluation(watch, found, now, clock.GetUtcNow(), matches => Deliveries(watch, matches));
            activity?.SetTag("watch.found", found.Count).SetTag("watch.new", added?.Count ?? 0);
            WatchTelemetry.RecordEvaluation(ok: true, added?.Count ?? 0, Stopwatch.GetElapsedTime(started));
            if (added is { Count: > 0 })
            {
                logger.LogInformation("Watch {Watch} ({Name}) matched {Count} new articles.", watch.Id, watch.Name, added.Count);
                if (watch.WebhookUrl is not null)
                {
                    webhooks.Wake();
                }
            }

            return added?.Count ?? 0;
        }
        catch (InvalidSearchRequestException e)
        {
            // The saved search no longer runs (an enrichment field it filters is gone, say): shown on the watch.
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            WatchTelemetry.RecordEvaluation(ok: false, 0, Stopwatch.GetElapsedTime(started));
            database.RecordEvaluationError(watch.Id, $"{e.Parameter}: {e.Message}", now);
            return 0;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The store or the database failed for this watch: the others are still evaluated, this one from the same
            // checkpoint next time.
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            WatchTelemetry.RecordEvaluation(ok: false, 0, Stopwatch.GetElapsedTime(started));
            logger.LogWarning(e, "Evaluating watch {Watch} ({Name}) failed; it is tried again next time.", watch.Id, watch.Name);
            return 0;
        }
    }

    /// <summary>The articles of the watch's search written by the store at or after <paramref name="from"/>, at most MaxMatchesPerEvaluation.</summary>
    async Task<List<WatchMatch>> FindAsync(Watch watch, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var saved = WatchQuery.ToRequest(watch.Query);
        var request = saved with
        {
            Size = PageSize,
            From = 0,
            Sort = SearchSort.Newest,
            Facets = [],
            Highlight = false,
            Cursor = null,
            Filters = [.. saved.Filters, new DateRangeFilter(SearchFields.Indexed.Name, from, null)],
        };
        var found = new List<WatchMatch>();
        var limit = options.Value.MaxMatchesPerEvaluation;
        while (true)
        {
            var page = await search.SearchAsync(request, cancellationToken);
            // Written lately, but searchable since before the watch (re-enriched, re-indexed): not new.
            found.AddRange(page.Hits
                .Where(h => h.FirstIndexedAt is not { } first || first >= watch.Since)
                .Select(h => new WatchMatch(h.ArticleId, default, h.Title, h.Url, h.Source, h.PublishedAt, h.IndexedAt)));
            if (page.NextCursor is null || found.Count >= limit)
            {
                break;
            }

            request = request with { Cursor = page.NextCursor };
        }

        if (found.Count > limit)
        {
            logger.LogWarning("Watch {Watch} ({Name}) found more than {Limit} articles in one evaluation; the rest are skipped (Watches:MaxMatchesPerEvaluation).", watch.Id, watch.Name, limit);
            return found[..limit];
        }

        return found;
    }

    /// <summary>The webhook payloads of the new matches: at most MaxMatchesPerDelivery each, newest articles first.</summary>
    IEnumerable<(string Payload, int Count)> Deliveries(Watch watch, IReadOnlyList<WatchMatch> matches) =>
        matches.Chunk(options.Value.MaxMatchesPerDelivery).Select(chunk => (JsonSerializer.Serialize(new WebhookPayload(
            new WebhookWatch(watch.Id, watch.Name),
            [.. chunk.Select(m => new WebhookMatch(m.ArticleId, m.Title, m.Url, m.Source, m.PublishedAt, m.IndexedAt))],
            SentAt: null), Json), chunk.Length));
}
