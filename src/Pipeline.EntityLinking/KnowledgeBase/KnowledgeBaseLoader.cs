using System.Diagnostics;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>How a KB was loaded: from which files, whether from the binary cache, and how long it took.</summary>
public sealed record KnowledgeBaseLoad(EntityKnowledgeBase KnowledgeBase, IReadOnlyList<string> Sources, string? CachePath, bool FromCache, TimeSpan Elapsed);

/// <summary>
/// Loads the knowledge base from a path: a TSV file, or a directory whose KB files are all read (the entity files in
/// the order given, then the type corrections). The built index is cached as a binary file in the cache directory.
/// </summary>
public static class KnowledgeBaseLoader
{
    /// <summary>The files read from a KB directory when they are present, in this order (the first file's label, description and type win).</summary>
    public static readonly IReadOnlyList<string> DefaultFiles = ["kb_news_entities.tsv", "kb_entities.tsv", "kb_extra_entities.tsv", "kb_type_fixes.tsv"];

    public static IReadOnlyList<string> Sources(string path, IReadOnlyList<string>? files = null)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"The knowledge base path {Path.GetFullPath(path)} is neither a file nor a directory.", path);
        }

        var named = (files ?? DefaultFiles).Select(f => Path.Combine(path, f)).Where(File.Exists).ToList();
        if (named.Count == 0)
        {
            // A directory written by `pipeline kb build`, or any other set of KB files.
            named = Directory.GetFiles(path, "*.tsv").Order(StringComparer.Ordinal).ToList();
        }

        if (named.Count == 0)
        {
            throw new FileNotFoundException($"No knowledge base files (*.tsv) in {Path.GetFullPath(path)}.", path);
        }

        return named.Select(Path.GetFullPath).ToList();
    }

    /// <summary>
    /// Where the build step (<see cref="KnowledgeBaseIndexStep"/>) puts the index of the bundled KB: the <c>kb-index</c>
    /// folder beside the service's assemblies. Read-only; an index there is used when its name (a hash of the KB files'
    /// paths, sizes and times) matches the configured KB.
    /// </summary>
    public static string ShippedIndexDirectory => Path.Combine(AppContext.BaseDirectory, "kb-index");

    /// <summary>Loads the KB: its shipped index, else its cached index, else built from the files (and then cached).</summary>
    public static KnowledgeBaseLoad Load(string path, string? cacheDirectory, IReadOnlyList<string>? files = null, string? shippedIndexDirectory = null)
    {
        var started = Stopwatch.GetTimestamp();
        var sources = Sources(path, files);
        var shipped = Path.Combine(shippedIndexDirectory ?? ShippedIndexDirectory, KnowledgeBaseCache.FileName(sources));
        if (KnowledgeBaseCache.TryRead(shipped) is { } prebuilt)
        {
            return new KnowledgeBaseLoad(prebuilt, sources, shipped, true, Stopwatch.GetElapsedTime(started));
        }

        string? cachePath = null;
        if (!string.IsNullOrWhiteSpace(cacheDirectory))
        {
            cachePath = Path.Combine(cacheDirectory, KnowledgeBaseCache.FileName(sources));
            if (KnowledgeBaseCache.TryRead(cachePath) is { } cached)
            {
                return new KnowledgeBaseLoad(cached, sources, cachePath, true, Stopwatch.GetElapsedTime(started));
            }
        }

        var kb = Build(sources);
        if (cachePath is not null)
        {
            try
            {
                KnowledgeBaseCache.Write(kb, cachePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                cachePath = null; // a read-only cache location only costs the next start the build
            }
        }

        return new KnowledgeBaseLoad(kb, sources, cachePath, false, Stopwatch.GetElapsedTime(started));
    }

    public static EntityKnowledgeBase Build(IReadOnlyList<string> sources)
    {
        var fixes = new Dictionary<string, EntityType>(StringComparer.Ordinal);
        var records = new List<EntityRecord>();
        foreach (var source in sources)
        {
            if (TsvKnowledgeBaseReader.IsTypeFixFile(source))
            {
                foreach (var (qid, type) in TsvKnowledgeBaseReader.ReadTypeFixes(source))
                {
                    fixes[qid] = type;
                }
            }
            else if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
            {
                records.AddRange(ScaleSitelinks(WikidataDumpReader.Read(source).ToList()));
            }
            else
            {
                records.AddRange(TsvKnowledgeBaseReader.Read(source));
            }
        }

        return EntityKnowledgeBase.Build(records, fixes);
    }

    static IEnumerable<EntityRecord> ScaleSitelinks(List<EntityRecord> records)
    {
        var max = records.Count == 0 ? 1 : Math.Max(1, records.Max(r => r.Popularity));
        var scale = 1 / Math.Log(1 + max);
        return records.Select(r => r with { Popularity = (float)(Math.Log(1 + r.Popularity) * scale) });
    }
}
