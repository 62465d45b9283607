using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Pipeline.Search.Api;
using Pipeline.SearchStore;

namespace Pipeline.Search.Watches;

/// <summary>
/// A watch's search as its canonical query string: the parameters of <c>GET /search</c> that choose articles, in one
/// order, and nothing of how a page shows them (sort, paging, facets, highlights are dropped). A parameter
/// <c>/search</c> does not know is refused rather than ignored: a misspelt filter would silently widen an alert.
/// </summary>
public static class WatchQuery
{
    public const int MaxLength = 2_000;

    static readonly HashSet<string> Presentation = new(StringComparer.Ordinal) { "sort", "size", "from", "cursor", "facet", "facet_size", "interval", "highlight" };

    /// <summary>The parameters that choose articles (every <c>/search</c> parameter but presentation), in canonical order; enrichment filters follow, by name.</summary>
    static readonly string[] Selecting = [.. SearchParameters.Names.Where(n => !Presentation.Contains(n))];

    const string WorthinessOperator = "worthiness>";

    /// <summary>
    /// The canonical form of <paramref name="query"/> (a leading '?' is allowed), after checking it as <c>/search</c>
    /// would; an invalid one throws <see cref="InvalidSearchRequestException"/> naming the parameter.
    /// </summary>
    public static string Canonical(string query)
    {
        var parsed = QueryHelpers.ParseQuery(query.TrimStart('?'));
        foreach (var key in parsed.Keys)
        {
            if (!Selecting.Contains(key, StringComparer.OrdinalIgnoreCase) && !Presentation.Contains(key) && key != WorthinessOperator && !EnrichmentSearchField.Claims(key))
            {
                throw new InvalidSearchRequestException(key, $"'{key}' is not a parameter of /search.");
            }

            if (key.Any(char.IsControl) || parsed[key].Any(v => v?.Any(char.IsControl) == true))
            {
                throw new InvalidSearchRequestException(key, $"{key} must not contain control characters.");
            }
        }

        SearchParameters.FromQuery(parsed);
        if (!parsed.ContainsKey("worthiness") && parsed.TryGetValue(WorthinessOperator, out var atLeast))
        {
            parsed["worthiness"] = atLeast;
        }

        var canonical = new StringBuilder();
        foreach (var key in Selecting.Concat(parsed.Keys.Where(EnrichmentSearchField.Claims).Order(StringComparer.Ordinal)))
        {
            foreach (var value in parsed.TryGetValue(key, out var values) ? values : StringValues.Empty)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                canonical.Append(canonical.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value.Trim()));
            }
        }

        return canonical.ToString();
    }

    /// <summary>The store's request of a canonical query string.</summary>
    public static SearchRequest ToRequest(string canonical) => SearchParameters.FromQuery(QueryHelpers.ParseQuery(canonical));
}
