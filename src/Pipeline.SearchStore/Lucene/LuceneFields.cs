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

    /// <summary>When the store wrote the document (ms since the epoch): beside the source, not in it.</summary>
    public const string Indexed = "indexed";

    /// <summary>When the document was first written with its article (ms since the epoch): stored only.</summary>
    public const string FirstIndexed = "first_indexed";

    /// <summary>Filterable and facetable fields of the query model; each is indexed under <see cref="For"/>.</summary>
    public const string EntityType = "entity_type";
    public const string Attribution = "attribution";
    public const string Worthiness = "worthiness";
    public const string Status = "status";

    /// <summary>"QID␟Label" terms: the label of a QID, for facets.</summary>
    public const string EntityLabel = "entity_label";

    /// <summary>"normalised label suffix␟QID␟Label" terms, for name suggestions.</summary>
    public const string EntitySuggest = "entity_suggest";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The Lucene field of a query-model field (the outlet is the article's source).</summary>
    public static string For(SearchField field) => field.Name == SearchFields.Outlet.Name ? Source : field.Name;

    /// <summary>The Lucene document of an article, built with fields of its own (an indexing loop reuses a <see cref="Builder"/>).</summary>
    public static Document ToLucene(ArticleDocument document) => Builder().Build(document);

    /// <summary>A document builder for one indexing thread.</summary>
    public static LuceneDocumentBuilder Builder() => new(Json);

    public static ArticleDocument FromLucene(Document doc)
    {
        var document = JsonSerializer.Deserialize<ArticleDocument>(doc.Get(StoredSource), Json)
            ?? throw new InvalidDataException($"Document {doc.Get(Id)} has an empty source.");
        var indexed = doc.GetField(Indexed)?.GetInt64Value();
        var first = doc.GetField(FirstIndexed)?.GetInt64Value();
        return indexed is null && first is null
            ? document
            : document with
            {
                IndexedAt = indexed is { } i ? DateTimeOffset.FromUnixTimeMilliseconds(i) : null,
                FirstIndexedAt = first is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            };
    }

}
