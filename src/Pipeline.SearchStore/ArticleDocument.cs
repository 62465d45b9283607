using System.Text.Json.Serialization;
using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>
/// What the store keeps for one article: the article itself (null while only enrichments have arrived) and the
/// latest payload of each enricher, keyed by enricher name.
/// </summary>
public sealed record ArticleDocument
{
    public required string ArticleId { get; init; }

    public ArticleIngested? Article { get; init; }

    public IReadOnlyDictionary<string, StoredEnrichment> Enrichments { get; init; } =
        new SortedDictionary<string, StoredEnrichment>(StringComparer.Ordinal);

    /// <summary>
    /// When the store last wrote this document, by its own clock: set when a store reads a document back, never part of
    /// the stored source nor of <see cref="DocumentMerge"/> (which stays a function of the messages alone). Null for a
    /// document merged but not read back, or written before stores kept the time.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? IndexedAt { get; init; }

    /// <summary>
    /// When the store first wrote this document with its article (when the article became searchable), kept across
    /// later writes; like <see cref="IndexedAt"/>, the store's and never part of the source or the merge. A watch
    /// alerts only on articles that became searchable after it was made, however often they are written again.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? FirstIndexedAt { get; init; }

    /// <summary>
    /// This (merged) document as a store writes it at <paramref name="writtenAt"/>, over <paramref name="previous"/>:
    /// written now, and first written with its article now unless the previous version had it already (a version
    /// written before stores kept the time counts as written long ago).
    /// </summary>
    public ArticleDocument Stamped(ArticleDocument? previous, DateTimeOffset writtenAt) => this with
    {
        IndexedAt = writtenAt,
        FirstIndexedAt = Article is null
            ? null
            : previous?.Article is null ? writtenAt : previous.FirstIndexedAt ?? previous.IndexedAt ?? DateTimeOffset.UnixEpoch,
    };

    /// <summary>Enrichers whose payload was computed from the article's current text.</summary>
    public IEnumerable<string> CurrentEnrichers =>
        Article is null ? [] : Enrichments.Where(e => e.Value.TextHash == Article.ContentHash).Select(e => e.Key);
}
