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

    /// <summary>The field of <see cref="SearchFields.Indexed"/>: beside <c>doc</c>, not in it.</summary>
    public const string Indexed = "indexed";

    /// <summary>When the document was first written with its article (<see cref="ArticleDocument.FirstIndexedAt"/>).</summary>
    public const string FirstIndexed = "first_indexed";

    /// <summary>What a read needs of a stored document's source.</summary>
    public const string SourceFields = $"doc,{Indexed},{FirstIndexed}";

    /// <param name="document">The merged document, stamped with the time the store writes it (<see cref="ArticleDocument.Stamped"/>).</param>
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
            ["claim_entity"] = Array(facts.ClaimEntities),
            ["entity_type"] = Array(facts.EntityTypes),
            ["claim_type"] = Array(facts.ClaimTypes),
            ["attribution"] = Array(facts.AttributionKinds),
            ["worthiness"] = facts.MaxWorthiness,
            ["worthy_claims"] = facts.WorthyClaims,
            ["status"] = facts.Status,
            ["entity_label"] = Array(facts.EntityLabels),
            ["entity_suggest"] = Array(facts.EntitySuggestions),
            ["doc"] = JsonSerializer.SerializeToNode(document, Json),
            ["enrichment"] = ElasticsearchEnrichmentFields.ToJson(document),
        };
        if (document.IndexedAt is { } written)
        {
            body[Indexed] = written.ToUnixTimeMilliseconds();
        }

        if (document.FirstIndexedAt is { } first)
        {
            body[FirstIndexed] = first.ToUnixTimeMilliseconds();
        }

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

    static DateTimeOffset? Time(JsonElement source, string field) =>
        source.TryGetProperty(field, out var value) && value.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>The document of a hit's or a get's <c>_source</c>, with its <see cref="ArticleDocument.IndexedAt"/> when the source has it.</summary>
    public static ArticleDocument FromSource(JsonElement source)
    {
        var document = source.GetProperty("doc").Deserialize<ArticleDocument>(Json)
            ?? throw new InvalidDataException("An Elasticsearch document has an empty 'doc'.");
        return document with { IndexedAt = Time(source, Indexed), FirstIndexedAt = Time(source, FirstIndexed) };
    }
}
