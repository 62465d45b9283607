using System.Text.Json;
using Lucene.Net.Documents;
using Pipeline.Contracts;

namespace Pipeline.SearchStore.Lucene;

/// <summary>How an <see cref="ArticleDocument"/> maps onto Lucene fields, and back through the stored source.</summary>
static class LuceneFields
{
    public const string Id = "id";
    public const string HasArticle = "has_article";
    public const string Title = "title";
    public const string Text = "text";
    public const string Source = "source";
    public const string Language = "language";
    public const string Published = "published";
    public const string Entity = "entity";
    public const string ClaimType = "claim_type";
    public const string Enricher = "enricher";
    public const string StoredSource = "_source";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Document ToLucene(ArticleDocument document)
    {
        var doc = new Document
        {
            new StringField(Id, document.ArticleId, Field.Store.YES),
            new StringField(HasArticle, document.Article is null ? "false" : "true", Field.Store.NO),
            new StoredField(StoredSource, JsonSerializer.Serialize(document, Json)),
        };

        foreach (var enricher in document.Enrichments.Keys)
        {
            doc.Add(new StringField(Enricher, enricher, Field.Store.NO));
        }

        if (document.Article is { } article)
        {
            doc.Add(new TextField(Title, article.Title, Field.Store.NO));
            doc.Add(new TextField(Text, article.Text, Field.Store.NO));
            if (!string.IsNullOrEmpty(article.Source))
            {
                doc.Add(new StringField(Source, article.Source, Field.Store.NO));
            }

            if (!string.IsNullOrEmpty(article.Language))
            {
                doc.Add(new StringField(Language, article.Language, Field.Store.NO));
            }

            if (article.PublishedAt is { } published)
            {
                doc.Add(new Int64Field(Published, published.ToUnixTimeMilliseconds(), Field.Store.NO));
            }
        }

        foreach (var qid in EntityIds(document))
        {
            doc.Add(new StringField(Entity, qid, Field.Store.NO));
        }

        foreach (var claimType in Claims(document).Select(c => c.Type).Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField(ClaimType, claimType, Field.Store.NO));
        }

        return doc;
    }

    public static ArticleDocument FromLucene(Document doc) =>
        JsonSerializer.Deserialize<ArticleDocument>(doc.Get(StoredSource), Json)
        ?? throw new InvalidDataException($"Document {doc.Get(Id)} has an empty source.");

    public static IReadOnlyList<TaggedClaim> Claims(ArticleDocument document) =>
        document.Enrichments.TryGetValue(ClaimsPayload.EnricherName, out var e)
            ? e.Payload.Deserialize<ClaimsPayload>(EnrichmentPayloads.SerializerOptions)?.Claims ?? []
            : [];

    public static IReadOnlyList<string> EntityIds(ArticleDocument document) =>
        document.Enrichments.TryGetValue(EntitiesPayload.EnricherName, out var e)
            ? e.Payload.Deserialize<EntitiesPayload>(EnrichmentPayloads.SerializerOptions)?.EntityIds ?? []
            : [];
}
