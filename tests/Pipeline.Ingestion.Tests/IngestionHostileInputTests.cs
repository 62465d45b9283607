using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.Ingestion.Tests;

/// <summary>
/// The service as it runs (service defaults, authentication, a real RabbitMQ node, real HTTP on 127.0.0.1) fed hostile
/// input on every endpoint: nothing may be a 5xx, a 400 names what it refused, and the service stays healthy.
/// </summary>
public sealed class IngestionHostileInputTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>What a case may be answered: a 400 naming a field, a 400 or any other 4xx, or (input the endpoint does not read) a 2xx.</summary>
    /// <remarks><paramref name="ByKestrel"/>: refused by the server before the app sees it (a 4xx without a body).</remarks>
    sealed record Case(string Name, Func<HttpRequestMessage> Request, string? Field = null, bool MayBeIgnored = false, bool BatchLinesRejected = false, bool ByKestrel = false);

    static readonly byte[] InvalidUtf8 = [(byte)'{', (byte)'"', (byte)'t', (byte)'e', (byte)'x', (byte)'t', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"', (byte)'}'];

    static readonly string Deep = new string('[', 10_000) + new string(']', 10_000);

    static readonly string DeepObject = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);

    static readonly string Huge = new('x', 3 * 1024 * 1024);

    static HttpRequestMessage Post(string path, HttpContent? content) => new(HttpMethod.Post, path) { Content = content };

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    static ByteArrayContent Bytes(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    static StringContent Ndjson(string body) => new(body, Encoding.UTF8, "application/x-ndjson");

    static string Article(object fields) => JsonSerializer.Serialize(fields);

    static IEnumerable<Case> Cases()
    {
        // POST /articles (JSON)
        yield return new("article: NUL in text", () => Post("/articles", Json("{\"text\":\"Biden\\u0000 met Xi.\"}")), "text");
        yield return new("article: NUL in url", () => Post("/articles", Json("{\"text\":\"Biden met Xi.\",\"url\":\"https://example.com/a\\u0000b\"}")), "url");
        yield return new("article: NUL in title", () => Post("/articles", Json("{\"text\":\"Biden met Xi.\",\"title\":\"\\u0000\"}")), "title");
        yield return new("article: NUL in authors", () => Post("/articles", Json("{\"text\":\"Biden met Xi.\",\"authors\":[\"A\\u0000\"]}")), "authors");
        yield return new("article: raw NUL byte", () => Post("/articles", Bytes("{\"text\":\"a\0b\"}"u8.ToArray(), "application/json")), "text");
        yield return new("article: invalid UTF-8", () => Post("/articles", Bytes(InvalidUtf8, "application/json")), "text");
        yield return new("article: 10,000 nested arrays", () => Post("/articles", Json(Deep)), "body");
        yield return new("article: 10,000 nested objects", () => Post("/articles", Json(DeepObject)), "a");
        yield return new("article: text nested 10,000 deep", () => Post("/articles", Json("{\"text\":" + Deep + "}")), "text");
        yield return new("article: overflowing number", () => Post("/articles", Json("{\"text\":1e999999}")), "text");
        yield return new("article: number for published", () => Post("/articles", Json("{\"text\":\"Biden met Xi.\",\"published\":99999999999999999999999999999}")), "published");
        yield return new("article: wrong types", () => Post("/articles", Json("{\"text\":[\"a\"],\"authors\":\"x\"}")), "text");
        yield return new("article: authors of objects", () => Post("/articles", Json("{\"text\":\"Biden met Xi.\",\"authors\":[{}]}")), "authors");
        yield return new("article: huge text", () => Post("/articles", Json(Article(new { text = Huge }))), "body");
        yield return new("article: huge url", () => Post("/articles", Json(Article(new { text = "Biden met Xi.", url = "https://example.com/" + new string('a', 100_000) }))), "url");
        yield return new("article: huge title", () => Post("/articles", Json(Article(new { text = "Biden met Xi.", title = new string('t', 100_000) }))), "title");
        yield return new("article: javascript: url", () => Post("/articles", Json(Article(new { text = "Biden met Xi.", url = "javascript:alert(1)" }))), "url");
        yield return new("article: file: url", () => Post("/articles", Json(Article(new { text = "Biden met Xi.", url = "file:///etc/passwd" }))), "url");
        yield return new("article: data: url", () => Post("/articles", Json(Article(new { text = "Biden met Xi.", url = "data:text/html,<script>x</script>" }))), "url");
        yield return new("article: empty body", () => Post("/articles", Json("")), "body");
        yield return new("article: no body", () => Post("/articles", null), "body");
        yield return new("article: not an object", () => Post("/articles", Json("\"just a string\"")), "body");
        yield return new("article: unknown field", () => Post("/articles", Json("{\"text\":\"Biden met Xi.\",\"__proto__\":{}}")), "__proto__");
        yield return new("article: xml content type", () => Post("/articles", Bytes("<article>Biden met Xi.</article>"u8.ToArray(), "application/xml")));
        yield return new("article: form content type", () => Post("/articles", Bytes("text=Biden+met+Xi."u8.ToArray(), "application/x-www-form-urlencoded")));
        yield return new("article: unknown charset", () => Post("/articles", Bytes("{}"u8.ToArray(), "application/json; charset=no-such-charset")), "text");
        yield return new("article: text/plain invalid UTF-8", () => Post("/articles", Bytes([0xC3, 0x28, 0xA0, 0xA1], "text/plain")), "text");
        yield return new("article: text/plain NUL", () => Post("/articles?url=https%3A%2F%2Fexample.com%2Fn", Bytes("Biden\0 met Xi."u8.ToArray(), "text/plain")), "text");
        yield return new("article: text/plain bad date", () => Post("/articles?published=%00%FF", Bytes("Biden met Xi."u8.ToArray(), "text/plain")), "published");
        yield return new("article: text/plain ipv6 loopback url", () => Post("/articles?url=http%3A%2F%2F%5B%3A%3A1%5D%3A5101%2F", Bytes("Biden met Xi."u8.ToArray(), "text/plain")), MayBeIgnored: true);

        // POST /articles/html
        yield return new("html: no url", () => Post("/articles/html", Bytes("<p>Biden met Xi.</p>"u8.ToArray(), "text/html")), "url");
        yield return new("html: javascript: url", () => Post("/articles/html?url=javascript%3Aalert(1)", Bytes("<p>Biden met Xi.</p>"u8.ToArray(), "text/html")), "url");
        yield return new("html: invalid UTF-8", () => Post("/articles/html?url=https%3A%2F%2Fexample.com%2Fh", Bytes([0x3C, 0x70, 0x3E, 0xFF, 0xFE, 0xC0], "text/html")), "html");
        yield return new("html: NUL", () => Post("/articles/html?url=https%3A%2F%2Fexample.com%2Fh", Bytes("<p>Biden\0 met Xi.</p>"u8.ToArray(), "text/html")), "html");
        yield return new("html: 10,000 nested divs", () => Post("/articles/html?url=https%3A%2F%2Fexample.com%2Fh", new StringContent(string.Concat(Enumerable.Repeat("<div>", 10_000)) + "x", Encoding.UTF8, "text/html")), "html");
        yield return new("html: empty", () => Post("/articles/html?url=https%3A%2F%2Fexample.com%2Fh", Bytes([], "text/html")), "html");
        yield return new("html: nothing but scripts", () => Post("/articles/html?url=https%3A%2F%2Fexample.com%2Fh", Bytes("<script>alert(1)</script><nav>x</nav>"u8.ToArray(), "text/html")), "html");
        yield return new("html: huge", () => Post("/articles/html?url=https%3A%2F%2Fexample.com%2Fh", new StringContent(Huge, Encoding.UTF8, "text/html")), "body");
        yield return new("html: ipv4-mapped url with zone", () => Post("/articles/html?url=http%3A%2F%2F%5Bfe80%3A%3A1%25eth0%5D%2F", Bytes("<p></p>"u8.ToArray(), "text/html")), "html");

        // POST /articles/batch
        yield return new("batch: empty", () => Post("/articles/batch", Ndjson("")), "body");
        yield return new("batch: only blank lines", () => Post("/articles/batch", Ndjson("\n\r\n  \n")), "body");
        yield return new("batch: xml content type", () => Post("/articles/batch", Bytes("<a/>"u8.ToArray(), "application/xml")));
        yield return new("batch: bad lines", () => Post("/articles/batch", Ndjson(string.Join('\n',
            "{\"text\":\"a\\u0000\"}",
            Deep,
            DeepObject,
            "{\"text\":1e999999}",
            "{\"text\":\"x\",\"url\":\"javascript:alert(1)\"}",
            "{\"text\":\"x\",\"url\":\"file:///etc/passwd\"}",
            "\"string\"",
            "{not json") + "\n")), BatchLinesRejected: true);
        yield return new("batch: invalid UTF-8 line", () => Post("/articles/batch", Bytes([.. InvalidUtf8, (byte)'\n'], "application/x-ndjson")), BatchLinesRejected: true);
        yield return new("batch: raw NUL bytes", () => Post("/articles/batch", Bytes([0, 0, 0, (byte)'\n', 0], "application/x-ndjson")), BatchLinesRejected: true);

        // /feeds
        yield return new("feed: ipv6 loopback", () => Post("/feeds", Json("{\"url\":\"http://[::1]:5101/\"}")), "url");
        yield return new("feed: ipv4-mapped loopback", () => Post("/feeds", Json("{\"url\":\"http://[::ffff:127.0.0.1]:5102/\"}")), "url");
        yield return new("feed: 6to4 private", () => Post("/feeds", Json("{\"url\":\"http://[2002:c0a8:101::1]/rss\"}")), "url");
        yield return new("feed: NAT64 metadata", () => Post("/feeds", Json("{\"url\":\"http://[64:ff9b::a9fe:a9fe]/latest\"}")), "url");
        yield return new("feed: decimal loopback", () => Post("/feeds", Json("{\"url\":\"http://2130706433/rss\"}")), "url");
        yield return new("feed: javascript:", () => Post("/feeds", Json("{\"url\":\"javascript:alert(1)\"}")), "url");
        yield return new("feed: file:", () => Post("/feeds", Json("{\"url\":\"file:///etc/passwd\"}")), "url");
        yield return new("feed: NUL in url", () => Post("/feeds", Json("{\"url\":\"https://feeds.example.org/\\u0000\"}")), "url");
        yield return new("feed: NUL in name", () => Post("/feeds", Json("{\"url\":\"https://feeds.example.org/rss\",\"name\":\"a\\u0000\"}")), "name");
        yield return new("feed: huge name", () => Post("/feeds", Json(Article(new { url = "https://feeds.example.org/rss", name = new string('n', 1_000_000) }))), "name");
        yield return new("feed: huge url", () => Post("/feeds", Json(Article(new { url = "https://feeds.example.org/" + new string('a', 1_000_000) }))), "url");
        yield return new("feed: invalid UTF-8", () => Post("/feeds", Bytes([.. "{\"url\":\"https://x/"u8, 0xC3, 0x28, 0xFF, .. "\"}"u8], "application/json")), "body");
        yield return new("feed: 10,000 nested", () => Post("/feeds", Json(Deep)), "body");
        yield return new("feed: 10,000 nested url", () => Post("/feeds", Json("{\"url\":" + DeepObject + "}")), "body");
        yield return new("feed: overflowing number", () => Post("/feeds", Json("{\"url\":1e999999}")), "body");
        yield return new("feed: empty body", () => Post("/feeds", Json("")), "body");
        yield return new("feed: no body", () => Post("/feeds", null));
        yield return new("feed: unknown charset", () => Post("/feeds", Bytes("{}"u8.ToArray(), "application/json; charset=no-such-charset")));
        yield return new("feed: utf-16 charset, utf-8 bytes", () => Post("/feeds", Bytes("{\"url\":\"https://x\"}"u8.ToArray(), "application/json; charset=utf-16")));
        yield return new("feed: xml", () => Post("/feeds", Bytes("<url/>"u8.ToArray(), "application/xml")));
        yield return new("feed: delete %00", () => new(HttpMethod.Delete, "/feeds/%00"), ByKestrel: true);
        yield return new("feed: delete invalid escape", () => new(HttpMethod.Delete, "/feeds/%ZZ%C0%AF"));
        yield return new("feed: delete overlong UTF-8", () => new(HttpMethod.Delete, "/feeds/%C0%80%ED%A0%80"));
        yield return new("feed: delete huge id", () => new(HttpMethod.Delete, "/feeds/" + new string('a', 20_000)));
        yield return new("feed: list with junk query", () => new(HttpMethod.Get, "/feeds?%00=%FF&x=%ZZ"), MayBeIgnored: true);

        // /admin/ingestion: the body is not read, so junk is ignored (resume last: ingestion stays on)
        yield return new("admin: state with junk query", () => new(HttpMethod.Get, "/admin/ingestion/?%00=%C0%80"), MayBeIgnored: true);
        yield return new("admin: pause with junk body", () => Post("/admin/ingestion/pause", Bytes(InvalidUtf8, "application/json")), MayBeIgnored: true);
        yield return new("admin: resume with junk body", () => Post("/admin/ingestion/resume", Json(Deep)), MayBeIgnored: true);
        yield return new("admin: unknown path with %00", () => new(HttpMethod.Post, "/admin/ingestion/%00"), ByKestrel: true);
    }

    [Fact]
    public async Task Hostile_input_on_every_endpoint_is_a_4xx_naming_what_was_refused_and_the_service_stays_healthy()
    {
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        await using var host = await LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ConnectionStrings:rabbitmq"] = node.ConnectionString,
                    ["Ingestion:Feeds:PollInterval"] = "01:00:00",
                });
                builder.AddServiceDefaults();
                builder.AddIngestion();
            },
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapIngestion();
            });
        using var ingest = host.CreateClient(TestApiKeys.Ingest);
        using var admin = host.CreateClient(TestApiKeys.Admin);

        var failures = new List<string>();
        foreach (var hostile in Cases())
        {
            var client = hostile.Request().RequestUri!.OriginalString.StartsWith("/admin", StringComparison.Ordinal) ? admin : ingest;
            using var response = await client.SendAsync(hostile.Request(), Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            if (await ProblemWithAsync(hostile, response, body) is { } problem)
            {
                failures.Add($"{hostile.Name}: {problem} ({(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)})");
            }
        }

        // Headers Kestrel refuses before the app sees them.
        using (var huge = new HttpRequestMessage(HttpMethod.Post, "/articles") { Content = Json("{\"text\":\"Biden met Xi.\"}") })
        {
            huge.Headers.TryAddWithoutValidation("X-Hostile", new string('h', 64 * 1024));
            using var response = await ingest.SendAsync(huge, Cancel);
            if ((int)response.StatusCode is < 400 or >= 500)
            {
                failures.Add($"huge header: {(int)response.StatusCode}");
            }
        }

        // A body shorter than its Content-Length (the client gives up half-way), on every endpoint that reads one.
        foreach (var path in new[] { "/articles", "/articles/html?url=https%3A%2F%2Fexample.com%2Ft", "/articles/batch", "/feeds" })
        {
            var status = await TruncatedBodyStatusAsync(host.Client.BaseAddress!, path);
            if (status is not (null or (>= 400 and < 500)))
            {
                failures.Add($"truncated body on {path}: {status}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));

        using var health = await host.CreateClient(apiKey: null).GetAsync("/health", Cancel);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("Healthy", await health.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        using var valid = await ingest.PostAsJsonAsync("/articles", new { url = "https://example.com/after-the-storm", text = BatchTests.Story("The service survived") }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
    }

    /// <summary>
    /// The status of a request that announces 1,000 bytes of JSON, sends 20 and stops sending; null when the server
    /// closes the connection without an answer (Kestrel may: the client has hung up its half).
    /// </summary>
    static async Task<int?> TruncatedBodyStatusAsync(Uri server, string path)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, Cancel);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\n{TestApiKeys.Header}: {TestApiKeys.Ingest}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\": \"Biden met";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Cancel);
        tcp.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            var statusLine = await reader.ReadLineAsync(Cancel) ?? "";
            return statusLine.Split(' ') is [_, var code, ..] && int.TryParse(code, out var status) ? status : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Why the answer is wrong for the case, or null when it is right.</summary>
    static async Task<string?> ProblemWithAsync(Case hostile, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "a server error";
        }

        if (hostile.BatchLinesRejected)
        {
            if (status != 200)
            {
                return "expected 200 with every line rejected";
            }

            var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            return lines[..^1].All(l => l.GetProperty("status").GetString() == "rejected" && l.TryGetProperty("field", out _)) && lines.Count > 1
                ? null
                : "a line that was not rejected with its field";
        }

        if (status is >= 200 and < 300)
        {
            return hostile.MayBeIgnored ? null : "accepted";
        }

        if (status < 400)
        {
            return "neither 2xx nor 4xx";
        }

        if (hostile.ByKestrel)
        {
            return null;
        }

        if (status == 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return "a 400 without problem details";
            }

            var problem = JsonDocument.Parse(body).RootElement;
            if (!problem.TryGetProperty("errors", out var errors) || !errors.EnumerateObject().Any())
            {
                return "a 400 that names no field";
            }

            if (hostile.Field is { } field && !errors.TryGetProperty(field, out _))
            {
                return $"a 400 that does not name '{field}'";
            }
        }
        else if (hostile.Field is not null && status != 413)
        {
            return $"expected a 400 naming '{hostile.Field}'";
        }

        await Task.CompletedTask;
        return null;
    }
}
