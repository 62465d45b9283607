using System.Text.Json;
using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// Builds the Lucene document of an <see cref="ArticleDocument"/>: text fields, keyword fields indexed for filters
/// and kept as sorted-set doc values for exact facet counts, numeric fields for ranges, sort and the date histogram,
/// the id as sorted doc values for the paging tiebreak, and the whole document as stored source.
/// </summary>
static class LuceneDocumentBuilder
{
    /// <summary>Lucene refuses terms over 32,766 UTF-8 bytes; keyword values are checked first, to name the field.</summary>
    const int MaxKeywordBytes = 32_766;

    public static Document Build(ArticleDocument document, JsonSerializerOptions json)
    {
        var doc = new Document
        {
            new StringField(LuceneFields.Id, document.ArticleId, Field.Store.YES),
            new SortedDocValuesField(LuceneFields.Id, new BytesRef(document.ArticleId)),
            new StringField(LuceneFields.HasArticle, document.Article is null ? "false" : "true", Field.Store.NO),
            new StoredField(LuceneFields.StoredSource, JsonSerializer.Serialize(document, json)),
        };

        foreach (var enricher in document.Enrichments.Keys)
        {
            AddFacetable(doc, LuceneFields.Enricher, enricher);
        }

        if (document.Article is { } article)
        {
            doc.Add(new TextField(LuceneFields.Title, article.Title, Field.Store.NO));
            doc.Add(new TextField(LuceneFields.Text, article.Text, Field.Store.NO));
            if (!string.IsNullOrEmpty(article.Source))
            {
                AddFacetable(doc, LuceneFields.Source, article.Source);
            }

            if (!string.IsNullOrEmpty(article.Language))
            {
                AddFacetable(doc, LuceneFields.Language, article.Language);
            }

            if (article.PublishedAt is { } published)
            {
                doc.Add(new Int64Field(LuceneFields.Published, published.ToUnixTimeMilliseconds(), Field.Store.NO));
                doc.Add(new NumericDocValuesField(LuceneFields.Published, published.ToUnixTimeMilliseconds()));
            }
        }

        var facts = ArticleFacts.Of(document);
        AddFacetable(doc, LuceneFields.Status, facts.Status);
        AddAll(doc, LuceneFields.Entity, facts.Entities);
        AddAll(doc, LuceneFields.EntityType, facts.EntityTypes);
        AddAll(doc, LuceneFields.ClaimType, facts.ClaimTypes);
        AddAll(doc, LuceneFields.Attribution, facts.AttributionKinds);
        if (facts.MaxWorthiness is { } worthiness)
        {
            doc.Add(new DoubleField(LuceneFields.Worthiness, worthiness, Field.Store.NO));
        }

        foreach (var label in facts.EntityLabels)
        {
            doc.Add(Keyword(LuceneFields.EntityLabel, label));
        }

        foreach (var suggestion in facts.EntitySuggestions)
        {
            doc.Add(Keyword(LuceneFields.EntitySuggest, suggestion));
        }

        EnrichmentFieldIndexing.AddTo(doc, document);
        return doc;
    }

    static void AddAll(Document doc, string field, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            AddFacetable(doc, field, value);
        }
    }

    static void AddFacetable(Document doc, string field, string value)
    {
        doc.Add(Keyword(field, value));
        doc.Add(new SortedSetDocValuesField(field, new BytesRef(value)));
    }

    static StringField Keyword(string name, string value) =>
        System.Text.Encoding.UTF8.GetByteCount(value) <= MaxKeywordBytes
            ? new StringField(name, value, Field.Store.NO)
            : throw new InvalidDataException($"The value of keyword field '{name}' is longer than {MaxKeywordBytes} bytes.");
}
