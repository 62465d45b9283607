using Lucene.Net.Index;
using Lucene.Net.Store;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Cli.Chaos;

/// <summary>
/// The Lucene index read directly (as the search service reads it) and held against the article ids the ingestion API
/// acknowledged: which are missing, which are there twice (two documents for one id or for one canonical URL), and
/// which lack one of the enrichments.
/// </summary>
public sealed class IndexAudit
{
    public int Documents { get; private init; }

    public List<string> Lost { get; } = [];

    /// <summary>Article ids with more than one document, and canonical URLs held by more than one document.</summary>
    public List<string> Duplicated { get; } = [];

    /// <summary>Article ids indexed without one of the enrichments, with the ones they lack.</summary>
    public List<string> MissingEnrichments { get; } = [];

    public static IndexAudit Read(string indexPath, IReadOnlyCollection<string> acknowledged, IReadOnlyList<string> enrichers)
    {
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var byUrl = new Dictionary<string, int>(StringComparer.Ordinal);
        var enrichedBy = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var documents = 0;
        using (var directory = FSDirectory.Open(indexPath))
        {
            if (DirectoryReader.IndexExists(directory))
            {
                using var reader = DirectoryReader.Open(directory);
                foreach (var leaf in reader.Leaves)
                {
                    var segment = leaf.AtomicReader;
                    var live = segment.LiveDocs;
                    for (var doc = 0; doc < segment.MaxDoc; doc++)
                    {
                        if (live is not null && !live.Get(doc))
                        {
                            continue;
                        }

                        var stored = LuceneFields.FromLucene(segment.Document(doc));
                        documents++;
                        byId[stored.ArticleId] = byId.GetValueOrDefault(stored.ArticleId) + 1;
                        if (stored.Article?.CanonicalUrl is { } url)
                        {
                            byUrl[url] = byUrl.GetValueOrDefault(url) + 1;
                        }

                        enrichedBy[stored.ArticleId] = [.. stored.CurrentEnrichers];
                    }
                }
            }
        }

        var audit = new IndexAudit { Documents = documents };
        audit.Lost.AddRange(acknowledged.Where(id => !byId.ContainsKey(id)).Order(StringComparer.Ordinal));
        audit.Duplicated.AddRange(byId.Where(d => d.Value > 1).Select(d => $"id {d.Key}: {d.Value} documents"));
        audit.Duplicated.AddRange(byUrl.Where(d => d.Value > 1).Select(d => $"url {d.Key}: {d.Value} documents"));
        foreach (var id in acknowledged.Where(byId.ContainsKey).Order(StringComparer.Ordinal))
        {
            var lacking = enrichers.Where(e => !enrichedBy[id].Contains(e)).ToList();
            if (lacking.Count > 0)
            {
                audit.MissingEnrichments.Add($"{id}: no {string.Join(", ", lacking)}");
            }
        }

        return audit;
    }
}
