using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Ingestion.Articles;
using Pipeline.ServiceDefaults.Net;

namespace Pipeline.Ingestion.Feeds;

/// <summary>GET/POST /feeds and DELETE /feeds/{id}: the feeds the service polls, with each one's last outcome.</summary>
public static class FeedEndpoints
{
    const int MaxNameLength = 200;

    /// <summary>A feed to add.</summary>
    public sealed record FeedRequest(string? Url, string? Name);

    /// <summary>A feed and its poll state.</summary>
    public sealed record FeedView(
        string Id, string Url, string? Name, string Origin, DateTimeOffset? LastPolledAt, DateTimeOffset? LastSuccessAt,
        string? LastError, int ConsecutiveFailures, long ItemsAccepted, long ItemsDuplicate, long ItemsRejected)
    {
        public static FeedView Of(FeedState f) =>
            new(f.Id, f.Url, f.Name, f.Origin, f.LastPolledAt, f.LastSuccessAt, f.LastError, f.ConsecutiveFailures, f.ItemsAccepted, f.ItemsDuplicate, f.ItemsRejected);
    }

    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds", (FeedRegistry registry) => registry.All().Select(FeedView.Of))
            .WithName("ListFeeds")
            .WithSummary("The feeds polled, with each one's last poll, last error and item counts.");
        app.MapPost("/feeds", AddAsync)
            .WithName("AddFeed")
            .WithSummary("Add an RSS or Atom feed; it is polled from now on and kept across restarts.")
            .Accepts<FeedRequest>("application/json")
            .Produces<FeedView>(StatusCodes.Status201Created)
            .Produces<FeedView>(StatusCodes.Status200OK)
            .ProducesValidationProblem();
        app.MapDelete("/feeds/{id}", (string id, FeedRegistry registry) => registry.Find(id) switch
            {
                null => Results.Problem(title: "No such feed", detail: $"There is no feed with id '{id}'.", statusCode: StatusCodes.Status404NotFound),
                { Origin: "configuration" } => Results.Problem(
                    title: "Configured feed",
                    detail: $"Feed '{id}' comes from Ingestion:Feeds:Sources; remove it there.",
                    statusCode: StatusCodes.Status409Conflict),
                _ => registry.Remove(id) ? Results.NoContent() : Results.NotFound(),
            })
            .WithName("RemoveFeed")
            .WithSummary("Stop polling a feed that was added through the API.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>The body is read here rather than bound, so that one that is not a JSON object is a 400 naming it, not a 500.</summary>
    static async Task<IResult> AddAsync(HttpRequest http, FeedRegistry registry, IOptions<FeedOptions> options, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return Results.Problem(
                title: "Unsupported Media Type",
                detail: "The body must be JSON (Content-Type: application/json): {\"url\": \"...\", \"name\": \"...\"}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        FeedRequest? request;
        try
        {
            request = await http.ReadFromJsonAsync<FeedRequest>(cancellationToken);
        }
        catch (JsonException e)
        {
            return Invalid("body", $"The request body must be a JSON object {{url, name}}: {e.Message}");
        }
        catch (InvalidOperationException e) when (e.InnerException is ArgumentException)
        {
            // The Content-Type names a charset .NET does not know (the reader throws before reading a byte).
            return Results.Problem(
                title: "Unsupported Media Type",
                detail: $"The body's charset is not supported; send UTF-8 JSON. {e.Message}",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (request is null)
        {
            return Invalid("body", "The request body must be a JSON object {url, name}.");
        }

        if (request.Name is { } name && (name.Length > MaxNameLength || name.Contains('\0', StringComparison.Ordinal)))
        {
            return Invalid("name", $"name must be at most {MaxNameLength} characters without NUL characters.");
        }

        if (string.IsNullOrWhiteSpace(request.Url) || request.Url.Contains('\0', StringComparison.Ordinal) || !ArticleNormalizer.TryCanonicalizeUrl(request.Url.Trim(), out var url))
        {
            return Invalid("url", $"url must be an absolute http or https URL of at most {ArticleNormalizer.MaxUrlLength} characters, got '{(request.Url is { Length: > 200 } given ? given[..200] + "…" : request.Url)}'.");
        }

        var uri = new Uri(url);
        if (!options.Value.AllowPrivateAddresses && await AddressGuard.FirstInternalAddressAsync(uri, cancellationToken) is { } address)
        {
            return Invalid("url", $"{uri.Host} is a private, loopback or link-local address ({address}); refused (Ingestion:Feeds:AllowPrivateAddresses is off).");
        }

        var (feed, added) = registry.Add(url, request.Name);
        return added ? Results.Created($"/feeds/{feed.Id}", FeedView.Of(feed)) : Results.Ok(FeedView.Of(feed));
    }

    static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The feed was rejected");
}
