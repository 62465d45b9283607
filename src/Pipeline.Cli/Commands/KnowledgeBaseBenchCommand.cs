using System.CommandLine;
using Pipeline.Cli.Bench;
using Pipeline.Processes;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline kb bench</c>: the KB at Wikidata scale (synthetic dump, build, open, lookups, the service with it).</summary>
public static class KnowledgeBaseBenchCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var items = new Option<int>("--items") { Description = "Items of the synthetic Wikidata dump (kb synth).", DefaultValueFactory = _ => 10_000_000 };
        var dump = new Option<FileInfo?>("--dump") { Description = "Build from this Wikidata dump instead of a synthetic one." };
        var articles = new Option<int>("--articles") { Description = "Real articles the entity-linking service links, with and without the built KB.", DefaultValueFactory = _ => 500 };
        var lookups = new Option<int>("--lookups") { Description = "Alias lookups timed after opening the built KB.", DefaultValueFactory = _ => 1_000_000 };
        var minSitelinks = new Option<int>("--min-sitelinks") { Description = "Passed to kb build: 0 keeps every item with an English label, so N items make a KB of about N entities.", DefaultValueFactory = _ => 0 };
        var work = new Option<DirectoryInfo>("--work") { Description = "Where the dump and the KB are written (10 M items need ~4 GB).", DefaultValueFactory = _ => new DirectoryInfo(Path.GetTempPath()) };
        var keep = new Option<bool>("--keep") { Description = "Keep the dump and the KB afterwards." };
        var command = new Command("bench", "Measure the KB at scale: build items/s and peak RSS from a gzipped dump, open time, lookups/s, and the entity-linking service's RSS and speed with it.")
        {
            items, dump, articles, lookups, minSitelinks, work, keep,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new KnowledgeBaseBenchmarkSettings(parse.GetValue(items), parse.GetValue(articles), parse.GetValue(lookups), parse.GetValue(dump)?.FullName, parse.GetValue(minSitelinks), parse.GetRequiredValue(work).FullName, parse.GetValue(keep));
            if (settings.Items < 1_000 || settings.Articles < 5 || settings.Lookups < 1)
            {
                await errors.WriteLineAsync("error: --items must be at least 1000, --articles at least 5 and --lookups at least 1.");
                return 2;
            }

            if (settings.Dump is not null && !File.Exists(settings.Dump))
            {
                await errors.WriteLineAsync($"error: --dump {settings.Dump} does not exist.");
                return 2;
            }

            if (!RabbitMqNode.IsInstalled || !File.Exists(RepositoryLayout.ServiceAssembly(KnowledgeBaseBenchmark.Service)))
            {
                await errors.WriteLineAsync("error: kb bench runs the entity-linking service on a private broker node: it needs rabbitmq-server installed and a Release build (dotnet run -c Release --project src/Pipeline.Cli -- kb bench).");
                return 2;
            }

#if DEBUG
            await errors.WriteLineAsync("warning: this is a Debug build; benchmark numbers are only meaningful with -c Release.");
#endif
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            var report = await new KnowledgeBaseBenchmark(settings, console).RunAsync(cancellationToken);
            await output.WriteLineAsync(report.ToMarkdown());
            foreach (var line in report.SummaryLines())
            {
                await output.WriteLineAsync(line);
            }

            return 0;
        });
        return command;
    }
}
