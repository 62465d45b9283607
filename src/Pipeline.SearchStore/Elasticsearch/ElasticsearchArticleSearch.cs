using System.Text.Json;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>The Elasticsearch read side: the query model as query DSL (<see cref="ElasticsearchQuery"/>).</summary>
public sealed class ElasticsearchArticleSearch(ElasticsearchConnection connection) : IArticleSearch
{
    public async Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        SearchRequestValidation.Validate(request);
        var cursor = request.Cursor is null ? null : SearchCursor.Decode(request.Cursor, request.Sort);
        await connection.EnsureIndexAsync(cancellationToken);
        var asked = ElasticsearchQuery.WithPivotSides(request);
        var exact = await EnrichmentFieldsAsync(asked, cancellationToken);
        var body = ElasticsearchQuery.Build(asked, cursor, exact);

        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{connection.Index}/_search", body.ToJsonString(), cancellationToken);
        using (json)
        {
            if (status == 400)
            {
                var reason = json?.RootElement.GetProperty("error").TryGetProperty("root_cause", out var causes) == true && causes.GetArrayLength() > 0
                    ? causes[0].GetProperty("reason").GetString()
                    : json?.RootElement.ToString();
                throw new QuerySyntaxException(QuerySyntaxMessage.For(request.Query ?? "", reason));
            }

            if (status != 200 || json is null)
            {
                throw new ElasticsearchUnavailableException($"_search answered HTTP {status}: {json?.RootElement}");
            }

            var hitsElement = json.RootElement.GetProperty("hits");
            var all = hitsElement.GetProperty("hits").EnumerateArray().ToList();
            var hits = all.Take(request.Size).Select(Hit).ToList();
            var next = all.Count > request.Size && hits.Count > 0
                ? Cursor(request.Sort, all[hits.Count - 1], hits[^1]).Encode()
                : null;
            var facets = ElasticsearchQuery.Facets(asked, json.RootElement);
            return new SearchResults(hitsElement.GetProperty("total").GetProperty("value").GetInt64(), hits)
            {
                Facets = [.. facets.Take(request.Facets.Count)],
                Pivots = await PivotsAsync(request, facets.Skip(request.Facets.Count).ToList(), exact, cancellationToken),
                NextCursor = next,
            };
        }
    }

    /// <summary>The cells of the pivots whose sides the first request found: a second request (none without pivots).</summary>
    async Task<IReadOnlyList<PivotResult>> PivotsAsync(SearchRequest request, IReadOnlyList<FacetResult> sideFacets, IReadOnlyDictionary<string, string> exact, CancellationToken cancellationToken)
    {
        if (request.Pivots.Count == 0)
        {
            return [];
        }

        var sides = ElasticsearchQuery.PivotSides(request, sideFacets);
        var body = ElasticsearchQuery.PivotBody(request, sides, exact);
        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{connection.Index}/_search", body.ToJsonString(), cancellationToken);
        using (json)
        {
            if (status != 200 || json is null)
            {
                throw new ElasticsearchUnavailableException($"_search (pivots) answered HTTP {status}: {json?.RootElement}");
            }

            return ElasticsearchQuery.Pivots(request, sides, json.RootElement);
        }
    }

    /// <summary>
    /// The cursor after a hit: search_after wants the values Elasticsearch sorted by, which the hit's <c>sort</c> array
    /// holds exactly (the score as the cluster computed it, the date as epoch milliseconds, 0 when missing).
    /// </summary>
    static SearchCursor Cursor(SearchSort sort, JsonElement raw, SearchHit hit) =>
        raw.TryGetProperty("sort", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0 && values[0].ValueKind == JsonValueKind.Number
            ? new SearchCursor(sort, sort == SearchSort.Relevance ? (double)values[0].GetSingle() : (double)values[0].GetInt64(), hit.ArticleId)
            : SearchCursor.After(sort, hit);

    /// <summary>The exact fields of the request's enrichment fields, from the index mapping (one request, only when there are any).</summary>
    async Task<IReadOnlyDictionary<string, string>> EnrichmentFieldsAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var names = ElasticsearchQuery.EnrichmentFieldsOf(request);
        if (names.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        var path = $"/{connection.Index}/_mapping/field/{string.Join(',', names.Select(Uri.EscapeDataString))}";
        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.GET, path, null, cancellationToken);
        using (json)
        {
            if (status is not (200 or 404))
            {
                throw new ElasticsearchUnavailableException($"_mapping/field answered HTTP {status}: {json?.RootElement}");
            }

            return ElasticsearchQuery.ResolveEnrichmentFields(request, status == 200 ? json?.RootElement : null);
        }
    }

    static SearchHit Hit(JsonElement hit)
    {
        var document = ElasticsearchDocument.FromSource(hit.GetProperty("_source"));
        var score = hit.TryGetProperty("_score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 0;
        string? title = null;
        IReadOnlyList<string> fragments = [];
        if (hit.TryGetProperty("highlight", out var highlight))
        {
            title = highlight.TryGetProperty("title", out var t) && t.GetArrayLength() > 0 ? t[0].GetString() : null;
            fragments = highlight.TryGetProperty("text", out var f) ? [.. f.EnumerateArray().Select(x => x.GetString() ?? "")] : [];
        }

        return SearchHits.From(document, score, title, fragments);
    }

    public async Task<ArticleDocument?> GetAsync(string articleId, CancellationToken cancellationToken)
    {
        await connection.EnsureIndexAsync(cancellationToken);
        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.GET, $"/{connection.Index}/_doc/{Uri.EscapeDataString(articleId)}?_source_includes={ElasticsearchDocument.SourceFields}", null, cancellationToken);
        using (json)
        {
            if (status == 404 || json is null || !json.RootElement.GetProperty("found").GetBoolean())
            {
                return null;
            }

            var document = ElasticsearchDocument.FromSource(json.RootElement.GetProperty("_source"));
            return document.Article is null ? null : document;
        }
    }

    public async Task<IReadOnlyList<EntitySuggestion>> SuggestEntitiesAsync(string prefix, int size, CancellationToken cancellationToken)
    {
        var normalized = ArticleFacts.Normalize(prefix);
        if (normalized.Length == 0)
        {
            return [];
        }

        await connection.EnsureIndexAsync(cancellationToken);
        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{connection.Index}/_search", ElasticsearchQuery.Suggest(normalized).ToJsonString(), cancellationToken);
        using (json)
        {
            if (status != 200 || json is null)
            {
                throw new ElasticsearchUnavailableException($"_search answered HTTP {status}: {json?.RootElement}");
            }

            var found = new Dictionary<string, EntitySuggestion>(StringComparer.Ordinal);
            foreach (var bucket in json.RootElement.GetProperty("aggregations").GetProperty("suggest").GetProperty("buckets").EnumerateArray())
            {
                var parts = bucket.GetProperty("key").GetString()!.Split(ArticleFacts.Separator);
                var count = bucket.GetProperty("doc_count").GetInt64();
                if (parts.Length == 3 && (!found.TryGetValue(parts[1], out var known) || known.Articles < count))
                {
                    found[parts[1]] = new EntitySuggestion(parts[1], parts[2], count);
                }
            }

            return [.. found.Values.OrderByDescending(s => s.Articles).ThenBy(s => s.Label, StringComparer.Ordinal).Take(size)];
        }
    }
}
