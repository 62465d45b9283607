using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>The Elasticsearch read side: the same query model as the Lucene store (query_string over title^3 and text, AND).</summary>
public sealed class ElasticsearchArticleSearch(ElasticsearchConnection connection) : IArticleSearch
{
    public async Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        await connection.EnsureIndexAsync(cancellationToken);
        JsonNode must = string.IsNullOrWhiteSpace(request.Query)
            ? new JsonObject { ["match_all"] = new JsonObject() }
            : new JsonObject
            {
                ["query_string"] = new JsonObject
                {
                    ["query"] = request.Query,
                    ["fields"] = new JsonArray("title^3", "text"),
                    ["default_operator"] = "and",
                },
            };
        var body = new JsonObject
        {
            ["from"] = request.From,
            ["size"] = request.Size,
            ["track_total_hits"] = true,
            ["_source"] = new JsonArray("doc"),
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["must"] = new JsonArray(must),
                    ["filter"] = new JsonArray(new JsonObject { ["term"] = new JsonObject { ["has_article"] = true } }),
                },
            },
        };

        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{connection.Index}/_search", body.ToJsonString(), cancellationToken);
        using (json)
        {
            if (status == 400)
            {
                var reason = json?.RootElement.GetProperty("error").TryGetProperty("root_cause", out var causes) == true && causes.GetArrayLength() > 0
                    ? causes[0].GetProperty("reason").GetString()
                    : json?.RootElement.ToString();
                throw new QuerySyntaxException($"The query '{request.Query}' is not valid: {reason}");
            }

            if (status != 200 || json is null)
            {
                throw new ElasticsearchUnavailableException($"_search answered HTTP {status}: {json?.RootElement}");
            }

            var hits = json.RootElement.GetProperty("hits");
            var results = hits.GetProperty("hits").EnumerateArray()
                .Select(h => SearchHits.From(ElasticsearchDocument.FromSource(h.GetProperty("_source")), h.GetProperty("_score").ValueKind == JsonValueKind.Number ? h.GetProperty("_score").GetDouble() : 0))
                .ToList();
            return new SearchResults(hits.GetProperty("total").GetProperty("value").GetInt64(), results);
        }
    }

    public async Task<ArticleDocument?> GetAsync(string articleId, CancellationToken cancellationToken)
    {
        await connection.EnsureIndexAsync(cancellationToken);
        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.GET, $"/{connection.Index}/_doc/{Uri.EscapeDataString(articleId)}?_source_includes=doc", null, cancellationToken);
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
}
