using System.Globalization;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// <c>GET /export</c>: the articles of any search, or their claims or entity mentions, as CSV or NDJSON, streamed.
/// Every parameter is checked and the search's first page run before the first byte is written, so a bad request is
/// a 400 naming the parameter; what can fail later aborts the download (see <see cref="ExportDownload"/>).
/// </summary>
public static class ExportEndpoints
{
    /// <summary>Most articles one export takes (the <c>limit</c> parameter's maximum).</summary>
    public const int MaxArticles = 1_000_000;

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder builder)
    {
        builder.MapGroup("").AddEndpointFilter<RequestTextFilter>().MapGet("/export", ExportAsync)
            .WithName("ExportSearch")
            .WithSummary("Download every match of a search as CSV or NDJSON, one row per article, claim or entity mention, streamed.")
            .WithDescription(
                "format=csv (default) or ndjson; rows=articles (default), claims or mentions; limit (1.." + MaxArticles + ") caps the articles exported. " +
                "Every /search parameter applies (q, filters, worthiness, enrichment.*, sort); size, from, cursor, facet and highlight are checked " +
                "but do not shape the export, which holds every matching article in the search's order. Claims and mentions rows hold all the claims " +
                "or mentions of each matching article. The columns are documented in docs/exports.md. CSV is UTF-8 with a BOM, CRLF, RFC 4180 quoting, " +
                "and a text cell starting with = + - @ tab or CR gets a leading single quote. An invalid parameter is a 400 naming it, and a search matching " +
                "more than " + MaxArticles + " articles without a limit is a 400 naming limit; a failure after the download has started aborts the " +
                "connection, so a client sees a truncated transfer, never a short file that looks complete.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv", "application/x-ndjson")
            .ProducesValidationProblem();
        return builder;
    }

    static async Task<IResult> ExportAsync(
        [AsParameters] SearchParameters parameters,
        HttpRequest http,
        IArticleSearch search,
        TimeProvider clock,
        CancellationToken cancellationToken,
        string? format = null,
        string? rows = null,
        string? limit = null)
    {
        try
        {
            var exportFormat = ExportFormat.Named(format ?? "csv")
                ?? throw new InvalidSearchRequestException("format", $"format must be csv or ndjson, got '{format}'.");
            var exportRows = ExportRows.Named(rows ?? "articles")
                ?? throw new InvalidSearchRequestException("rows", $"rows must be articles, claims or mentions, got '{rows}'.");
            var maxArticles = SearchParameters.Integer("limit", limit);
            if (maxArticles is < 1 or > MaxArticles)
            {
                throw new InvalidSearchRequestException("limit", $"limit must be between 1 and {MaxArticles}.");
            }

            // The list's paging, facets and highlights do not apply to a download: it pages by cursor through every match.
            var request = parameters.ToRequest(http) with
            {
                Size = Math.Min(ExportDownload.PageSize, maxArticles ?? int.MaxValue),
                From = 0,
                Cursor = null,
                Facets = [],
                Highlight = false,
            };
            var first = await search.SearchAsync(request, cancellationToken);
            if (maxArticles is null && first.Total > MaxArticles)
            {
                throw new InvalidSearchRequestException(
                    "limit",
                    $"The search matches {first.Total} articles, more than one export takes ({MaxArticles}); narrow the search or set limit to export the first ones.");
            }

            var stamp = clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            return new ExportDownload(search, request, first, exportRows, exportFormat, maxArticles ?? MaxArticles, $"{exportRows.Name}-{stamp}.{exportFormat.Name}");
        }
        catch (InvalidSearchRequestException e)
        {
            return SearchEndpoints.Invalid(e);
        }
    }
}
