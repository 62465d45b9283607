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
        var facts = ArticleFacts.Of(document);
        var body = new JsonObject
        {
            ["id"] = document.ArticleId,
            ["has_article"] = article is not null,
            ["enricher"] = new JsonArray([.. document.Enrichments.Keys.Select(k => (JsonNode)k)]),
            ["entity"] = Array(facts.Entities),
            ["entity_type"] = Array(facts.EntityTypes),
            ["claim_type"] = Array(facts.ClaimTypes),
            ["attribution"] = Array(facts.AttributionKinds),
            ["worthiness"] = facts.MaxWorthiness,
            ["status"] = facts.Status,
            ["entity_label"] = Array(facts.EntityLabels),
            ["entity_suggest"] = Array(facts.EntitySuggestions),
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

    static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    public static ArticleDocument FromSource(JsonElement source) =>
        source.GetProperty("doc").Deserialize<ArticleDocument>(Json)
        ?? throw new InvalidDataException("An Elasticsearch document has an empty 'doc'.");
}
