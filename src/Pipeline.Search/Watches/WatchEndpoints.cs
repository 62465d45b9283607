using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pipeline.Search.Api;
using Pipeline.SearchStore;
using Pipeline.ServiceDefaults.Net;

namespace Pipeline.Search.Watches;

/// <summary>
/// /watches: saved searches that alert on articles becoming searchable after they were saved. Listed with their new
/// matches since the analyst last opened them and their webhook's state; created, changed, deleted; their matches
/// newest first; <c>POST /watches/{id}/visit</c> marks them seen.
/// </summary>
public static class WatchEndpoints
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 2_000;
    public const int MaxMatchesPage = 100;

    /// <summary>A watch to create, or the new state of one: a name, the search's query string, an optional webhook.</summary>
    public sealed record WatchRequest(string? Name, string? Query, string? WebhookUrl);

    /// <summary>A watch as the API shows it.</summary>
    public sealed record WatchView(
        string Id, string Name, string Query, string? WebhookUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset Since,
        DateTimeOffset LastVisitedAt, DateTimeOffset? LastEvaluatedAt, string? LastError,
        long TotalMatches, long NewSinceLastVisit, DateTimeOffset? LastMatchAt, WebhookView? Webhook)
    {
        public static WatchView Of(WatchSummary s) => new(
            s.Watch.Id, s.Watch.Name, s.Watch.Query, s.Watch.WebhookUrl, s.Watch.CreatedAt, s.Watch.UpdatedAt, s.Watch.Since,
            s.Watch.LastVisitedAt, s.Watch.LastEvaluatedAt, s.Watch.LastError, s.TotalMatches, s.NewSinceLastVisit, s.LastMatchAt,
            s.Watch.WebhookUrl is null && s.Webhook.Latest is null ? null : WebhookView.Of(s.Webhook));
    }

    /// <summary>
    /// The webhook's outbox: <c>state</c> is that of the latest delivery (<c>pending</c> while it is being retried,
    /// <c>delivered</c>, <c>failed</c> once given up), or <c>idle</c> before the first.
    /// </summary>
    public sealed record WebhookView(string State, long Pending, long Delivered, long Failed, int? LastAttempts, string? LastError, DateTimeOffset? LastAttemptAt)
    {
        public static WebhookView Of(WebhookStatus s) => new(
            s.Latest?.State ?? "idle", s.Pending, s.Delivered, s.Failed, s.Latest?.Attempts, s.Latest?.LastError,
            s.Latest is { Attempts: > 0 } latest ? latest.FinishedAt ?? latest.NextAttemptAt : null);
    }

    /// <summary>A match, with the article as the index has it now (as it was when matched, if it left the index).</summary>
    public sealed record MatchView(
        string ArticleId, string Title, string? Url, string? Source, DateTimeOffset? PublishedAt, DateTimeOffset? IndexedAt, DateTimeOffset MatchedAt, bool New);

    public sealed record MatchPage(long Total, long NewSinceLastVisit, IReadOnlyList<MatchView> Matches, int? NextOffset);

    public static IEndpointRouteBuilder MapWatchEndpoints(this IEndpointRouteBuilder builder)
    {
        var app = builder.MapGroup("").AddEndpointFilter<RequestTextFilter>();
        app.MapGet("/watches", (WatchDatabase database) => TypedResults.Ok(database.Summaries().Select(WatchView.Of)))
            .WithName("ListWatches")
            .WithSummary("The watches (saved searches that alert on new matches), each with its new matches since the last visit and its webhook's state.");
        app.MapPost("/watches", CreateAsync)
            .WithName("CreateWatch")
            .WithSummary("Save a search as a watch: it records the articles that fit the search and become searchable from now on, and POSTs them to its webhook if it has one.")
            .WithDescription(
                "Body {name, query, webhookUrl?}: query is the search's query string as GET /search takes it (e.g. q=vaccine&entity=Q30&worthiness=0.5); " +
                "sort, paging, facet and highlight parameters are dropped, an unknown parameter is refused. An invalid parameter of the query is a 400 naming it as query.{parameter}. " +
                "webhookUrl must be http(s) and, unless Watches:AllowPrivateAddresses, not a private, loopback or link-local address.")
            .Accepts<WatchRequest>("application/json")
            .Produces<WatchView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/watches/{id}", (string id, WatchDatabase database) =>
                database.Summaries(id) is [var watch] ? Results.Ok(WatchView.Of(watch)) : NotFound(id))
            .WithName("GetWatch")
            .WithSummary("One watch with its counts and webhook state.")
            .Produces<WatchView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPut("/watches/{id}", UpdateAsync)
            .WithName("UpdateWatch")
            .WithSummary("Change a watch's name, search or webhook. A changed search alerts on articles becoming searchable from the change on; earlier matches stay.")
            .Accepts<WatchRequest>("application/json")
            .Produces<WatchView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapDelete("/watches/{id}", (string id, WatchDatabase database) => database.Delete(id) ? Results.NoContent() : NotFound(id))
            .WithName("DeleteWatch")
            .WithSummary("Delete a watch with its matches and pending webhook deliveries.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/watches/{id}/matches", MatchesAsync)
            .WithName("GetWatchMatches")
            .WithSummary("A watch's matches, newest first (offset paging, limit up to 100), those found since the last visit marked new.")
            .Produces<MatchPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/watches/{id}/visit", (string id, WatchDatabase database, TimeProvider clock) =>
                database.Visit(id, clock.GetUtcNow()) && database.Summaries(id) is [var watch] ? Results.Ok(WatchView.Of(watch)) : NotFound(id))
            .WithName("VisitWatch")
            .WithSummary("Mark the watch seen: its count of new matches starts again from 0.")
            .Produces<WatchView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return builder;
    }

    static async Task<IResult> CreateAsync(HttpRequest http, WatchDatabase database, IArticleSearch search, IOptions<WatchOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (valid, refused) = await ReadValidAsync(http, search, options.Value, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (database.CountWatches() >= options.Value.MaxWatches)
        {
            return Results.Problem(
                title: "Too many watches",
                detail: $"There are {options.Value.MaxWatches} watches already (Watches:MaxWatches); delete one first.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var now = clock.GetUtcNow();
        var watch = new Watch(WatchDatabase.NewId(), valid.Name, valid.Query, valid.WebhookUrl, now, now, now, now, now, null, null);
        database.Insert(watch);
        return Results.Created($"/watches/{watch.Id}", WatchView.Of(database.Summaries(watch.Id).Single()));
    }

    static async Task<IResult> UpdateAsync(string id, HttpRequest http, WatchDatabase database, IArticleSearch search, IOptions<WatchOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (database.Get(id) is null)
        {
            return NotFound(id);
        }

        var (valid, refused) = await ReadValidAsync(http, search, options.Value, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        return database.Update(id, valid.Name, valid.Query, valid.WebhookUrl, clock.GetUtcNow()) is null
            ? NotFound(id)
            : Results.Ok(WatchView.Of(database.Summaries(id).Single()));
    }

    static async Task<IResult> MatchesAsync(string id, WatchDatabase database, IArticleSearch search, CancellationToken cancellationToken, string? offset = null, string? limit = null)
    {
        int from, size;
        try
        {
            from = SearchParameters.Integer("offset", offset) ?? 0;
            size = SearchParameters.Integer("limit", limit) ?? 20;
        }
        catch (InvalidSearchRequestException e)
        {
            return Invalid(e.Parameter, e.Message);
        }

        if (from < 0)
        {
            return Invalid("offset", "offset must be at least 0.");
        }

        if (size is < 1 or > MaxMatchesPage)
        {
            return Invalid("limit", $"limit must be between 1 and {MaxMatchesPage}.");
        }

        if (database.Summaries(id) is not [var watch])
        {
            return NotFound(id);
        }

        var (matches, total) = database.Matches(id, from, size);
        var views = new List<MatchView>();
        foreach (var match in matches)
        {
            // The article as it is now: its title may have been corrected since it matched.
            var article = (await search.GetAsync(match.ArticleId, cancellationToken))?.Article;
            views.Add(new MatchView(
                match.ArticleId, article?.Title ?? match.Title, article?.CanonicalUrl ?? match.Url, article?.Source ?? match.Source,
                article is null ? match.PublishedAt : article.PublishedAt, match.IndexedAt, match.MatchedAt, match.MatchedAt > watch.Watch.LastVisitedAt));
        }

        return Results.Ok(new MatchPage(total, watch.NewSinceLastVisit, views, from + views.Count < total ? from + views.Count : null));
    }

    sealed record ValidWatch(string Name, string Query, string? WebhookUrl);

    /// <summary>The body is read here rather than bound, so that one that is not a JSON object is a 400 naming it, not a 500.</summary>
    /// <summary>The body read and checked (create and update alike), or the 400 that refuses it.</summary>
    static async Task<(ValidWatch Watch, IResult? Refused)> ReadValidAsync(HttpRequest http, IArticleSearch search, WatchOptions options, CancellationToken cancellationToken)
    {
        var (body, refused) = await ReadAsync(http, cancellationToken);
        return refused is not null ? (default!, refused) : await ValidateAsync(body!, search, options, cancellationToken);
    }

    static async Task<(WatchRequest? Body, IResult? Refused)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return (null, Results.Problem(
                title: "Unsupported Media Type",
                detail: "The body must be JSON (Content-Type: application/json): {\"name\": \"...\", \"query\": \"q=...\", \"webhookUrl\": null}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        try
        {
            return await http.ReadFromJsonAsync<WatchRequest>(cancellationToken) is { } body
                ? (body, null)
                : (null, Invalid("body", "The request body must be a JSON object {name, query, webhookUrl}."));
        }
        catch (JsonException e)
        {
            return (null, Invalid("body", $"The request body must be a JSON object {{name, query, webhookUrl}}: {e.Message}"));
        }
    }

    static async Task<(ValidWatch Watch, IResult? Invalid)> ValidateAsync(WatchRequest body, IArticleSearch search, WatchOptions options, CancellationToken cancellationToken)
    {
        var none = new ValidWatch("", "", null);
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return (none, Invalid("name", $"name is required: at most {MaxNameLength} characters, no control characters."));
        }

        if (body.Query is null || body.Query.Length > WatchQuery.MaxLength)
        {
            return (none, Invalid("query", $"query is required: the search's query string (e.g. q=vaccine&entity=Q30), at most {WatchQuery.MaxLength} characters."));
        }

        string query;
        try
        {
            query = WatchQuery.Canonical(body.Query);

            // Run once, so that what only the store can judge (the query's syntax, enrichment fields) is refused now.
            await search.SearchAsync(WatchQuery.ToRequest(query) with { Size = 1, Highlight = false }, cancellationToken);
        }
        catch (InvalidSearchRequestException e)
        {
            return (none, Invalid($"query.{e.Parameter}", e.Message));
        }

        string? webhook = null;
        if (!string.IsNullOrWhiteSpace(body.WebhookUrl))
        {
            webhook = body.WebhookUrl.Trim();
            if (webhook.Length > MaxUrlLength || !Uri.TryCreate(webhook, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
            {
                return (none, Invalid("webhookUrl", $"webhookUrl must be an absolute http or https URL without credentials, at most {MaxUrlLength} characters."));
            }

            if (!options.AllowPrivateAddresses && await AddressGuard.FirstInternalAddressAsync(uri, cancellationToken) is { } address)
            {
                return (none, Invalid("webhookUrl", $"{uri.Host} is a private, loopback or link-local address ({address}); refused (Watches:AllowPrivateAddresses is off)."));
            }
        }

        return (new ValidWatch(name, query, webhook), null);
    }

    static IResult NotFound(string id) =>
        Results.Problem(title: "No such watch", detail: $"There is no watch with id '{id}'.", statusCode: StatusCodes.Status404NotFound);

    static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The watch was rejected");
}
