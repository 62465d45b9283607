using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Processes;
using RabbitMQ.Client;

namespace Pipeline.Ingestion.Tests;

/// <summary>A real RabbitMQ node behind a loopback proxy that the test cuts in the middle of an NDJSON batch.</summary>
public sealed class BrokerOutageTests
{
    const string Exchange = "Pipeline.Contracts:ArticleIngested";
    const string Queue = "outage-test";
    const int Lines = 3_000;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Broker_outage_in_the_middle_of_a_batch_loses_no_accepted_line_and_the_rest_can_be_resent()
    {
        await using var node = await RabbitMqNode.StartAsync(Cancel);
        await using var proxy = new LoopbackTcpProxy(node.Port);
        await using var connection = await new ConnectionFactory { Uri = new Uri(node.ConnectionString) }.CreateConnectionAsync(Cancel);
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: Cancel))
        {
            await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, cancellationToken: Cancel);
            await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
            await channel.QueueBindAsync(Queue, Exchange, "", cancellationToken: Cancel);
        }

        await using var host = await IngestionHost.StartAsync(harness: false, new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{proxy.Port}",
            ["Messaging:PublishTimeout"] = "00:00:02",
            ["Ingestion:BatchWindow"] = "64",
        });
        var lines = Enumerable.Range(0, Lines).Select(i => BatchTests.Line($"https://example.com/outage/{i}", $"Article {i}", $"Article {i}: {Guid.NewGuid()} {Guid.NewGuid()}.")).ToList();

        // The outage: once the broker holds a few hundred of the batch's articles, the service's connection is cut.
        var cutter = Task.Run(async () =>
        {
            while (await QueuedAsync(connection) < 300)
            {
                await Task.Delay(5, Cancel);
            }

            proxy.Cut();
        }, Cancel);
        var (answers, summary) = await PostSlowlyAsync(host.Client, lines);
        await cutter;

        var accepted = answers.Where(a => a.Status == "accepted").ToList();
        var notAccepted = answers.Where(a => a.Status != "accepted").ToList();
        Assert.Equal(Enumerable.Range(1, Lines), answers.Select(a => a.Line));
        Assert.NotEmpty(accepted);
        Assert.NotEmpty(notAccepted);
        Assert.All(notAccepted, a => Assert.Equal("unavailable", a.Status));
        var failedAt = summary.GetProperty("brokerFailedAtLine").GetInt32();
        Assert.All(answers.Where(a => a.Line > failedAt), a => Assert.Equal("unavailable", a.Status));

        // Every line answered "accepted" is in the broker.
        var queued = await DrainIdsAsync(connection);
        Assert.Empty(accepted.Select(a => a.ArticleId!).Except(queued));

        // The broker is back: resending exactly the lines not accepted gets every one of them in.
        proxy.Restore();
        var resend = notAccepted.Select(a => lines[a.Line - 1]).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (resend.Count > 0 && DateTime.UtcNow < deadline)
        {
            try
            {
                var (again, _) = await PostSlowlyAsync(host.Client, resend);
                resend = [.. again.Where(a => a.Status == "unavailable").Select(a => resend[a.Line - 1])];
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                // Still reconnecting.
            }

            if (resend.Count > 0)
            {
                await Task.Delay(500, Cancel);
            }
        }

        Assert.Empty(resend);
        queued.UnionWith(await DrainIdsAsync(connection));
        var all = lines.Select(l => Pipeline.Contracts.ArticleIdentity.ArticleId(
            JsonDocument.Parse(l).RootElement.GetProperty("url").GetString(), "unused")).ToHashSet();
        Assert.Superset(all, queued);
        Assert.Equal(Lines, queued.Count);
    }

    sealed record Answer(int Line, string Status, string? ArticleId);

    /// <summary>Streams the lines in small pieces (so the cut lands mid-batch) while reading the answers.</summary>
    static async Task<(List<Answer>, JsonElement)> PostSlowlyAsync(HttpClient client, List<string> lines)
    {
        var content = new PushContent(async stream =>
        {
            for (var i = 0; i < lines.Count; i++)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(lines[i] + "\n"), Cancel);
                if (i % 50 == 49)
                {
                    await stream.FlushAsync(Cancel);
                    await Task.Delay(10, Cancel);
                }
            }
        });
        content.Headers.ContentType = new("application/x-ndjson");
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/articles/batch") { Content = content }, HttpCompletionOption.ResponseHeadersRead, Cancel);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException(await response.Content.ReadAsStringAsync(Cancel), null, response.StatusCode);
        }

        var answers = new List<Answer>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
        while (await reader.ReadLineAsync(Cancel) is { Length: > 0 } line)
        {
            var root = JsonDocument.Parse(line).RootElement;
            if (root.TryGetProperty("summary", out var summary))
            {
                return (answers, summary);
            }

            answers.Add(new(root.GetProperty("line").GetInt32(), root.GetProperty("status").GetString()!, root.TryGetProperty("articleId", out var id) ? id.GetString() : null));
        }

        throw new InvalidOperationException("The answer ended without a summary line.");
    }

    static async Task<uint> QueuedAsync(IConnection connection)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        return (await channel.QueueDeclarePassiveAsync(Queue, Cancel)).MessageCount;
    }

    static async Task<HashSet<string>> DrainIdsAsync(IConnection connection)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        while (await channel.BasicGetAsync(Queue, autoAck: true, Cancel) is { } message)
        {
            using var envelope = JsonDocument.Parse(message.Body);
            ids.Add(envelope.RootElement.GetProperty("message").GetProperty("articleId").GetString()!);
        }

        return ids;
    }

    sealed class PushContent(Func<Stream, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
