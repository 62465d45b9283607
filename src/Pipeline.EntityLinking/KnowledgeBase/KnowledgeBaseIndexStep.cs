using System.Diagnostics;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// The build step that makes the bundled KB available to the service: <c>dotnet Pipeline.EntityLinking.dll index-kb
/// KB_DIR OUT_DIR</c> compiles the KB into a KB file in OUT_DIR (the service's <c>kb-index</c> folder, see
/// <see cref="KnowledgeBaseLoader.ShippedIndexDirectory"/>), so that no service start pays for parsing and indexing
/// the TSV files. The csproj runs it after every build (target <c>IndexBundledKnowledgeBase</c>); an index that is
/// already there for the same files is kept.
/// </summary>
public static class KnowledgeBaseIndexStep
{
    public const string Verb = "index-kb";

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        if (args.Count != 2)
        {
            output.WriteLine($"usage: {Verb} KB_PATH OUT_DIR");
            return 2;
        }

        var (path, directory) = (args[0], args[1]);
        var sources = KnowledgeBaseLoader.Sources(path);
        var index = Path.Combine(directory, KnowledgeBaseLoader.CompiledFileName(sources));
        if (File.Exists(index))
        {
            output.WriteLine($"KB index up to date: {index}");
            return 0;
        }

        var started = Stopwatch.GetTimestamp();
        var phase = "";
        var result = KnowledgeBaseLoader.Compile(sources, index, new KnowledgeBaseCompilerOptions
        {
            Progress = p =>
            {
                if (p.Phase != phase)
                {
                    phase = p.Phase;
                    output.WriteLine($"  {Stopwatch.GetElapsedTime(started).TotalSeconds,6:F1} s  {p.Phase} ({p.Entities:N0} entities)");
                }
            },
        });
        foreach (var stale in Directory.GetFiles(directory, "kb-*.*").Where(f => f != index && (f.EndsWith(".bin", StringComparison.Ordinal) || f.EndsWith(KnowledgeBaseLoader.CompiledExtension, StringComparison.Ordinal))))
        {
            File.Delete(stale); // a compiled file of older KB files or an older format: never read again
        }

        output.WriteLine($"KB index built: {result.Entities:N0} entities, {result.AliasKeys:N0} surface forms in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s -> {index}");
        return 0;
    }
}
