using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

public static class SearchEndpoints
{
    const int MaxSize = 100;
    const int MaxWindow = 10_000;

    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/search", SearchAsync)
            .WithName("SearchArticles")
            .WithSummary("Full-text search over the analysed articles.")
            .WithDescription("q uses the Lucene query syntax (terms, \"phrases\", AND/OR/NOT, field:value); an empty q lists every article. A syntax error is a 400.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        app.MapGet("/articles/{id}", GetArticleAsync)
            .WithName("GetArticle")
            .WithSummary("One indexed article with its claims, entities and any other enrichment.");
        return app;
    }

    static async Task<Results<Ok<SearchResults>, ValidationProblem>> SearchAsync(
        IArticleSearch search,
        CancellationToken cancellationToken,
        string? q = null,
        int size = 10,
        int from = 0)
    {
        if (size is < 1 or > MaxSize)
        {
            return Invalid("size", $"size must be between 1 and {MaxSize}.");
        }

        if (from < 0 || from + size > MaxWindow)
        {
            return Invalid("from", $"from must be at least 0 and from + size at most {MaxWindow}.");
        }

        try
        {
            return TypedResults.Ok(await search.SearchAsync(new SearchRequest(q, size, from), cancellationToken));
        }
        catch (QuerySyntaxException e)
        {
            return Invalid("q", e.Message);
        }
    }

    static async Task<Results<Ok<ArticleView>, NotFound<string>>> GetArticleAsync(string id, IArticleSearch search, CancellationToken cancellationToken)
    {
        var document = await search.GetAsync(id, cancellationToken);
        if (document?.Article is not { } article)
        {
            return TypedResults.NotFound($"No indexed article has the id '{id}'.");
        }

        var enrichments = document.Enrichments.ToDictionary(
            e => e.Key,
            e => new EnrichmentView(e.Value.EnricherVersion, e.Value.TextHash == article.ContentHash, e.Value.ProducedAt, e.Value.Payload));
        return TypedResults.Ok(new ArticleView(article, enrichments));
    }

    static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The search request is invalid");
}
