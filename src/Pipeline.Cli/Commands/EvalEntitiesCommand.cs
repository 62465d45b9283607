using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.Contracts;
using Pipeline.EntityLinking.Linking;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval entities --input FILE.jsonl</c>: links every benchmark document and prints micro precision,
/// recall and F1 of (span, QID) pairs, overall and on gold entities present in the KB, the speed, and last
/// <c>el-f1: 0.xxx</c>.
/// </summary>
public static class EvalEntitiesCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var input = new Option<FileInfo[]>("--input")
        {
            Description = "Benchmark JSON Lines file(s): text, evaluation_span, labels with span and entity_id.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var kb = LinkerFactory.KnowledgeBaseOption();
        var cache = LinkerFactory.CacheOption();
        var minConfidence = new Option<double>("--min-confidence")
        {
            Description = "Links below this confidence count as NIL.",
            DefaultValueFactory = _ => LinkerSettings.DefaultMinConfidence,
        };
        var contextSimilarity = LinkerFactory.ContextOption();
        var showErrors = new Option<bool>("--errors") { Description = "Print every wrong, missed and spurious link." };
        var entities = new Command("entities", "Score the entity linker on benchmark files (micro P/R/F1 of span + QID).")
        {
            input, kb, cache, minConfidence, contextSimilarity, showErrors,
        };
        entities.SetAction((parse, cancellationToken) =>
        {
            var files = parse.GetRequiredValue(input);
            foreach (var missing in files.Where(f => !f.Exists))
            {
                errors.WriteLine($"error: {missing.FullName} does not exist.");
                return Task.FromResult(2);
            }

            if (LinkerFactory.TryLoad(parse.GetRequiredValue(kb), parse.GetRequiredValue(cache), errors) is not { } load)
            {
                return Task.FromResult(2);
            }
            output.WriteLine($"knowledge base: {load.KnowledgeBase.Count:N0} entities, {load.KnowledgeBase.AliasCount:N0} surface forms, loaded in {load.Elapsed.TotalSeconds:F2} s ({(load.FromCache ? "binary cache" : "built from TSV")})");
            var linker = KnowledgeBaseEntityLinker.Create(load.KnowledgeBase, parse.GetValue(minConfidence), parse.GetRequiredValue(contextSimilarity));
            output.WriteLine($"linker: {linker.Name}, min confidence {parse.GetValue(minConfidence)}");
            var documents = files.Select(f => (File: f, Documents: BenchmarkDocument.Read(f.FullName).ToList())).ToList();

            var overall = new LinkingScore();
            var inKb = new LinkingScore();
            var perFile = new List<(string Name, LinkingScore All, LinkingScore InKb)>();
            var linkTime = TimeSpan.Zero;
            var mentionCount = 0;
            var documentCount = 0;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn()).Start(context =>
            {
                foreach (var (file, docs) in documents)
                {
                    var task = context.AddTask($"Linking {file.Name}", maxValue: docs.Count);
                    var all = new LinkingScore();
                    var known = new LinkingScore();
                    foreach (var document in docs)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var started = Stopwatch.GetTimestamp();
                        var payload = linker.Link(document.Text);
                        linkTime += Stopwatch.GetElapsedTime(started);
                        mentionCount += payload.Mentions.Count;
                        documentCount++;
                        var (tp, predicted, gold) = LinkingScore.Count(document, payload.Mentions, null);
                        all.Add(tp, predicted, gold);
                        (tp, predicted, gold) = LinkingScore.Count(document, payload.Mentions, load.KnowledgeBase.Contains);
                        known.Add(tp, predicted, gold);
                        if (parse.GetValue(showErrors))
                        {
                            PrintErrors(output, document, payload.Mentions, load.KnowledgeBase.Contains);
                        }

                        task.Increment(1);
                    }

                    overall.Add(all.TruePositives, all.Predicted, all.Gold);
                    inKb.Add(known.TruePositives, known.Predicted, known.Gold);
                    perFile.Add((file.Name, all, known));
                }
            });

            foreach (var (name, all, known) in perFile.Where(_ => perFile.Count > 1))
            {
                output.WriteLine($"{name}: P {all.Precision:F3} R {all.Recall:F3} F1 {all.F1:F3}; in-KB P {known.Precision:F3} R {known.Recall:F3} F1 {known.F1:F3}");
            }

            output.WriteLine($"gold links (scored): {overall.Gold}, predicted links: {overall.Predicted}, correct: {overall.TruePositives}");
            output.WriteLine($"precision: {overall.Precision:F3}");
            output.WriteLine($"recall: {overall.Recall:F3}");
            output.WriteLine($"f1: {overall.F1:F3}");
            output.WriteLine($"in-kb gold links: {inKb.Gold} of {overall.Gold} ({(overall.Gold == 0 ? 0 : 100.0 * inKb.Gold / overall.Gold):F1}%), predicted: {inKb.Predicted}, correct: {inKb.TruePositives}");
            output.WriteLine($"in-kb precision: {inKb.Precision:F3}");
            output.WriteLine($"in-kb recall: {inKb.Recall:F3}");
            output.WriteLine($"in-kb f1: {inKb.F1:F3}");
            var seconds = Math.Max(linkTime.TotalSeconds, 1e-9);
            output.WriteLine($"documents: {documentCount}, mentions found: {mentionCount}, linking time: {linkTime.TotalSeconds:F2} s, {documentCount / seconds:F0} documents/s, {mentionCount / seconds:F0} mentions/s");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"el-f1: {overall.F1:F3}"));
            return Task.FromResult(0);
        });
        return entities;
    }

    static void PrintErrors(TextWriter output, BenchmarkDocument document, IReadOnlyList<EntityMention> mentions, Func<string, bool> inKb)
    {
        var gold = document.Labels.ToDictionary(l => (l.Start, l.End), l => l.EntityId);
        foreach (var m in mentions.Where(m => m.Qid is not null))
        {
            if (!gold.TryGetValue((m.Start, m.End), out var expected))
            {
                output.WriteLine($"  spurious  '{m.Text}' -> {m.Qid} {m.Label} ({m.Confidence:F2})");
            }
            else if (expected != m.Qid && !expected.StartsWith('<'))
            {
                output.WriteLine($"  wrong     '{m.Text}' -> {m.Qid} {m.Label} ({m.Confidence:F2}), gold {expected}{(inKb(expected) ? "" : " (not in KB)")}");
            }
        }

        foreach (var g in document.Labels.Where(l => l.IsScored && inKb(l.EntityId)))
        {
            var found = mentions.FirstOrDefault(m => m.Start == g.Start && m.End == g.End);
            if (found?.Qid is null)
            {
                var overlapping = mentions.FirstOrDefault(m => m.Start < g.End && g.Start < m.End);
                output.WriteLine($"  missed    '{document.Text[g.Start..g.End]}' gold {g.EntityId}" +
                    (found is not null ? $" (found NIL, {found.CandidateCount} candidates, {found.Confidence:F2})" : overlapping is not null ? $" (overlap '{overlapping.Text}' -> {overlapping.Qid})" : " (not detected)"));
            }
        }
    }
}
