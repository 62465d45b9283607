using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Pipeline.Ingestion.Intake;

namespace Pipeline.Ingestion.Articles;

/// <summary>POST /articles: one article as JSON or as plain text with the other fields in the query.</summary>
public static class ArticleEndpoints
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEndpointRouteBuilder MapArticleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/articles", SubmitAsync)
            .WithName("SubmitArticle")
            .WithSummary("Submit one article for analysis and indexing.")
            .WithDescription(
                "JSON body (application/json), or the bare article text (text/plain) with url, title, source, published and " +
                "language as query parameters. Answers 202 once the broker has confirmed the article; 200 with the original's id when " +
                "it duplicates an article already accepted (exact or near duplicate; not published again); 400 names the offending " +
                "field; 503 with Retry-After when the broker is unavailable (nothing was accepted: retry later).")
            .Accepts<ArticleSubmission>("application/json", "text/plain")
            .Produces<ArticleAccepted>(StatusCodes.Status202Accepted)
            .Produces<ArticleDuplicate>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapPost("/articles/html", SubmitHtmlAsync)
            .WithName("SubmitHtml")
            .WithSummary("Submit a raw HTML page with its URL; its main text is extracted.")
            .WithDescription(
                "The body is the page's HTML (UTF-8); url (required), title, source, published, language and author come as query " +
                "parameters. The main text, title, byline, language and date are extracted (SmartReader); answers as POST /articles.")
            .Accepts<string>("text/html")
            .Produces<ArticleAccepted>(StatusCodes.Status202Accepted)
            .Produces<ArticleDuplicate>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    static Task<IResult> SubmitAsync(HttpRequest request, ArticleIntake intake, IOptions<IngestionOptions> ingestion, CancellationToken cancellationToken) =>
        ReadAndSubmitAsync(request, intake, ingestion.Value, "api", body => IsPlainText(request) ? FromPlainText(request, body, html: false) : FromJson(body), cancellationToken);

    static Task<IResult> SubmitHtmlAsync(HttpRequest request, ArticleIntake intake, IOptions<IngestionOptions> ingestion, CancellationToken cancellationToken) =>
        ReadAndSubmitAsync(
            request,
            intake,
            ingestion.Value,
            "html",
            body => string.IsNullOrWhiteSpace(request.Query["url"])
                ? (null, new("url", "url is required with raw HTML (the page's address, as a query parameter)."))
                : FromPlainText(request, body, html: true),
            cancellationToken);

    /// <summary>Reads the body (up to the limit), turns it into a submission and hands it to the intake.</summary>
    static async Task<IResult> ReadAndSubmitAsync(
        HttpRequest request,
        ArticleIntake intake,
        IngestionOptions limits,
        string channel,
        Func<byte[], (ArticleSubmission?, ArticleRejection?)> parse,
        CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, limits.MaxArticleBytes, cancellationToken);
        if (body is null)
        {
            return Reject(new("body", $"The request body is larger than {limits.MaxArticleBytes} bytes (Ingestion:MaxArticleBytes)."));
        }

        var (submission, invalid) = parse(body);
        return submission is null ? Reject(invalid!) : ToHttp(await intake.SubmitAsync(submission, channel, cancellationToken));
    }

    /// <summary>202 with the id once confirmed, 200 for a duplicate, 400 problem details naming the field, 503 with Retry-After.</summary>
    public static IResult ToHttp(IntakeResult result) => result.Status switch
    {
        IntakeStatus.Accepted => Results.Accepted(value: new ArticleAccepted(result.ArticleId!, result.ContentHash!, result.CanonicalUrl)),
        IntakeStatus.Duplicate => Results.Ok(new ArticleDuplicate(result.ArticleId!, result.DuplicateOf!, result.Reason!)),
        IntakeStatus.Rejected => ValidationProblem(result.Rejection!),
        _ => Unavailable(result.Reason),
    };

    public static IResult Unavailable(string? reason) => new RetryAfterResult(Results.Problem(
        title: "The message broker is unavailable",
        detail: $"The article was not accepted: {reason} Retry later.",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = RetryAfterSeconds }));

    public const int RetryAfterSeconds = 5;

    /// <summary>Adds the Retry-After header to a 503.</summary>
    sealed class RetryAfterResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    static bool IsPlainText(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    static (ArticleSubmission?, ArticleRejection?) FromJson(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<ArticleSubmission>(body, Json) is { } submission
                ? (submission, null)
                : (null, new("body", "The request body must be a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, JsonRejection(e));
        }
    }

    /// <summary>The body is the text (UTF-8); the other fields come from the query string, so a shell can post a file with curl.</summary>
    static (ArticleSubmission?, ArticleRejection?) FromPlainText(HttpRequest request, byte[] body, bool html)
    {
        var field = html ? "html" : "text";
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            return (null, new(field, $"The {field} is not valid UTF-8 (byte {e.Index + 1})."));
        }

        if (html && string.IsNullOrWhiteSpace(text))
        {
            return (null, new("html", "The HTML is empty."));
        }

        var query = request.Query;
        DateTimeOffset? published = null;
        if (query["published"].ToString() is { Length: > 0 } date)
        {
            if (!PublishedDateConverter.TryParse(date, out var parsed))
            {
                return (null, new("published", $"published must be an ISO 8601 date, got '{date}'."));
            }

            published = parsed;
        }

        return (new ArticleSubmission
        {
            Text = html ? null : text,
            Html = html ? text : null,
            Url = query["url"],
            Title = query["title"],
            Source = query["source"],
            Language = query["language"],
            Published = published,
            Authors = [.. query["author"].OfType<string>()],
        }, null);
    }

    /// <summary>Reads the whole body up to <paramref name="limit"/> bytes; null when it is longer.</summary>
    static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 16 * 1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }

    /// <summary>The rejection for a body (or, with <paramref name="batchLine"/>, one batch line) that is not a valid article.</summary>
    internal static ArticleRejection JsonRejection(JsonException e, int? batchLine = null)
    {
        // The top-level member: a path 10,000 levels deep ("$[0][0]...") is no field name for a client to read.
        var member = (e.Path ?? "").TrimStart('$', '.');
        var end = member.IndexOfAny(['.', '[']);
        var field = end == 0 || member.Length == 0 ? "body" : end > 0 ? member[..end] : member;
        var line = batchLine ?? e.LineNumber + 1;
        var where = line is null ? "" : e.BytePositionInLine is { } position ? $" (line {line}, byte {position + 1})" : $" (line {line})";
        var reason = e.Message.Split(" Path:", 2)[0];
        return new(field, $"{(batchLine is null ? "The request body" : "The line")} is not a valid article{where}: {reason}");
    }

    static IResult Reject(ArticleRejection rejection) => ValidationProblem(ArticleIntake.Reject(rejection, "api").Rejection!);

    public static IResult ValidationProblem(ArticleRejection rejection)
    {
        return Results.ValidationProblem(
            new Dictionary<string, string[]> { [rejection.Field] = [rejection.Message] },
            detail: rejection.Message,
            title: "The article was rejected");
    }
}
