using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Pipeline.ServiceDefaults.Net;

namespace Pipeline.Search.Watches;

/// <summary>What a webhook receives: the watch, its new matches (newest articles first) and when it was sent.</summary>
public sealed record WebhookPayload(WebhookWatch Watch, IReadOnlyList<WebhookMatch> Matches, DateTimeOffset? SentAt);

public sealed record WebhookWatch(string Id, string Name);

public sealed record WebhookMatch(string ArticleId, string Title, string? Url, string? Source, DateTimeOffset? PublishedAt, DateTimeOffset? IndexedAt);

/// <summary>
/// Sends the webhook outbox: each due delivery is POSTed as JSON to its watch's current webhook URL. A 2xx answer
/// delivers it; anything else (another status, a timeout, a refused or failed connection) is retried after an
/// exponential back-off with jitter, until <see cref="WatchOptions.WebhookMaxAttempts"/>, then it is marked failed
/// (shown on the watch). Connections go only to public addresses unless <see cref="WatchOptions.AllowPrivateAddresses"/>,
/// checked on the address connected to, so neither DNS nor a redirect (not followed) reaches the service's own networks.
/// </summary>
public sealed class WebhookDispatcher(WatchDatabase database, IOptions<WatchOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    /// <summary>The header naming the watch a POST is about.</summary>
    public const string WatchHeader = "X-Pipeline-Watch";

    /// <summary>The header naming the delivery: the same on every attempt, so a receiver can drop a repeat.</summary>
    public const string DeliveryHeader = "X-Pipeline-Delivery";

    const int DuePerRound = 32;
    const int ParallelSends = 4;

    readonly SemaphoreSlim _wake = new(0, 1);
    readonly HttpClient _http = CreateClient(options.Value);

    static HttpClient CreateClient(WatchOptions settings)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.WebhookTimeout,
            ConnectCallback = AddressGuard.ConnectCallback(settings.AllowPrivateAddresses, $"{WatchOptions.SectionName}:{nameof(WatchOptions.AllowPrivateAddresses)}"),
        };
        var http = new HttpClient(handler) { Timeout = settings.WebhookTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("PipelineSearch/1.0 (+watch webhook)");
        return http;
    }

    /// <summary>Deliveries were queued: send them now rather than at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sending the watch webhooks failed; trying again.");
            }

            var wait = options.Value.PollInterval;
            if (database.NextDeliveryAt() is { } next)
            {
                var until = next - clock.GetUtcNow();
                wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
            }

            try
            {
                await _wake.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends every delivery due now (a bounded number at once); returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var attempted = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = database.ClaimDueDeliveries(now, now + (2 * options.Value.WebhookTimeout), DuePerRound);
            if (due.Count == 0)
            {
                return attempted;
            }

            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = cancellationToken },
                async (item, token) => await SendAsync(item.Delivery, item.Url, token));
            attempted += due.Count;
        }
    }

    async Task SendAsync(WebhookDelivery delivery, string? url, CancellationToken cancellationToken)
    {
        using var activity = WatchTelemetry.StartDelivery(delivery);
        if (url is null)
        {
            database.RecordAttempt(delivery.Id, delivered: false, clock.GetUtcNow(), retryAt: null, "The watch no longer has a webhook.");
            WatchTelemetry.RecordDelivery(DeliveryStates.Failed);
            return;
        }

        string? error;
        try
        {
            var payload = JsonNode.Parse(delivery.Payload)!;
            payload["sentAt"] = clock.GetUtcNow();
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add(WatchHeader, delivery.WatchId);
            request.Headers.Add(DeliveryHeader, delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            error = response.IsSuccessStatusCode ? null : $"The receiver answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = e is TaskCanceledException ? $"No answer within {options.Value.WebhookTimeout.TotalSeconds:0.#} s." : e.Message;
        }

        var now = clock.GetUtcNow();
        if (error is null)
        {
            database.RecordAttempt(delivery.Id, delivered: true, now, retryAt: null, error: null);
            WatchTelemetry.RecordDelivery(DeliveryStates.Delivered);
            return;
        }

        activity?.SetStatus(ActivityStatusCode.Error, error);
        var attempts = delivery.Attempts + 1;
        var retryAt = attempts >= options.Value.WebhookMaxAttempts ? (DateTimeOffset?)null : now + Backoff(attempts, options.Value);
        database.RecordAttempt(delivery.Id, delivered: false, now, retryAt, error);
        WatchTelemetry.RecordDelivery(retryAt is null ? DeliveryStates.Failed : "retry");
        logger.Log(
            retryAt is null ? LogLevel.Warning : LogLevel.Information,
            "Webhook delivery {Delivery} of watch {Watch} failed (attempt {Attempt}): {Error} {Next}",
            delivery.Id,
            delivery.WatchId,
            attempts,
            error,
            retryAt is null ? "Given up." : $"Next attempt at {retryAt:O}.");
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt: base × 2^(failures-1), capped, then between half and all of it.</summary>
    public static TimeSpan Backoff(int failures, WatchOptions settings)
    {
        var exponential = settings.WebhookRetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(exponential, settings.WebhookRetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    public override void Dispose()
    {
        _http.Dispose();
        _wake.Dispose();
        base.Dispose();
    }
}
