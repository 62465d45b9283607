using System.Text.Json;
using Lucene.Net.Documents;
using Pipeline.Contracts;

namespace Pipeline.SearchStore.Lucene;

/// <summary>How an <see cref="ArticleDocument"/> maps onto Lucene fields, and back through the stored source.</summary>
public static class LuceneFields
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

    /// <summary>Lucene refuses terms over 32,766 UTF-8 bytes; keyword values are checked first, to name the field.</summary>
    const int MaxKeywordBytes = 32_766;

    static StringField Keyword(string name, string value) =>
        System.Text.Encoding.UTF8.GetByteCount(value) <= MaxKeywordBytes
            ? new StringField(name, value, Field.Store.NO)
            : throw new InvalidDataException($"The value of keyword field '{name}' is longer than {MaxKeywordBytes} bytes.");

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
            doc.Add(Keyword(Enricher, enricher));
        }

        if (document.Article is { } article)
        {
            doc.Add(new TextField(Title, article.Title, Field.Store.NO));
            doc.Add(new TextField(Text, article.Text, Field.Store.NO));
            if (!string.IsNullOrEmpty(article.Source))
            {
                doc.Add(Keyword(Source, article.Source));
            }

            if (!string.IsNullOrEmpty(article.Language))
            {
                doc.Add(Keyword(Language, article.Language));
            }

            if (article.PublishedAt is { } published)
            {
                doc.Add(new Int64Field(Published, published.ToUnixTimeMilliseconds(), Field.Store.NO));
            }
        }

        foreach (var qid in document.EntityIds())
        {
            doc.Add(Keyword(Entity, qid));
        }

        foreach (var claimType in document.Claims().Select(c => c.Type).Distinct(StringComparer.Ordinal))
        {
            doc.Add(Keyword(ClaimType, claimType));
        }

        EnrichmentFieldIndexing.AddTo(doc, document);
        return doc;
    }

    public static ArticleDocument FromLucene(Document doc) =>
        JsonSerializer.Deserialize<ArticleDocument>(doc.Get(StoredSource), Json)
        ?? throw new InvalidDataException($"Document {doc.Get(Id)} has an empty source.");

}
