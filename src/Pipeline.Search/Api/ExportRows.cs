using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// One matching article as the export reads it: the article, its claims and entity mentions and the facts derived from
/// them, each payload parsed once per article.
/// </summary>
public sealed record ExportArticle(ArticleDocument Document, ArticleIngested Article, IReadOnlyList<TaggedClaim> Claims, IReadOnlyList<EntityMention> Mentions, ArticleFacts Facts)
{
    /// <summary>The article of a stored document, or null for a document that has only enrichments so far.</summary>
    public static ExportArticle? Of(ArticleDocument document)
    {
        if (document.Article is not { } article)
        {
            return null;
        }

        var claims = document.Claims();
        var (entityIds, mentions) = document.Entities();
        return new ExportArticle(document, article, claims, mentions, ArticleFacts.Of(document, claims, entityIds, mentions));
    }
}

/// <summary>
/// What one export row stands for (the <c>rows</c> parameter) and its columns, in order. Every column is documented in
/// docs/exports.md; a test holds the two together.
/// </summary>
public abstract class ExportRows
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Writes the article's rows (one, or one per claim or mention) and returns how many.</summary>
    public abstract int Write(ExportArticle article, ExportFormat format);

    /// <summary>One row per matching article.</summary>
    public static readonly ExportRows Articles = new ExportRows<(ExportArticle Article, ArticleFacts Facts)>(
        "articles",
        a => [(a, a.Facts)],
        [
            .. ArticleColumns<(ExportArticle Article, ArticleFacts Facts)>(r => r.Article, "title"),
            new("url", (f, r) => f.Text(r.Article.Article.CanonicalUrl)),
            new("language", (f, r) => f.Text(r.Article.Article.Language)),
            new("authors", (f, r) => f.List(r.Article.Article.Authors)),
            new("ingested_at", (f, r) => f.Time(r.Article.Article.IngestedAt)),
            new("status", (f, r) => f.Text(r.Facts.Status)),
            new("enrichers", (f, r) => f.List([.. r.Article.Document.CurrentEnrichers])),
            new("claim_count", (f, r) => f.Integer(r.Article.Claims.Count)),
            new("max_check_worthiness", (f, r) => f.Number(r.Facts.MaxWorthiness)),
            new("claim_types", (f, r) => f.List(r.Facts.ClaimTypes)),
            new("attribution_kinds", (f, r) => f.List(r.Facts.AttributionKinds)),
            new("mention_count", (f, r) => f.Integer(r.Article.Mentions.Count)),
            new("entity_ids", (f, r) => f.List(r.Facts.Entities)),
            new("entity_labels", (f, r) => f.List(Labels(r.Facts.Entities, r.Article.Mentions))),
        ]);

    /// <summary>One row per claim of each matching article (all its claims, not only those a claim filter matched).</summary>
    public static readonly ExportRows Claims = new ExportRows<(ExportArticle Article, int Index, TaggedClaim Claim, IReadOnlyList<string> EntityIds)>(
        "claims",
        a => a.Claims.Select((c, i) => (a, i, c, EntityIdsWithin(c, a.Mentions))),
        [
            .. ArticleColumns<(ExportArticle Article, int Index, TaggedClaim Claim, IReadOnlyList<string> EntityIds)>(r => r.Article, "article_title"),
            new("claim_index", (f, r) => f.Integer(r.Index)),
            new("text", (f, r) => f.Text(r.Claim.Text)),
            new("type", (f, r) => f.Text(r.Claim.Type)),
            new("check_worthiness", (f, r) => f.Number(r.Claim.CheckWorthiness)),
            new("confidence", (f, r) => f.Number(r.Claim.Confidence)),
            new("evidence_level", (f, r) => f.Text(r.Claim.EvidenceLevel)),
            new("attribution_kind", (f, r) => f.Text(r.Claim.Attribution?.Kind)),
            new("attribution_source", (f, r) => f.Text(r.Claim.Attribution?.Source)),
            new("start", (f, r) => f.Integer(r.Claim.Start)),
            new("end", (f, r) => f.Integer(r.Claim.End)),
            new("entity_ids", (f, r) => f.List(r.EntityIds)),
            new("entity_labels", (f, r) => f.List(Labels(r.EntityIds, r.Article.Mentions))),
            new("tagger", (f, r) => f.Text(r.Claim.Provenance?.Tagger)),
            new("model", (f, r) => f.Text(r.Claim.Provenance?.ModelId)),
        ]);

    /// <summary>One row per entity mention of each matching article, linked or not.</summary>
    public static readonly ExportRows Mentions = new ExportRows<(ExportArticle Article, int Index, EntityMention Mention)>(
        "mentions",
        a => a.Mentions.Select((m, i) => (a, i, m)),
        [
            .. ArticleColumns<(ExportArticle Article, int Index, EntityMention Mention)>(r => r.Article, "article_title"),
            new("mention_index", (f, r) => f.Integer(r.Index)),
            new("text", (f, r) => f.Text(r.Mention.Text)),
            new("entity_id", (f, r) => f.Text(r.Mention.Qid)),
            new("in_kb", (f, r) => f.Flag(r.Mention.Qid is null ? null : EntityIds.InKnowledgeBase(r.Mention))),
            new("label", (f, r) => f.Text(r.Mention.Label)),
            new("description", (f, r) => f.Text(r.Mention.Description)),
            new("type", (f, r) => f.Text(r.Mention.Type)),
            new("start", (f, r) => f.Integer(r.Mention.Start)),
            new("end", (f, r) => f.Integer(r.Mention.End)),
            new("confidence", (f, r) => f.Number(r.Mention.Confidence)),
            new("candidate_count", (f, r) => f.Integer(r.Mention.CandidateCount)),
        ]);

    public static IReadOnlyList<ExportRows> All { get; } = [Articles, Claims, Mentions];

    /// <summary>The row kind the <c>rows</c> parameter names, or null for a name no kind has.</summary>
    public static ExportRows? Named(string name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The columns every row kind starts with: which article the row belongs to.</summary>
    static IEnumerable<ExportColumn<T>> ArticleColumns<T>(Func<T, ExportArticle> article, string title) =>
    [
        new("article_id", (f, r) => f.Text(article(r).Article.ArticleId)),
        new(title, (f, r) => f.Text(article(r).Article.Title)),
        new("outlet", (f, r) => f.Text(article(r).Article.Source)),
        new("published_at", (f, r) => f.Time(article(r).Article.PublishedAt)),
    ];

    /// <summary>The entities linked by a mention inside the claim's span (the rule of the entity page's claims).</summary>
    static IReadOnlyList<string> EntityIdsWithin(TaggedClaim claim, IReadOnlyList<EntityMention> mentions) =>
        [.. mentions.Where(m => m.Qid is { Length: > 0 } && m.IsWithin(claim)).Select(m => m.Qid!).Distinct(StringComparer.Ordinal)];

    /// <summary>The label of each id, in the ids' order: the first mention's label, else its text.</summary>
    static IReadOnlyList<string> Labels(IReadOnlyList<string> ids, IReadOnlyList<EntityMention> mentions) =>
        [.. ids.Select(id => mentions.Where(m => m.Qid == id).Select(m => string.IsNullOrWhiteSpace(m.Label) ? m.Text : m.Label).FirstOrDefault() ?? "")];
}

/// <summary>A column: its name (the CSV header, the NDJSON property) and how a row writes its value.</summary>
public sealed record ExportColumn<T>(string Name, Action<ExportFormat, T> Write);

sealed class ExportRows<T>(string name, Func<ExportArticle, IEnumerable<T>> rows, IReadOnlyList<ExportColumn<T>> columns) : ExportRows
{
    public override string Name => name;

    public override IReadOnlyList<string> Columns { get; } = [.. columns.Select(c => c.Name)];

    public override int Write(ExportArticle article, ExportFormat format)
    {
        var count = 0;
        foreach (var row in rows(article))
        {
            foreach (var column in columns)
            {
                column.Write(format, row);
            }

            format.EndRow();
            count++;
        }

        return count;
    }
}
