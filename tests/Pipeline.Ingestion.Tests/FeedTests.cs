using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.Ingestion.Tests;

/// <summary>Feeds served by a real Kestrel on 127.0.0.1 (loopback explicitly allowed where the test needs it).</summary>
public sealed class FeedTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feed_items_are_published_from_their_linked_pages_and_an_unchanged_feed_costs_a_304()
    {
        await using var site = await NewsSite.StartAsync();
        await using var host = await IngestionHost.StartAsync(harness: true, new Dictionary<string, string?>
        {
            ["Ingestion:Feeds:AllowPrivateAddresses"] = "true",
            ["Ingestion:Feeds:PollInterval"] = "00:00:01",
        });

        var added = await host.Client.PostAsJsonAsync("/feeds", new { url = site.FeedUrl, name = "Example News" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var articles = await WaitAsync(() => host.Harness().Published.Select<ArticleIngested>(Cancel).Select(p => p.Context.Message).ToList(), a => a.Count >= 2);
        await WaitAsync(() => site.NotModified, n => n >= 1);

        var senate = Assert.Single(articles, a => a.CanonicalUrl == site.Url("/senate-budget"));
        Assert.Contains("The Senate passed the annual budget", senate.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cookie settings", senate.Text, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.Parse("2024-03-05T08:30:00Z", System.Globalization.CultureInfo.InvariantCulture), senate.PublishedAt);
        Assert.Contains(articles, a => a.CanonicalUrl == site.Url("/rates") && a.Text.Contains("quarter point", StringComparison.Ordinal));
        Assert.Equal(2, articles.Count);
        Assert.Equal(1, site.PageRequests("/senate-budget"));

        var feeds = await host.Client.GetFromJsonAsync<JsonElement>("/feeds", Cancel);
        var feed = Assert.Single(feeds.EnumerateArray());
        Assert.Equal(2, feed.GetProperty("itemsAccepted").GetInt32());
        Assert.Equal(JsonValueKind.Null, feed.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task Loopback_feed_is_refused_unless_allowed_and_a_failing_feed_shows_in_feeds_and_health()
    {
        await using var site = await NewsSite.StartAsync();
        await using var host = await IngestionHost.StartAsync(harness: true, new Dictionary<string, string?>
        {
            ["Ingestion:Feeds:PollInterval"] = "00:00:01",
            ["Ingestion:Feeds:Sources:0:Url"] = site.FeedUrl, // configured, so it is polled even though it is refused
        });

        var refused = await host.Client.PostAsJsonAsync("/feeds", new { url = site.Url("/other-feed.xml") }, Cancel);
        var notHttp = await host.Client.PostAsJsonAsync("/feeds", new { url = "file:///etc/passwd" }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("loopback", (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notHttp.StatusCode);

        var feed = await WaitAsync(
            async () => (await host.Client.GetFromJsonAsync<JsonElement>("/feeds", Cancel)).EnumerateArray().Single(),
            f => f.GetProperty("lastError").ValueKind == JsonValueKind.String);
        Assert.Contains("refused", feed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, site.FeedRequests);

        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Cancel);
        Assert.Equal(HealthStatus.Degraded, health.Entries["feeds"].Status);
        Assert.Contains(site.FeedUrl, health.Entries["feeds"].Description, StringComparison.Ordinal);
        Assert.False(await host.Harness().Published.Any<ArticleIngested>(Cancel));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)] // cloud metadata
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("::", true)]
    [InlineData("::7f00:1", true)]              // IPv4-compatible 127.0.0.1
    [InlineData("::ffff:0:a00:1", true)]        // IPv4-translated 10.0.0.1
    [InlineData("::FFFF:192.168.0.1", true)]
    [InlineData("64:ff9b::7f00:1", true)]       // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", true)]    // NAT64 of 169.254.169.254
    [InlineData("64:ff9b:1::5db8:d822", true)]  // local-use NAT64 prefix
    [InlineData("2002:7f00:1::1", true)]        // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1", true)]      // 6to4 of 192.168.1.1
    [InlineData("2001:0:5db8:d822:0:0:f5ff:fffe", true)] // Teredo, client 10.0.0.1
    [InlineData("fc00::1", true)]
    [InlineData("FEBF::1", true)]               // the end of fe80::/10
    [InlineData("fe80::1%2", true)]             // with a scope id
    [InlineData("fec0::1", true)]
    [InlineData("::ffff:93.184.216.34", false)]
    [InlineData("64:ff9b::5db8:d822", false)]   // NAT64 of 93.184.216.34
    [InlineData("2002:5db8:d822::1", false)]    // 6to4 of 93.184.216.34
    [InlineData("2001:0:5db8:d822:0:0:a247:27dd", false)] // Teredo, client 93.184.216.34
    [InlineData("fec0::1:0:0:0:0", true)]
    [InlineData("2a00:1450:4001::1", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:4700::1111", false)]
    public void Private_loopback_link_local_and_multicast_addresses_are_internal_and_public_ones_are_not(string address, bool internalAddress) =>
        Assert.Equal(internalAddress, Pipeline.ServiceDefaults.Net.AddressGuard.IsInternal(System.Net.IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://[::1]:5101/", "http://[::1]:5101")]
    [InlineData("http://[::ffff:127.0.0.1]:5102/", "http://[::ffff:127.0.0.1]:5102")]
    [InlineData("http://[0:0:0:0:0:FFFF:7F00:1]/feed.xml", "http://[::ffff:127.0.0.1]/feed.xml")]
    [InlineData("http://[64:FF9B::7F00:1]/rss", "http://[64:ff9b::7f00:1]/rss")]
    [InlineData("http://[fe80::1%25eth0]:8080/rss", "http://[fe80::1%25eth0]:8080/rss")]
    public async Task A_feed_at_an_internal_ipv6_literal_is_a_400_naming_the_url_and_with_private_addresses_allowed_it_is_added(string url, string canonical)
    {
        await using (var guarded = await IngestionHost.StartAsync(harness: true))
        {
            var refused = await guarded.Client.PostAsJsonAsync("/feeds", new { url }, Cancel);

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.Contains("refused", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        }

        await using var open = await IngestionHost.StartAsync(harness: true, new Dictionary<string, string?>
        {
            ["Ingestion:Feeds:AllowPrivateAddresses"] = "true",
            ["Ingestion:Feeds:PollInterval"] = "01:00:00",
        });
        var added = await open.Client.PostAsJsonAsync("/feeds", new { url }, Cancel);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(canonical, (await added.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("application/json; charset=no-such-charset", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=utf-16", HttpStatusCode.BadRequest)]
    [InlineData("text/xml", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_feed_request_in_an_unknown_charset_or_type_is_a_4xx_problem(string contentType, HttpStatusCode expected)
    {
        await using var host = await IngestionHost.StartAsync(harness: true);
        using var content = new ByteArrayContent("{\"url\":\"https://feeds.example.org/world.xml\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await host.Client.PostAsync("/feeds", content, Cancel);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[\"https://feeds.example.org/world.xml\"]")]
    [InlineData("{\"url\": 42}")]
    [InlineData("null")]
    public async Task A_feed_request_that_is_not_a_json_object_is_a_400_naming_the_body(string body)
    {
        await using var host = await IngestionHost.StartAsync(harness: true);

        var response = await host.Client.PostAsync("/feeds", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), problem.ToString());
        Assert.Empty((await host.Client.GetFromJsonAsync<JsonElement>("/feeds", Cancel)).EnumerateArray());
    }

    [Fact]
    public async Task Feeds_added_through_the_api_survive_a_restart_and_can_be_removed()
    {
        var directory = Directory.CreateTempSubdirectory("ingestion-feeds-");
        var settings = new Dictionary<string, string?> { ["Ingestion:DataDirectory"] = directory.FullName, ["Ingestion:Feeds:PollInterval"] = "01:00:00" };
        try
        {
            string id;
            await using (var first = await IngestionHost.StartAsync(harness: true, settings))
            {
                var added = await first.Client.PostAsJsonAsync("/feeds", new { url = "https://feeds.example.org/world.xml" }, Cancel);
                id = (await added.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;
            }

            await using var second = await IngestionHost.StartAsync(harness: true, settings);
            var feeds = await second.Client.GetFromJsonAsync<JsonElement>("/feeds", Cancel);
            Assert.Equal("https://feeds.example.org/world.xml", Assert.Single(feeds.EnumerateArray()).GetProperty("url").GetString());

            Assert.Equal(HttpStatusCode.NoContent, (await second.Client.DeleteAsync($"/feeds/{id}", Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await second.Client.DeleteAsync($"/feeds/{id}", Cancel)).StatusCode);
            Assert.Empty((await second.Client.GetFromJsonAsync<JsonElement>("/feeds", Cancel)).EnumerateArray());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    static async Task<T> WaitAsync<T>(Func<T> read, Func<T, bool> done) => await WaitAsync(() => Task.FromResult(read()), done);

    static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100, Cancel);
        }
    }

    /// <summary>An RSS feed with two items and their pages, with an ETag, counting what it is asked for.</summary>
    sealed class NewsSite : IAsyncDisposable
    {
        const string ETag = "\"v1\"";
        readonly LoopbackWebApp _app;
        readonly ConcurrentDictionary<string, int> _requests;
        readonly int[] _notModified;

        NewsSite(LoopbackWebApp app, ConcurrentDictionary<string, int> requests, int[] notModified)
        {
            _app = app;
            _requests = requests;
            _notModified = notModified;
        }

        public string FeedUrl => Url("/feed.xml");

        public int NotModified => Volatile.Read(ref _notModified[0]);

        public int FeedRequests => _requests.GetValueOrDefault("/feed.xml");

        public int PageRequests(string path) => _requests.GetValueOrDefault(path);

        public string Url(string path) => new Uri(_app.Client.BaseAddress!, path).ToString();

        public static async Task<NewsSite> StartAsync()
        {
            var requests = new ConcurrentDictionary<string, int>();
            var notModified = new int[1];
            LoopbackWebApp? app = null;
            app = await LoopbackWebApp.StartAsync(_ => { }, web =>
            {
                web.Use(async (context, next) =>
                {
                    requests.AddOrUpdate(context.Request.Path, 1, (_, n) => n + 1);
                    await next(context);
                });
                web.MapGet("/feed.xml", (HttpContext context) =>
                {
                    if (context.Request.Headers.IfNoneMatch == ETag)
                    {
                        Interlocked.Increment(ref notModified[0]);
                        return Results.StatusCode(StatusCodes.Status304NotModified);
                    }

                    context.Response.Headers.ETag = ETag;
                    var self = $"{context.Request.Scheme}://{context.Request.Host}";
                    return Results.Text(
                        $"""
                        <?xml version="1.0" encoding="utf-8"?>
                        <rss version="2.0"><channel><title>Example News</title><link>{self}/</link><description>News</description>
                          <item><title>Senate passes budget</title><link>{self}/senate-budget?utm_source=rss</link>
                            <pubDate>Tue, 05 Mar 2024 08:30:00 GMT</pubDate><description>The Senate passed the budget.</description></item>
                          <item><title>Central bank raises rates</title><link>{self}/rates</link>
                            <pubDate>Wed, 06 Mar 2024 12:00:00 GMT</pubDate>
                            <description>&lt;p&gt;The central bank raised interest rates by a quarter point on Wednesday, its third increase this year, citing stubborn inflation in services.&lt;/p&gt;</description></item>
                        </channel></rss>
                        """,
                        "application/rss+xml");
                });
                web.MapGet("/senate-budget", () => Results.Text(HtmlAndNormalisationTests.NewsPage, "text/html"));
                web.MapGet("/rates", () => Results.StatusCode(StatusCodes.Status500InternalServerError)); // the item's own text stands in
            });
            return new NewsSite(app, requests, notModified);
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
