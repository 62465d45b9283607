using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

public static class SearchEndpoints
{
    const int EntityPageArticles = 20;
    const int MaxSuggestions = 20;
    const int RelatedEntities = 15;

    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder builder)
    {
        var app = builder.MapGroup("").AddEndpointFilter<RequestTextFilter>();
        app.MapGet("/search", SearchAsync)
            .WithName("SearchArticles")
            .WithSummary("Search the analysed articles: full text, filters, facets, highlights, sort, cursor paging.")
            .WithDescription(
                "q uses the Lucene query syntax (terms, \"phrases\", AND/OR/NOT, field:value), title boosted; an empty q lists every article. " +
                "Every filter must hold for the same article; claim filters (claim_type, worthiness, attribution) each hold for some claim of it. " +
                "entity=Q30&worthiness=0.5 (or worthiness>=0.5) finds articles that mention Q30 and have a claim at least 0.5 check-worthy; " +
                "entity also takes an emerging entity's id (nil: and 12 hex digits), a name no knowledge base knows. " +
                "Facet counts are exact and count the articles matching the whole query. Page with nextCursor (search_after). " +
                "Fields an enricher declares filterable or facetable are named enrichment.{enricher}.{field}: enrichment.fact-checks.status=matched " +
                "filters (any of comma-separated values), facet=enrichment.fact-checks.status counts; a field no indexed article declares so is a 400. " +
                "An invalid parameter, a query syntax error included, is a 400 naming the parameter.")
            .ProducesValidationProblem();
        app.MapGet("/articles/{id}", GetArticleAsync)
            .WithName("GetArticle")
            .WithSummary("One indexed article: text, claims and entity mentions with their offsets, and every enrichment.");
        app.MapGet("/entities/{qid}", GetEntityAsync)
            .WithName("GetEntity")
            .WithSummary("An entity over time: articles mentioning the QID (or emerging nil: id) per date bucket, the latest of them, their claims that mention it, and the entities it appears with.")
            .WithDescription(
                "worthiness (0..1) keeps only articles with a claim at least that check-worthy, and only such claims. " +
                "A qid that is neither a Wikidata item id (Q and a number) nor an emerging-entity id (nil: and 12 lower-case hex digits) is a 400; " +
                "one that no indexed article mentions is a 404. inKb is false for an emerging entity, which has no wikidataUrl.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/suggest/entities", SuggestEntitiesAsync)
            .WithName("SuggestEntities")
            .WithSummary("Entities in the index whose label has a word starting with the prefix, most mentioned first.")
            .ProducesValidationProblem();
        return builder;
    }

    static async Task<Results<Ok<SearchResults>, ValidationProblem>> SearchAsync(
        [AsParameters] SearchParameters parameters,
        HttpRequest http,
        IArticleSearch search,
        CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("search");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var request = parameters.ToRequest(http);
            activity?.SetTag("search.query", request.Query);
            var results = await search.SearchAsync(request, cancellationToken);
            activity?.SetTag("search.total", results.Total);
            return TypedResults.Ok(results);
        }
        catch (InvalidSearchRequestException e)
        {
            return Invalid(e);
        }
        finally
        {
            SearchTelemetry.Record("search", Stopwatch.GetElapsedTime(started));
        }
    }

    static async Task<Results<Ok<ArticleView>, NotFound<string>>> GetArticleAsync(string id, IArticleSearch search, CancellationToken cancellationToken)
    {
        using var activity = SearchTelemetry.Start("article");
        var started = Stopwatch.GetTimestamp();
        var document = await search.GetAsync(id, cancellationToken);
        SearchTelemetry.Record("article", Stopwatch.GetElapsedTime(started));
        if (document?.Article is not { } article)
        {
            return TypedResults.NotFound($"No indexed article has the id '{id}'.");
        }

        var enrichments = document.Enrichments.ToDictionary(
            e => e.Key,
            e => new EnrichmentView(e.Value.EnricherVersion, e.Value.TextHash == article.ContentHash, e.Value.ProducedAt, e.Value.Payload));
        return TypedResults.Ok(new ArticleView(article, document.Claims(), document.EntityMentions(), enrichments));
    }

    static async Task<Results<Ok<EntityPage>, ValidationProblem, ProblemHttpResult>> GetEntityAsync(
        string qid,
        IArticleSearch search,
        CancellationToken cancellationToken,
        string? worthiness = null,
        string? interval = null)
    {
        using var activity = SearchTelemetry.Start("entity");
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (!EntityIds.IsValid(qid))
            {
                throw new InvalidSearchRequestException("qid", $"qid must be a Wikidata item id such as Q30 or an emerging-entity id such as nil:0123456789ab, got '{qid}'.");
            }

            var minimum = SearchParameters.MinimumWorthiness(worthiness);
            var parameters = new SearchParameters
            {
                Entity = [qid],
                Worthiness = worthiness,
                Interval = interval,
                Sort = "newest",
                Size = EntityPageArticles.ToString(CultureInfo.InvariantCulture),
                Facet = [SearchFields.Published.Name, SearchFields.ClaimType.Name, SearchFields.Entity.Name],
                FacetSize = "50",
                Highlight = "false",
            };
            var results = await search.SearchAsync(parameters.ToRequest(worthinessFromOperator: null), cancellationToken);
            // Without a worthiness filter the search above already asked whether any article mentions the QID.
            if (results.Total == 0 && (minimum is null || !await IsMentionedAsync(search, qid, cancellationToken)))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Unknown entity",
                    detail: $"No indexed article mentions {qid}.");
            }

            var claims = new List<EntityClaim>();
            string? label = null;
            foreach (var hit in results.Hits)
            {
                var document = await search.GetAsync(hit.ArticleId, cancellationToken);
                if (document is null)
                {
                    continue;
                }

                var mentions = document.EntityMentions().Where(m => m.Qid == qid).ToList();
                label ??= mentions.Select(m => m.Label).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
                claims.AddRange(document.Claims()
                    .Where(c => c.CheckWorthiness >= (minimum ?? 0) && mentions.Any(m => m.IsWithin(c)))
                    .Select(c => new EntityClaim(hit.ArticleId, hit.Title, hit.PublishedAt, c)));
            }

            var facet = (string field) => results.Facets.First(f => f.Field == field).Buckets;
            label ??= facet(SearchFields.Entity.Name).FirstOrDefault(b => b.Value == qid)?.Label;
            var inKb = EntityIds.IsQid(qid);
            return TypedResults.Ok(new EntityPage(
                qid,
                label,
                inKb,
                inKb ? $"https://www.wikidata.org/wiki/{Uri.EscapeDataString(qid)}" : null,
                minimum,
                results.Total,
                facet(SearchFields.Published.Name),
                facet(SearchFields.ClaimType.Name),
                results.Hits,
                claims)
            {
                Related = [.. facet(SearchFields.Entity.Name).Where(b => b.Value != qid).Take(RelatedEntities)],
            });
        }
        catch (InvalidSearchRequestException e)
        {
            return Invalid(e);
        }
        finally
        {
            SearchTelemetry.Record("entity", Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Whether any indexed article mentions the QID, whatever its claims (a worthiness filter may leave none).</summary>
    static async Task<bool> IsMentionedAsync(IArticleSearch search, string qid, CancellationToken cancellationToken)
    {
        var any = new SearchRequest(null, Size: 1) { Filters = [new TermsFilter(SearchFields.Entity.Name, [qid], RequireAll: true)], Highlight = false };
        return (await search.SearchAsync(any, cancellationToken)).Total > 0;
    }

    static async Task<Results<Ok<IReadOnlyList<EntitySuggestion>>, ValidationProblem>> SuggestEntitiesAsync(
        IArticleSearch search,
        CancellationToken cancellationToken,
        string? prefix = null,
        string? size = null)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return Invalid(new InvalidSearchRequestException("prefix", "prefix is required."));
        }

        int suggestions;
        try
        {
            suggestions = SearchParameters.Integer("size", size) ?? 8;
        }
        catch (InvalidSearchRequestException e)
        {
            return Invalid(e);
        }

        if (suggestions is < 1 or > MaxSuggestions)
        {
            return Invalid(new InvalidSearchRequestException("size", $"size must be between 1 and {MaxSuggestions}."));
        }

        using var activity = SearchTelemetry.Start("suggest");
        var started = Stopwatch.GetTimestamp();
        var found = await search.SuggestEntitiesAsync(prefix, suggestions, cancellationToken);
        SearchTelemetry.Record("suggest", Stopwatch.GetElapsedTime(started));
        return TypedResults.Ok(found);
    }

    internal static ValidationProblem Invalid(InvalidSearchRequestException e)
    {
        SearchTelemetry.RecordRejected(e.Parameter);
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Parameter] = [e.Message] }, detail: e.Message, title: "The search request is invalid");
    }
}
