using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline kb stats [--kb PATH...]</c>: what the KB files hold (entities by type and by source, alias keys, size) and how fast they open.</summary>
public static class KnowledgeBaseStatsCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var kb = new Option<string[]>("--kb")
        {
            Description = "KB paths, highest priority first: compiled *.kb files, KB directories or TSV files (default: ../shared/data/kb next to the repository).",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [Pipeline.EntityLinking.Linking.EntityLinkingOptions.DefaultKnowledgeBasePath()],
        };
        var cache = LinkerFactory.CacheOption();
        var command = new Command("stats", "Print a markdown table of the KB: entities by coarse type and by source, alias keys, file size, open time.") { kb, cache };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = parse.GetRequiredValue(kb);
            var cacheDirectory = parse.GetRequiredValue(cache);
            KnowledgeBaseLoad load;
            try
            {
                load = LinkerFactory.Load(paths, cacheDirectory);
                if (!load.FromCache)
                {
                    // Compiled just now: opened again, so that the open time below is the service's.
                    load.KnowledgeBase.Dispose();
                    load = LinkerFactory.Load(paths, cacheDirectory);
                }
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException)
            {
                errors.WriteLine($"error: cannot open the knowledge base: {e.Message}");
                return Task.FromResult(1);
            }

            using var opened = load.KnowledgeBase;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"opened {opened.Files.Count} KB file(s) in {load.Elapsed.TotalSeconds:F3} s ({opened.Count:N0} entities, max alias tokens {opened.MaxAliasTokens})"));
            output.WriteLine();
            output.WriteLine("| file | MB | entities | named | PER | ORG | LOC | MISC | UNKNOWN | alias keys | candidates |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var file in opened.Files)
            {
                var types = file.Metadata.EntitiesByType;
                string Type(string name) => types.TryGetValue(name, out var n) ? n.ToString("N0", CultureInfo.InvariantCulture) : "0";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {file.Path} | {file.Bytes / 1e6:F1} | {file.Entities:N0} | {file.Metadata.NamedEntities:N0} | {Type("PER")} | {Type("ORG")} | {Type("LOC")} | {Type("MISC")} | {Type("UNKNOWN")} | {file.AliasKeys:N0} | {file.Candidates:N0} |"));
            }

            output.WriteLine();
            output.WriteLine("| file | source | records | entities first seen there |");
            output.WriteLine("|---|---|---:|---:|");
            foreach (var file in opened.Files)
            {
                foreach (var source in file.Metadata.Sources)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {Path.GetFileName(file.Path)} | {source.Name} | {source.Records:N0} | {source.Entities:N0} |"));
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
