using System.Net;
using System.Text.Json;

namespace Pipeline.Cli.Import;

/// <summary>
/// Posts one NDJSON batch to the ingestion API's /articles/batch and reads its per-line answers. Over HTTP/1.1
/// HttpClient hands over the answer only once the body is sent; the service buffers the answers until then.
/// </summary>
public static class NdjsonBatchClient
{
    /// <summary>One answer line: the input line number, its status, and the rest of the answer.</summary>
    public sealed record Answer(int Line, string Status, string? ArticleId, string? Field, string? Reason, string? DuplicateOf = null);

    /// <summary>
    /// Streams what <paramref name="writeBody"/> writes as the request body, calls <paramref name="onAnswer"/> for each
    /// answer line, and returns the summary object; throws <see cref="BatchRefusedException"/> with the status and
    /// Retry-After for a non-200 answer (503 when the broker was down before anything was accepted, 401 without a valid
    /// key), and <see cref="HttpRequestException"/> or <see cref="IOException"/> when the connection fails.
    /// </summary>
    public static async Task<JsonElement> PostAsync(
        HttpClient http,
        Func<Stream, CancellationToken, Task> writeBody,
        Action<Answer> onAnswer,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "articles/batch")
        {
            Content = new StreamingContent(writeBody),
            Version = HttpVersion.Version11,
        };
        request.Content.Headers.ContentType = new("application/x-ndjson");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date - DateTimeOffset.UtcNow)
                : null;
            throw new BatchRefusedException(response.StatusCode, $"{(int)response.StatusCode} {Detail(detail)}", retryAfter);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("summary", out var summary))
            {
                return summary.Clone();
            }

            onAnswer(new Answer(
                root.GetProperty("line").GetInt32(),
                root.GetProperty("status").GetString()!,
                root.TryGetProperty("articleId", out var id) ? id.GetString() : null,
                root.TryGetProperty("field", out var field) ? field.GetString() : null,
                root.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
                root.TryGetProperty("duplicateOf", out var duplicateOf) ? duplicateOf.GetString() : null));
        }

        throw new HttpRequestException("The ingestion API closed the batch answer before its summary line.");
    }

    static string Detail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }

    sealed class StreamingContent(Func<Stream, CancellationToken, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) => write(stream, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
