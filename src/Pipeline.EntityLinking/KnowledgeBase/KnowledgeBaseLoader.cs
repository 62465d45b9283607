using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>How a KB was loaded: from which source files, which compiled files were opened, whether all were compiled before, and how long it took.</summary>
public sealed record KnowledgeBaseLoad(EntityKnowledgeBase KnowledgeBase, IReadOnlyList<string> Sources, string? CachePath, bool FromCache, TimeSpan Elapsed);

/// <summary>
/// Opens the knowledge base from one or more paths, in priority order (<see cref="EntityKnowledgeBase"/> merges
/// them). A path is a compiled KB file (<c>*.kb</c>, opened as it is), a TSV or Wikidata JSON file, or a directory
/// whose KB files are all read (the entity files in the order given, then the type corrections). Sources are
/// compiled once into a KB file named by a hash of their paths, sizes and times: the build step's (shipped) one is
/// used when it matches, else the one in the cache directory, else they are compiled into the cache.
/// </summary>
public static class KnowledgeBaseLoader
{
    /// <summary>The files read from a KB directory when they are present, in this order (the first file's label, description and type win).</summary>
    public static readonly IReadOnlyList<string> DefaultFiles = ["kb_news_entities.tsv", "kb_entities.tsv", "kb_extra_entities.tsv", "kb_type_fixes.tsv"];

    /// <summary>The extension of compiled KB files.</summary>
    public const string CompiledExtension = ".kb";

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

    /// <summary>The name of the compiled file of these sources: a hash of the format version and the files' paths, sizes and times.</summary>
    public static string CompiledFileName(IEnumerable<string> sources)
    {
        var signature = new StringBuilder().Append("kb format ").Append(KnowledgeBaseFormat.Version).Append('\n');
        foreach (var source in sources.Select(Path.GetFullPath).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(source);
            signature.Append(source).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        return "kb-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signature.ToString())))[..20] + CompiledExtension;
    }

    /// <summary>
    /// Where the build step (<see cref="KnowledgeBaseIndexStep"/>) puts the compiled bundled KB: the <c>kb-index</c>
    /// folder beside the service's assemblies. Read-only; a file there is used when its name matches the configured KB.
    /// </summary>
    public static string ShippedIndexDirectory => Path.Combine(AppContext.BaseDirectory, "kb-index");

    public static KnowledgeBaseLoad Load(string path, string? cacheDirectory, IReadOnlyList<string>? files = null, string? shippedIndexDirectory = null) =>
        Load([path], cacheDirectory, files, shippedIndexDirectory);

    /// <summary>Opens the KB of these paths, highest priority first, compiling those that have no compiled file yet.</summary>
    public static KnowledgeBaseLoad Load(IReadOnlyList<string> paths, string? cacheDirectory, IReadOnlyList<string>? files = null, string? shippedIndexDirectory = null)
    {
        var started = Stopwatch.GetTimestamp();
        var opened = new List<KnowledgeBaseFile>();
        var sources = new List<string>();
        var compiledAll = true;
        try
        {
            foreach (var path in paths)
            {
                if (CompiledFiles(path) is { Count: > 0 } compiledFiles)
                {
                    foreach (var compiledFile in compiledFiles)
                    {
                        opened.Add(KnowledgeBaseFile.Open(compiledFile));
                        sources.Add(compiledFile);
                    }

                    continue;
                }

                var pathSources = Sources(path, files);
                sources.AddRange(pathSources);
                var (file, compiled) = OpenOrCompile(pathSources, cacheDirectory, shippedIndexDirectory ?? ShippedIndexDirectory);
                opened.Add(file);
                compiledAll &= compiled;
            }

            var kb = EntityKnowledgeBase.Of(opened);
            var cachePath = string.Join(", ", opened.Select(f => f.Path).Where(p => File.Exists(p)));
            return new KnowledgeBaseLoad(kb, sources, cachePath.Length > 0 ? cachePath : null, compiledAll, Stopwatch.GetElapsedTime(started));
        }
        catch
        {
            opened.ForEach(f => f.Dispose());
            throw;
        }
    }

    /// <summary>
    /// A compiled KB file, or the compiled files of a directory (what <c>pipeline kb build</c> writes), in name order;
    /// empty for source files and directories of sources.
    /// </summary>
    public static IReadOnlyList<string> CompiledFiles(string path) =>
        File.Exists(path) && path.EndsWith(CompiledExtension, StringComparison.OrdinalIgnoreCase) ? [Path.GetFullPath(path)]
        : Directory.Exists(path) ? [.. Directory.GetFiles(path, "*" + CompiledExtension).Select(Path.GetFullPath).Order(StringComparer.Ordinal)]
        : [];

    static (KnowledgeBaseFile File, bool Compiled) OpenOrCompile(IReadOnlyList<string> sources, string? cacheDirectory, string shippedIndexDirectory)
    {
        var name = CompiledFileName(sources);
        if (KnowledgeBaseFile.TryOpen(Path.Combine(shippedIndexDirectory, name)) is { } shipped)
        {
            return (shipped, true);
        }

        if (!string.IsNullOrWhiteSpace(cacheDirectory))
        {
            var cachePath = Path.Combine(cacheDirectory, name);
            if (KnowledgeBaseFile.TryOpen(cachePath) is { } cached)
            {
                return (cached, true);
            }

            try
            {
                Compile(sources, cachePath);
                return (KnowledgeBaseFile.Open(cachePath), false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a read-only cache location only costs each start the compilation, into a temporary file
            }
        }

        return (CompileToTemporary((temporary, options) => Compile(sources, temporary, options), KnowledgeBaseFile.Open), false);
    }

    /// <summary>
    /// Compiles into a temporary KB file (its work files in the temporary directory too), opens it and deletes it: the
    /// mapping keeps the pages until the KB is disposed (on Windows the delete fails while it is mapped: then the file
    /// stays in temp).
    /// </summary>
    internal static T CompileToTemporary<T>(Action<string, KnowledgeBaseCompilerOptions> compile, Func<string, T> open)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-kb-{Environment.ProcessId}-{Guid.NewGuid():N}{CompiledExtension}");
        try
        {
            compile(path, new KnowledgeBaseCompilerOptions { TemporaryDirectory = Path.GetTempPath() });
            return open(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Compiles KB source files (TSV, Wikidata JSON dumps, type corrections) into one KB file; the first file's label, description and type win.</summary>
    public static KnowledgeBaseCompileResult Compile(IReadOnlyList<string> sources, string output, KnowledgeBaseCompilerOptions? options = null)
    {
        using var compiler = new KnowledgeBaseCompiler(output, options);
        foreach (var source in sources)
        {
            if (TsvKnowledgeBaseReader.IsTypeFixFile(source))
            {
                foreach (var (qid, type) in TsvKnowledgeBaseReader.ReadTypeFixes(source))
                {
                    compiler.AddTypeFix(qid, type);
                }

                continue;
            }

            compiler.BeginSource(Path.GetFileName(source));
            var records = source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase)
                ? WikidataDumpReader.Read(source)
                : TsvKnowledgeBaseReader.Read(source);
            foreach (var record in records)
            {
                compiler.Add(record);
            }
        }

        return compiler.Complete();
    }
}
