using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Pipeline.Cli.EntityLinking;
using Pipeline.EntityLinking.Linking;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench entities --input ARTICLES.jsonl</c>: entity-linking throughput over real articles, as a markdown table.</summary>
public static class BenchEntitiesCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var input = new Option<FileInfo>("--input") { Description = "JSON Lines articles with a 'text' field (e.g. ../shared/data/articles/buzzfeed-webis-2016.jsonl).", Required = true };
        var threads = new Option<int>("--threads") { Description = "Articles linked in parallel.", DefaultValueFactory = _ => 2 };
        var kb = LinkerFactory.KnowledgeBaseOption();
        var extraKb = new Option<string[]>("--extra-kb") { Description = "More KBs after --kb, merged by priority as EntityLinking:KnowledgeBasePaths does (e.g. a kb build directory); repeatable." };
        var cache = LinkerFactory.CacheOption();
        var model = LinkerFactory.ModelOption();
        var entities = new Command("entities", "Measure entity-linking throughput (articles/s, mentions/s).") { input, threads, kb, extraKb, cache, model };
        entities.SetAction((parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(input);
            if (!file.Exists)
            {
                errors.WriteLine($"error: {file.FullName} does not exist.");
                return Task.FromResult(2);
            }

            var texts = File.ReadLines(file.FullName)
                .Where(l => !string.IsNullOrWhiteSpace(l))
                .Select(l => JsonDocument.Parse(l).RootElement.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "")
                .Where(t => t.Length > 0)
                .ToList();
            if (LinkerFactory.TryLoad([parse.GetRequiredValue(kb), .. parse.GetValue(extraKb) ?? []], parse.GetRequiredValue(cache), errors) is not { } load)
            {
                return Task.FromResult(2);
            }
            var linker = LinkerFactory.Linker(load.KnowledgeBase, parse.GetValue(model));
            linker.Link(texts[0]); // warm-up: JIT and first-use caches
            var parallelism = Math.Max(1, parse.GetValue(threads));
            var mentions = 0L;
            var linked = 0L;
            var started = Stopwatch.GetTimestamp();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn()).Start(context =>
            {
                var task = context.AddTask($"Linking {file.Name}", maxValue: texts.Count);
                Parallel.ForEach(texts, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, text =>
                {
                    var payload = linker.Link(text);
                    Interlocked.Add(ref mentions, payload.Mentions.Count);
                    Interlocked.Add(ref linked, payload.Mentions.Count(m => m.Qid is not null));
                    task.Increment(1);
                });
            });
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var characters = texts.Sum(t => (long)t.Length);
            output.WriteLine($"| articles | mean chars | threads | linker | seconds | articles/s | mentions/s | linked mentions |");
            output.WriteLine($"|---|---|---|---|---|---|---|---|");
            output.WriteLine($"| {texts.Count:N0} | {characters / texts.Count:N0} | {parallelism} | {linker.Name} | {seconds:F2} | {texts.Count / seconds:F0} | {mentions / seconds:F0} | {linked:N0} of {mentions:N0} |");
            return Task.FromResult(0);
        });
        return entities;
    }
}
