using System.Net;

namespace Pipeline.Cli.Import;

/// <summary>A batch the ingestion API answered with another status than 200, and how long it asked the client to wait (Retry-After), if it did.</summary>
public sealed class BatchRefusedException(HttpStatusCode status, string message, TimeSpan? retryAfter) : HttpRequestException(message, null, status)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
