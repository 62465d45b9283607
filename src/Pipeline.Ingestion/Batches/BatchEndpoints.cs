using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Intake;

namespace Pipeline.Ingestion.Batches;

/// <summary>POST /articles/batch: many articles as NDJSON, streamed in and answered line by line as NDJSON.</summary>
public static class BatchEndpoints
{
    public const string NdjsonContentType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapBatchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/articles/batch", SubmitBatchAsync)
            .WithName("SubmitBatch")
            .WithSummary("Submit many articles as NDJSON (one article object per line), streamed.")
            .WithDescription(
                "The body is read as it arrives and never held whole; the answer streams back as NDJSON, one object per " +
                "non-empty input line in input order: {\"line\":N,\"status\":\"accepted\"|\"duplicate\"|\"rejected\"|\"unavailable\", " +
                "\"articleId\", \"duplicateOf\", \"field\", \"reason\"}, then one {\"summary\":{...}} line. \"accepted\" is written " +
                "only after the broker confirmed the article. When the broker fails mid-batch, every later line is answered " +
                "\"unavailable\" without being processed: resend exactly the lines not answered accepted, duplicate or rejected. " +
                "A broker that is down before anything was accepted gets 503 with Retry-After for the whole batch. " +
                "Answers stream back during the upload; a client that reads them only afterwards gets them buffered.")
            .Accepts<ArticleSubmission>(NdjsonContentType)
            .Produces<BatchLineResult>(StatusCodes.Status200OK, NdjsonContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>NDJSON by any of its names, JSON or plain text, or no type at all (what curl --data-binary and scripts send).</summary>
    static bool IsNdjson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var type = contentType.Split(';', 2)[0].Trim();
        return type.Equals(NdjsonContentType, StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/jsonlines", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-jsonlines", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);
    }

    static async Task SubmitBatchAsync(HttpContext context, ArticleIntake intake, IOptions<IngestionOptions> options, CancellationToken cancellationToken)
    {
        if (!IsNdjson(context.Request.ContentType))
        {
            await Results.Problem(
                title: "Unsupported Media Type",
                detail: $"The batch must be NDJSON (Content-Type: {NdjsonContentType}), one JSON article per line; got '{context.Request.ContentType}'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType).ExecuteAsync(context);
            return;
        }

        var limits = options.Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxBatchBytes;
        }

        await new NdjsonBatch(context, intake, limits).RunAsync(cancellationToken);
    }
}
