using System.ComponentModel.DataAnnotations;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>
/// Section <c>SearchStore:Elasticsearch</c>. The store is used when <c>ConnectionStrings:elasticsearch</c> is set (a URL,
/// e.g. http://localhost:9200); otherwise the embedded Lucene store is.
/// </summary>
public sealed class ElasticsearchOptions
{
    public const string SectionName = "SearchStore:Elasticsearch";

    public const string ConnectionName = "elasticsearch";

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9][a-z0-9_-]*$", ErrorMessage = "SearchStore:Elasticsearch:IndexName must be a lower-case Elasticsearch index name.")]
    public string IndexName { get; set; } = "articles";

    /// <summary>Most documents in one bulk request.</summary>
    [Range(1, 100_000)]
    public int BulkMaxDocuments { get; set; } = 1_000;

    /// <summary>Most bytes in one bulk request (Elasticsearch advises 5-15 MB).</summary>
    [Range(1_024, 100 * 1024 * 1024)]
    public int BulkMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Bulk requests of one write in flight at once.</summary>
    [Range(1, 32)]
    public int BulkConcurrency { get; set; } = 2;

    /// <summary>Retries of items the cluster answered 429/503 for, before the whole write fails (and the batch is retried later).</summary>
    [Range(0, 100)]
    public int ItemRetryLimit { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan ItemRetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ItemRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Re-reads and re-merges of a document another writer changed in between (409), before giving up.</summary>
    [Range(1, 100)]
    public int ConflictRetryLimit { get; set; } = 5;
}
