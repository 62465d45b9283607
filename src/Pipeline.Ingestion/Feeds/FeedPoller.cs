using System.Net;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Microsoft.Extensions.Options;
using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Control;
using Pipeline.Ingestion.Intake;
using Pipeline.ServiceDefaults.Net;

namespace Pipeline.Ingestion.Feeds;

/// <summary>
/// Polls every feed on its schedule with conditional requests (ETag / Last-Modified, so an unchanged feed costs a
/// 304), hands each new item to <see cref="ArticleIntake"/> with its linked page (main text extracted) or, failing
/// that, the item's own content, and records each feed's outcome for /feeds, /health and the metrics.
/// </summary>
public sealed class FeedPoller(FeedRegistry registry, ArticleIntake intake, IngestionPause pause, IOptions<FeedOptions> options, TimeProvider clock, ILogger<FeedPoller> logger)
    : BackgroundService
{
    const int MaxItemsPerPoll = 100;
    const int SeenItemsKept = 1_000;

    readonly HttpClient _http = CreateClient(options.Value);

    static HttpClient CreateClient(FeedOptions options)
    {
        var http = new HttpClient(AddressGuard.Handler(options.AllowPrivateAddresses, $"{FeedOptions.SectionName}:{nameof(FeedOptions.AllowPrivateAddresses)}")) { Timeout = options.RequestTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("PipelineIngestion/1.0 (+feed poller)");
        return http;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromTicks(Math.Min(options.Value.PollInterval.Ticks, TimeSpan.FromSeconds(1).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            // While an operator has paused ingestion, no feed is polled: what the feeds publish meanwhile is picked up
            // by the first poll after resuming.
            foreach (var feed in pause.IsPaused ? [] : registry.All())
            {
                if (feed.LastPolledAt is { } last && clock.GetUtcNow() - last < options.Value.PollInterval)
                {
                    continue;
                }

                await PollAsync(feed, stoppingToken);
            }

            await Task.Delay(tick, clock, stoppingToken);
        }
    }

    public async Task PollAsync(FeedState feed, CancellationToken cancellationToken)
    {
        string outcome;
        try
        {
            outcome = await FetchAndSubmitAsync(feed, cancellationToken);
            registry.Update(feed, f =>
            {
                f.LastPolledAt = clock.GetUtcNow();
                f.LastSuccessAt = f.LastPolledAt;
                f.LastError = null;
                f.ConsecutiveFailures = 0;
            });
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "error";
            var reason = e is TaskCanceledException ? $"no answer within {options.Value.RequestTimeout.TotalSeconds:0} s" : e.Message;
            logger.LogWarning("Feed {FeedId} ({Url}) failed: {Reason}", feed.Id, feed.Url, reason);
            registry.Update(feed, f =>
            {
                f.LastPolledAt = clock.GetUtcNow();
                f.LastError = reason;
                f.ConsecutiveFailures++;
            });
        }

        IngestionTelemetry.FeedPolls.Add(1, new KeyValuePair<string, object?>("feed", feed.Id), new KeyValuePair<string, object?>("outcome", outcome));
    }

    async Task<string> FetchAndSubmitAsync(FeedState feed, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, feed.Url);
        if (feed.ETag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", feed.ETag);
        }

        if (feed.LastModified is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Modified-Since", feed.LastModified);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return "not-modified";
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the feed answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var body = await ReadCappedAsync(response, cancellationToken);
        SyndicationFeed parsed;
        using (var xml = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, Async = false }))
        {
            parsed = SyndicationFeed.Load(xml);
        }

        var validators = (ETag: response.Headers.ETag?.ToString(), LastModified: response.Content.Headers.LastModified?.ToString("R"));
        foreach (var item in parsed.Items.Take(MaxItemsPerPoll))
        {
            var link = LinkOf(item, feed.Url);
            var key = link ?? item.Id;
            if (key is null || feed.SeenItems.Contains(key))
            {
                continue;
            }

            var result = await intake.SubmitAsync(await SubmissionAsync(item, link, cancellationToken), "feed", cancellationToken);
            if (result.Status == IntakeStatus.Unavailable)
            {
                // Not accepted: the item stays unseen and the feed's validators unchanged, so the next poll tries again.
                throw new HttpRequestException($"the broker is unavailable: {result.Reason}");
            }

            registry.Update(feed, f =>
            {
                f.SeenItems.Add(key);
                if (f.SeenItems.Count > SeenItemsKept)
                {
                    f.SeenItems.RemoveRange(0, f.SeenItems.Count - SeenItemsKept);
                }

                _ = result.Status switch
                {
                    IntakeStatus.Accepted => f.ItemsAccepted++,
                    IntakeStatus.Duplicate => f.ItemsDuplicate++,
                    _ => f.ItemsRejected++,
                };
            });
        }

        registry.Update(feed, f => (f.ETag, f.LastModified) = validators);
        return "ok";
    }

    async Task<ArticleSubmission> SubmissionAsync(SyndicationItem item, string? link, CancellationToken cancellationToken)
    {
        var content = (item.Content as TextSyndicationContent)?.Text ?? item.Summary?.Text;
        string? page = null;
        if (options.Value.FetchLinkedPages && link is not null)
        {
            try
            {
                using var response = await _http.GetAsync(link, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    page = Encoding.UTF8.GetString(await ReadCappedAsync(response, cancellationToken));
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException)
            {
                // The item's own content stands in for a page that cannot be fetched.
                logger.LogInformation("Page {Link} not fetched: {Reason}", link, e.Message);
            }
        }

        var published = item.PublishDate != default ? item.PublishDate : item.LastUpdatedTime != default ? item.LastUpdatedTime : (DateTimeOffset?)null;
        return new ArticleSubmission
        {
            Url = link,
            Title = item.Title?.Text,
            Html = page ?? content,
            Published = published,
            Authors = [.. item.Authors.Select(a => a.Name ?? a.Email).Where(a => !string.IsNullOrWhiteSpace(a))],
        };
    }

    static string? LinkOf(SyndicationItem item, string feedUrl)
    {
        var uri = item.Links.FirstOrDefault(l => l.RelationshipType is null or "alternate")?.Uri
            ?? (Uri.TryCreate(item.Id, UriKind.Absolute, out var id) ? id : null);
        if (uri is null)
        {
            return null;
        }

        var absolute = uri.IsAbsoluteUri ? uri : new Uri(new Uri(feedUrl), uri);
        return absolute.Scheme is "http" or "https" ? absolute.ToString() : null;
    }

    async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new InvalidDataException($"{response.RequestMessage?.RequestUri} is larger than {limit} bytes (Ingestion:Feeds:MaxResponseBytes).");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new InvalidDataException($"{response.RequestMessage?.RequestUri} is larger than {limit} bytes (Ingestion:Feeds:MaxResponseBytes).");
            }
        }

        return buffer.ToArray();
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
