using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Pipeline.Contracts;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Cli.Bench;

/// <summary>What the benchmark index holds, counted while it was built: for the query mix and the exactness check.</summary>
public sealed record SearchBenchIndexInfo(string Path, int Articles, bool Reused, TimeSpan BuildTime, IReadOnlyList<string> TopEntities, IReadOnlyDictionary<string, long> ClaimTypeArticles);

/// <summary>
/// Builds (or reuses, keyed by the input) a Lucene index of N articles for <c>bench search</c>: the real articles of
/// <see cref="BenchCorpus"/> repeated under new ids, written as the indexer writes them (merged document, the store's
/// own document builder). The corpus's rule-made payloads are varied deterministically (claim types, worthiness,
/// attribution kinds, entity types, publication dates over two years) so that filters and facets select something.
/// </summary>
public static class SearchBenchIndex
{
    /// <summary>Bump when the document layout or the variation rules change, so a cached index is rebuilt.</summary>
    // 2: documents carry worthy_claims (summed by the charts' timeline); 3: and claim_entity.
    const string LayoutVersion = "search-bench-3";

    static readonly string[] EntityTypes = ["PER", "ORG", "LOC", "MISC"];
    static readonly DateTimeOffset Start = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SearchBenchIndexInfo BuildOrReuse(BenchCorpus corpus, int articles, string sharedData, string cacheRoot, bool rebuild, Action<string> progress)
    {
        var key = Key(articles, sharedData);
        var path = Path.Combine(cacheRoot, key);
        var infoFile = Path.Combine(path, "bench-info.json");
        if (!rebuild && File.Exists(infoFile))
        {
            var cached = JsonSerializer.Deserialize<SearchBenchIndexInfo>(File.ReadAllText(infoFile))!;
            return cached with { Path = path, Reused = true };
        }

        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
        }

        System.IO.Directory.CreateDirectory(path);
        var clock = Stopwatch.StartNew();
        var entityCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var claimTypes = new Dictionary<string, long>(StringComparer.Ordinal);
        var countLock = new object();
        using (var directory = FSDirectory.Open(path))
        {
            var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new Lucene.Net.Analysis.En.EnglishAnalyzer(LuceneVersion.LUCENE_48))
            {
                OpenMode = OpenMode.CREATE,
                RAMBufferSizeMB = 64,
            };
            using var writer = new IndexWriter(directory, config);
            var done = 0;
            Parallel.For(0, articles, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var document = Document(corpus, i);
                writer.AddDocument(LuceneFields.ToLucene(document));
                var facts = ArticleFacts.Of(document);
                lock (countLock)
                {
                    foreach (var qid in facts.Entities)
                    {
                        entityCounts[qid] = entityCounts.GetValueOrDefault(qid) + 1;
                    }

                    foreach (var type in facts.ClaimTypes)
                    {
                        claimTypes[type] = claimTypes.GetValueOrDefault(type) + 1;
                    }

                    if (++done % 10_000 == 0)
                    {
                        progress($"indexed {done:N0} / {articles:N0} articles");
                    }
                }
            });
            writer.Commit();
        }

        var info = new SearchBenchIndexInfo(
            path,
            articles,
            Reused: false,
            clock.Elapsed,
            [.. entityCounts.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(50).Select(e => e.Key)],
            claimTypes);
        File.WriteAllText(infoFile, JsonSerializer.Serialize(info));
        return info;
    }

    /// <summary>Article <paramref name="i"/> merged as the indexer stores it, with varied payloads.</summary>
    public static ArticleDocument Document(BenchCorpus corpus, int i)
    {
        var (source, claimsMessage, entitiesMessage) = corpus.Messages(i);
        var published = Start.AddDays(i * 7919L % 730).AddSeconds(i % 86_400);
        var article = source with { PublishedAt = published };
        var claims = claimsMessage.Payload.Deserialize<ClaimsPayload>(EnrichmentPayloads.SerializerOptions)!;
        var entities = entitiesMessage.Payload.Deserialize<EntitiesPayload>(EnrichmentPayloads.SerializerOptions)!;
        var variedClaims = claims with
        {
            Claims = [.. claims.Claims.Select((c, j) => c with
            {
                Type = ClaimTypes.All[(i + j) % ClaimTypes.All.Count],
                CheckWorthiness = ((i * 31) + (j * 17)) % 100 / 100.0,
                Attribution = (i + j) % 6 == 0 ? null : new ClaimAttribution(c.Attribution?.Source ?? "officials", ClaimAttribution.Kinds[(i + j) % ClaimAttribution.Kinds.Count]),
            })],
        };
        var variedEntities = entities with
        {
            Mentions = [.. entities.Mentions.Select(m => m with { Type = EntityTypes[int.Parse(m.Qid![1..], System.Globalization.CultureInfo.InvariantCulture) % EntityTypes.Length] })],
        };
        var time = article.IngestedAt;
        return DocumentMerge.Apply(null, article.ArticleId,
        [
            article,
            EnrichmentPayloads.Create(ClaimsPayload.EnricherName, "bench-1", article, variedClaims, time),
            EnrichmentPayloads.Create(EntitiesPayload.EnricherName, "bench-1", article, variedEntities, time),
        ]);
    }

    static string Key(int articles, string sharedData)
    {
        var input = new StringBuilder($"{LayoutVersion}|{articles}");
        foreach (var file in new[] { "buzzfeed-webis-2016.jsonl", "fakenewsnet-2018.jsonl" })
        {
            var info = new FileInfo(Path.Combine(sharedData, "articles", file));
            input.Append(System.Globalization.CultureInfo.InvariantCulture, $"|{file}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
        }

        return $"{articles}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input.ToString())))[..12]}";
    }
}
