using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.Search.Watches;
using Pipeline.Testing;

namespace Pipeline.Search.Tests.Watches;

/// <summary>Webhook deliveries: retried with back-off until a 2xx, given up after the last attempt, refused to internal addresses.</summary>
public sealed class WebhookDeliveryTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static IArticleMessage[] Vaccine(string id) =>
        [.. SearchCorpus.Make(id, $"Vaccine report {id}", "A report about the vaccine.", SearchCorpus.T0, [SearchCorpus.Entities[0]], [(ClaimTypes.Accusation, 0.8, null)]).Messages()];

    [Fact]
    public async Task A_receiver_failing_twice_gets_the_delivery_on_the_third_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var service = await WatchService.StartAsync();
        var id = (await service.CreateWatchAsync("Vaccines", "q=vaccine", receiver.Url.ToString())).GetProperty("id").GetString()!;

        await service.WriteAsync(Vaccine("a"));

        var webhook = (await service.WatchUntilAsync(id, w => w.GetProperty("webhook").GetProperty("state").GetString() == "delivered", "the delivery succeeded"))
            .GetProperty("webhook");
        Assert.Equal(3, webhook.GetProperty("lastAttempts").GetInt32());
        Assert.Equal(1, webhook.GetProperty("delivered").GetInt64());
        Assert.Equal([500, 500, 204], receiver.Attempts.Select(a => a.Status));
        Assert.Single(receiver.Attempts.Select(a => a.Delivery).Distinct());
        Assert.All(receiver.Attempts, a => Assert.Equal("a", a.Body.GetProperty("matches")[0].GetProperty("articleId").GetString()));
    }

    [Fact]
    public async Task A_dead_receiver_leaves_the_delivery_failed_after_the_last_attempt_visible_in_the_api()
    {
        await using var service = await WatchService.StartAsync(new() { ["WebhookMaxAttempts"] = "3" });
        var id = (await service.CreateWatchAsync("Vaccines", "q=vaccine", WebhookReceiver.DeadUrl().ToString())).GetProperty("id").GetString()!;

        await service.WriteAsync(Vaccine("a"));

        var webhook = (await service.WatchUntilAsync(id, w => w.GetProperty("webhook").GetProperty("state").GetString() == "failed", "the delivery was given up"))
            .GetProperty("webhook");
        Assert.Equal(3, webhook.GetProperty("lastAttempts").GetInt32());
        Assert.Equal(1, webhook.GetProperty("failed").GetInt64());
        Assert.Equal(0, webhook.GetProperty("pending").GetInt64());
        Assert.False(string.IsNullOrEmpty(webhook.GetProperty("lastError").GetString()));
    }

    [Fact]
    public void Back_off_doubles_per_failure_with_jitter_up_to_the_maximum()
    {
        var settings = new WatchOptions { WebhookRetryBaseDelay = TimeSpan.FromSeconds(1), WebhookRetryMaxDelay = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 50; i++)
        {
            Assert.InRange(WebhookDispatcher.Backoff(1, settings).TotalSeconds, 0.5, 1);
            Assert.InRange(WebhookDispatcher.Backoff(3, settings).TotalSeconds, 2, 4);
            Assert.InRange(WebhookDispatcher.Backoff(20, settings).TotalSeconds, 5, 10);
        }
    }

    [Fact]
    public async Task Without_private_addresses_a_loopback_webhook_is_refused_at_creation_and_at_connection()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await WatchService.StartAsync(new() { ["AllowPrivateAddresses"] = "false", ["WebhookMaxAttempts"] = "1" });

        foreach (var url in new[] { receiver.Url.ToString(), $"http://localhost:{receiver.Url.Port}/hook", $"http://[::ffff:127.0.0.1]:{receiver.Url.Port}/hook" })
        {
            var refused = await service.Client.PostAsJsonAsync("/watches", new { name = "Internal", query = "q=vaccine", webhookUrl = url }, Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var message = (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").GetProperty("webhookUrl")[0].GetString();
            Assert.Contains("Watches:AllowPrivateAddresses", message, StringComparison.Ordinal);
        }

        // A name that resolves to loopback only when the webhook is called (as with DNS rebinding) is refused then:
        // the watch is written as the API would have written it for a public name.
        var database = (WatchDatabase)service.Services.GetService(typeof(WatchDatabase))!;
        var now = DateTimeOffset.UtcNow;
        var id = WatchDatabase.NewId();
        database.Insert(new Watch(id, "Rebound", "q=vaccine", $"http://localhost:{receiver.Url.Port}/hook", now, now, now, now, now, null, null));
        await service.WriteAsync(Vaccine("a"));

        var webhook = (await service.WatchUntilAsync(id, w => w.GetProperty("webhook").GetProperty("state").GetString() == "failed", "the delivery was refused"))
            .GetProperty("webhook");
        Assert.Contains("refused (Watches:AllowPrivateAddresses is off)", webhook.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Attempts);
    }
}
