using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>
/// How an <see cref="ArticleDocument"/> is stored in Elasticsearch: flat searchable and filterable fields (the explicit
/// mapping in index-template.json), plus the whole document under <c>doc</c>, kept but not indexed.
/// </summary>
static class ElasticsearchDocument
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToJson(ArticleDocument document)
    {
        var article = document.Article;
        var body = new JsonObject
        {
            ["id"] = document.ArticleId,
            ["has_article"] = article is not null,
            ["enricher"] = new JsonArray([.. document.Enrichments.Keys.Select(k => (JsonNode)k)]),
            ["entity"] = new JsonArray([.. document.EntityIds().Select(q => (JsonNode)q)]),
            ["claim_type"] = new JsonArray([.. document.Claims().Select(c => c.Type).Distinct().Select(t => (JsonNode)t)]),
            ["doc"] = JsonSerializer.SerializeToNode(document, Json),
            ["enrichment"] = ElasticsearchEnrichmentFields.ToJson(document),
        };
        if (article is not null)
        {
            body["title"] = article.Title;
            body["text"] = article.Text;
            body["source"] = article.Source;
            body["language"] = article.Language;
            body["published"] = article.PublishedAt;
        }

        return body.ToJsonString();
    }

    public static ArticleDocument FromSource(JsonElement source) =>
        source.GetProperty("doc").Deserialize<ArticleDocument>(Json)
        ?? throw new InvalidDataException("An Elasticsearch document has an empty 'doc'.");
}
