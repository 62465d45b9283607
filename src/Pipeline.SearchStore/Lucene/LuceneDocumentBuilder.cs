using System.Text.Json;
using Lucene.Net.Documents;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// Builds the Lucene document of an <see cref="ArticleDocument"/>: text fields, keyword fields indexed for filters
/// and kept as sorted-set doc values for exact facet counts, numeric fields for ranges, sort and the date histogram,
/// the id as sorted doc values for the paging tiebreak, and the whole document as stored source. One builder per
/// indexing thread: its fields are reused (see <see cref="ReusableFields"/>), so a built document is valid until the
/// next <see cref="Build"/>.
/// </summary>
public sealed class LuceneDocumentBuilder(JsonSerializerOptions json)
{
    /// <summary>Lucene refuses terms over 32,766 UTF-8 bytes; keyword values are checked first, to name the field.</summary>
    const int MaxKeywordBytes = 32_766;

    readonly ReusableFields _fields = new();

    /// <param name="document">
    /// The merged document. Its <see cref="ArticleDocument.IndexedAt"/> (set by <see cref="ArticleDocument.Stamped"/>) is
    /// indexed for range filters, kept as doc values and stored beside the source (not in it), so that the source stays
    /// what the messages make it.
    /// </param>
    public Document Build(ArticleDocument document)
    {
        _fields.Reset();
        var doc = new Document
        {
            _fields.StoredKeyword(LuceneFields.Id, document.ArticleId),
            _fields.SortedDocValues(LuceneFields.Id, document.ArticleId),
            _fields.Keyword(LuceneFields.HasArticle, document.Article is null ? "false" : "true"),
            _fields.Stored(LuceneFields.StoredSource, JsonSerializer.Serialize(document, json)),
        };

        if (document.IndexedAt is { } written)
        {
            doc.Add(_fields.StoredInt64(LuceneFields.Indexed, written.ToUnixTimeMilliseconds()));
            doc.Add(_fields.Int64DocValues(LuceneFields.Indexed, written.ToUnixTimeMilliseconds()));
        }

        if (document.FirstIndexedAt is { } first)
        {
            doc.Add(_fields.StoredOnlyInt64(LuceneFields.FirstIndexed, first.ToUnixTimeMilliseconds()));
        }

        foreach (var enricher in document.Enrichments.Keys)
        {
            AddFacetable(doc, LuceneFields.Enricher, enricher);
        }

        if (document.Article is { } article)
        {
            doc.Add(_fields.Text(LuceneFields.Title, article.Title));
            doc.Add(_fields.Text(LuceneFields.Text, article.Text));
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
                doc.Add(_fields.Int64(LuceneFields.Published, published.ToUnixTimeMilliseconds()));
                doc.Add(_fields.Int64DocValues(LuceneFields.Published, published.ToUnixTimeMilliseconds()));
            }
        }

        var facts = ArticleFacts.Of(document);
        AddFacetable(doc, LuceneFields.Status, facts.Status);
        AddAll(doc, LuceneFields.Entity, facts.Entities);
        AddAll(doc, SearchFields.ClaimEntity.Name, facts.ClaimEntities);
        AddAll(doc, LuceneFields.EntityType, facts.EntityTypes);
        AddAll(doc, LuceneFields.ClaimType, facts.ClaimTypes);
        AddAll(doc, LuceneFields.Attribution, facts.AttributionKinds);
        if (facts.MaxWorthiness is { } worthiness)
        {
            doc.Add(_fields.Double(LuceneFields.Worthiness, worthiness));
        }

        if (facts.WorthyClaims > 0)
        {
            doc.Add(_fields.Int64DocValues(SearchFields.WorthyClaims.Name, facts.WorthyClaims));
        }

        foreach (var label in facts.EntityLabels)
        {
            doc.Add(Keyword(LuceneFields.EntityLabel, label));
        }

        foreach (var suggestion in facts.EntitySuggestions)
        {
            doc.Add(Keyword(LuceneFields.EntitySuggest, suggestion));
        }

        EnrichmentFieldIndexing.AddTo(doc, document, _fields);
        return doc;
    }

    void AddAll(Document doc, string field, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            AddFacetable(doc, field, value);
        }
    }

    void AddFacetable(Document doc, string field, string value)
    {
        doc.Add(Keyword(field, value));
        doc.Add(_fields.SortedSetDocValues(field, value));
    }

    Field Keyword(string name, string value) =>
        System.Text.Encoding.UTF8.GetByteCount(value) <= MaxKeywordBytes
            ? _fields.Keyword(name, value)
            : throw new InvalidDataException($"The value of keyword field '{name}' is longer than {MaxKeywordBytes} bytes.");
}
