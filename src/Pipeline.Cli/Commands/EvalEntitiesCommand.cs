using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.Linking;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval entities --input FILE.jsonl</c>: links every benchmark document and scores the links the way ELEVANT
/// does (<see cref="LinkingEvaluation"/>): per file precision, recall and F1 overall and on gold entities the KB has,
/// mention-detection and candidate recall, a table per coarse type, the speed, and last <c>el-f1: 0.xxx</c> (micro F1
/// over all files).
/// </summary>
public static class EvalEntitiesCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var input = new Option<FileInfo[]>("--input")
        {
            Description = "Benchmark JSON Lines file(s) in the ELEVANT layout: text, evaluation_span, labels with span and entity_id.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var kb = LinkerFactory.KnowledgeBaseOption();
        var cache = LinkerFactory.CacheOption();
        var minConfidence = new Option<double?>("--min-confidence") { Description = "Links below this probability count as NIL (default: the threshold trained with the model)." };
        var model = LinkerFactory.ModelOption();
        var noCoref = new Option<bool>("--no-coref") { Description = "Also ignore gold labels flagged coref." };
        var predictions = new Option<string?>("--predictions")
        {
            Description = "Write the links as ELEVANT JSON Lines (id, labels with span and entity_id, <NIL> for unlinked mentions): a file, or a directory when several inputs are given.",
        };
        var showErrors = new Option<bool>("--errors") { Description = "Print every wrong, missed and spurious link." };
        var entities = new Command("entities", "Score the entity linker on benchmark files as ELEVANT does (micro P/R/F1 of span + QID).")
        {
            input, kb, cache, minConfidence, model, noCoref, predictions, showErrors,
        };
        entities.SetAction((parse, cancellationToken) =>
        {
            var files = parse.GetRequiredValue(input);
            foreach (var missing in files.Where(f => !f.Exists))
            {
                errors.WriteLine($"error: {missing.FullName} does not exist.");
                return Task.FromResult(2);
            }

            List<(FileInfo File, List<BenchmarkDocument> Documents)> benchmarks;
            try
            {
                benchmarks = [.. files.Select(f => (f, BenchmarkDocument.Read(f.FullName).ToList()))];
            }
            catch (InvalidDataException e)
            {
                errors.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }

            if (LinkerFactory.TryLoad(parse.GetRequiredValue(kb), parse.GetRequiredValue(cache), errors) is not { } load)
            {
                return Task.FromResult(2);
            }

            output.WriteLine($"knowledge base: {load.KnowledgeBase.Count:N0} entities, {load.KnowledgeBase.AliasCount:N0} surface forms, loaded in {load.Elapsed.TotalSeconds:F2} s ({(load.FromCache ? "binary cache" : "built from TSV")})");
            var linker = LinkerFactory.Linker(load.KnowledgeBase, parse.GetValue(model), parse.GetValue(minConfidence));
            output.WriteLine($"linker: {linker.Name}, threshold {linker.Threshold:F2}{(parse.GetValue(noCoref) ? ", coref labels ignored" : "")}");
            var predictionPaths = PredictionPaths(parse.GetValue(predictions), files);

            var total = new LinkingEvaluation(load.KnowledgeBase.Contains, parse.GetValue(noCoref));
            var perFile = new List<(string Name, LinkingEvaluation Score)>();
            var linkTime = TimeSpan.Zero;
            var mentionCount = 0;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn()).Start(context =>
            {
                foreach (var (file, documents) in benchmarks)
                {
                    var task = context.AddTask($"Linking {file.Name}", maxValue: documents.Count);
                    var score = new LinkingEvaluation(load.KnowledgeBase.Contains, parse.GetValue(noCoref));
                    using var written = predictionPaths?[file] is { } path ? new StreamWriter(path) : null;
                    foreach (var document in documents)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var started = Stopwatch.GetTimestamp();
                        var (payload, candidates) = linker.LinkWithCandidates(document.Text);
                        linkTime += Stopwatch.GetElapsedTime(started);
                        mentionCount += payload.Mentions.Count;
                        var predicted = payload.Mentions.Select((m, i) => new PredictedMention(m.Start, m.End, m.Qid, m.Type, candidates[i])).ToList();
                        var documentScore = score.Add(document, predicted);
                        written?.WriteLine(document.PredictionLine(payload.Mentions));
                        if (parse.GetValue(showErrors))
                        {
                            PrintErrors(output, document, documentScore, predicted, load.KnowledgeBase.Contains);
                        }

                        task.Increment(1);
                    }

                    total.Add(score);
                    perFile.Add((file.Name, score));
                }
            });

            output.WriteLine();
            output.WriteLine("| benchmark | documents | required links | in KB | P | R | F1 | in-KB P | in-KB R | in-KB F1 | mention recall | candidate recall |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, score) in perFile.Append(("all", total)).Where((_, i) => perFile.Count > 1 || i == 0))
            {
                output.WriteLine(Row(name, score));
            }

            foreach (var (name, score) in perFile.Append(("all", total)).Where((_, i) => perFile.Count > 1 || i == 0))
            {
                output.WriteLine();
                output.WriteLine($"{name} by coarse type (of the gold label; of the predicted mention for links on unlabelled spans):");
                output.WriteLine("| type | required links | links made | P | R | F1 | mention recall | candidate recall |");
                output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var (type, byType) in score.ByType)
                {
                    output.WriteLine(Invariant($"| {type} | {byType.Links.Gold} | {byType.Links.Predicted} | {byType.Links.Precision:F3} | {byType.Links.Recall:F3} | {byType.Links.F1:F3} | {byType.MentionRecall.Value:F3} | {byType.CandidateRecall.Value:F3} |"));
                }
            }

            output.WriteLine();
            output.WriteLine(Invariant($"precision: {total.Overall.Precision:F3}"));
            output.WriteLine(Invariant($"recall: {total.Overall.Recall:F3}"));
            output.WriteLine(Invariant($"in-kb precision: {total.InKnowledgeBase.Precision:F3}"));
            output.WriteLine(Invariant($"in-kb recall: {total.InKnowledgeBase.Recall:F3}"));
            var seconds = Math.Max(linkTime.TotalSeconds, 1e-9);
            output.WriteLine(Invariant($"documents: {total.Documents}, mentions found: {mentionCount}, linking time: {linkTime.TotalSeconds:F2} s, {total.Documents / seconds:F0} documents/s, {mentionCount / seconds:F0} mentions/s"));
            if (predictionPaths is not null)
            {
                output.WriteLine($"predictions: {string.Join(", ", predictionPaths.Values.Distinct())}");
            }

            output.WriteLine(Invariant($"el-f1: {total.Overall.F1:F3}"));
            return Task.FromResult(0);
        });
        return entities;
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    static string Row(string name, LinkingEvaluation score) =>
        Invariant($"| {name} | {score.Documents} | {score.Overall.Gold} | {(score.Overall.Gold == 0 ? 0 : (double)score.InKnowledgeBase.Gold / score.Overall.Gold):P1} | {score.Overall.Precision:F3} | {score.Overall.Recall:F3} | {score.Overall.F1:F3} | {score.InKnowledgeBase.Precision:F3} | {score.InKnowledgeBase.Recall:F3} | {score.InKnowledgeBase.F1:F3} | {score.MentionRecall.Value:F3} | {score.CandidateRecall.Value:F3} |");

    /// <summary>One prediction file per input: the path itself for one input, else {directory}/{input name}.predictions.jsonl.</summary>
    static Dictionary<FileInfo, string>? PredictionPaths(string? path, FileInfo[] files)
    {
        if (path is null)
        {
            return null;
        }

        if (files.Length == 1 && !Directory.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            return new Dictionary<FileInfo, string> { [files[0]] = Path.GetFullPath(path) };
        }

        Directory.CreateDirectory(path);
        return files.ToDictionary(f => f, f => Path.Combine(Path.GetFullPath(path), Path.GetFileName(f.Name).Replace(".benchmark.jsonl", "", StringComparison.Ordinal).Replace(".jsonl", "", StringComparison.Ordinal) + ".predictions.jsonl"));
    }

    static void PrintErrors(TextWriter output, BenchmarkDocument document, LinkingEvaluation.DocumentScore score, IReadOnlyList<PredictedMention> mentions, Func<string, bool> inKb)
    {
        var gold = score.Required.GroupBy(l => (l.Start, l.End)).ToDictionary(g => g.Key, g => g.First().EntityId);
        var nil = document.Labels.Where(l => l.IsNil).Select(l => (l.Start, l.End)).ToHashSet();
        foreach (var m in score.ScoredLinks)
        {
            var text = document.Text[m.Start..m.End];
            if (gold.TryGetValue((m.Start, m.End), out var expected))
            {
                if (expected != m.Qid)
                {
                    output.WriteLine($"  wrong     '{text}' -> {m.Qid}, gold {expected}{(inKb(expected) ? "" : " (not in KB)")}");
                }
            }
            else
            {
                output.WriteLine($"  spurious  '{text}' -> {m.Qid}{(nil.Contains((m.Start, m.End)) ? " (gold NIL)" : "")}");
            }
        }

        foreach (var g in score.Required.Where(l => inKb(l.EntityId)))
        {
            var found = mentions.FirstOrDefault(m => m.Start == g.Start && m.End == g.End);
            if (found.Qid is null)
            {
                var overlapping = mentions.FirstOrDefault(m => m.Start < g.End && g.Start < m.End);
                output.WriteLine($"  missed    '{document.Text[g.Start..g.End]}' gold {g.EntityId}" +
                    (found.Candidates is not null ? $" (found NIL, {found.Candidates.Count} candidates{(found.Candidates.Contains(g.EntityId) ? ", gold among them" : "")})"
                        : overlapping.Candidates is not null ? $" (overlap '{document.Text[overlapping.Start..overlapping.End]}' -> {overlapping.Qid})" : " (not detected)"));
            }
        }
    }
}
