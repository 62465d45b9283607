using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval ner</c>: tags a GUM split with the named-entity tagger and prints exact-span precision, recall and
/// F1 of named mentions, untyped and typed, per type, the speed, and last <c>ner-f1: 0.xxx</c> (untyped).
/// </summary>
public static class EvalNerCommand
{
    /// <summary>Tagging is timed over repeated passes until at least this long, so the speed of a small split means something.</summary>
    static readonly TimeSpan MinTimedSpan = TimeSpan.FromSeconds(0.5);

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var data = GumData.DataOption();
        var split = GumData.SplitOption("test");
        var modelFile = new Option<FileInfo?>("--model") { Description = "A weights file written by `train ner --output` (default: the one built in)." };
        var noGazetteer = new Option<bool>("--no-gazetteer") { Description = "Tag without the KB's surface forms as features." };
        var showErrors = new Option<bool>("--errors") { Description = "Print every missed, spurious and mistyped span." };
        var kb = LinkerFactory.KnowledgeBaseOption();
        var cache = LinkerFactory.CacheOption();
        var ner = new Command("ner", "Score the named-entity tagger on a GUM split (exact spans); the last line is `ner-f1: 0.xxx` (untyped).")
        {
            data, split, modelFile, noGazetteer, showErrors, kb, cache,
        };
        ner.SetAction((parse, cancellationToken) =>
        {
            if (GumData.Directory(parse, data, errors) is not { } directory)
            {
                return Task.FromResult(2);
            }

            var file = parse.GetValue(modelFile);
            if (file is { Exists: false })
            {
                errors.WriteLine($"error: {file.FullName} does not exist.");
                return Task.FromResult(2);
            }

            EntityKnowledgeBase? gazetteer = null;
            if (!parse.GetValue(noGazetteer))
            {
                if (LinkerFactory.TryLoad(parse.GetRequiredValue(kb), parse.GetRequiredValue(cache), errors) is not { } load)
                {
                    return Task.FromResult(2);
                }

                gazetteer = load.KnowledgeBase;
            }

            var loading = Stopwatch.StartNew();
            NerTagger tagger;
            if (file is null)
            {
                tagger = NerTagger.LoadBuiltIn();
            }
            else
            {
                using var stream = file.OpenRead();
                tagger = NerTagger.Load(stream);
            }

            var loadTime = loading.Elapsed;
            var name = parse.GetRequiredValue(split);
            var examples = GumCorpus.ReadSplit(directory, name).Select(NerExample.FromGum).ToList();
            var scores = NerEvaluation.Of(tagger, examples, gazetteer);
            if (parse.GetValue(showErrors))
            {
                PrintErrors(output, tagger, examples, gazetteer);
            }

            var tokens = examples.Sum(e => e.Tokens.Count);
            var (tokensPerSecond, cpuPerToken) = Speed(tagger, examples, gazetteer, tokens, cancellationToken);

            output.WriteLine($"GUM {name}: {examples.Count} documents, {tokens:N0} tokens, {scores.Untyped.Gold} named mentions; tagger: {file?.FullName ?? "built in"} ({tagger.FeatureSet}, {tagger.FeatureCount:N0} features, {tagger.KnowledgeBaseWordCount:N0} KB words, loaded in {loadTime.TotalMilliseconds:F0} ms){(gazetteer is null ? ", no gazetteer" : "")}");
            output.WriteLine();
            output.WriteLine("| spans | gold | predicted | correct | P | R | F1 |");
            output.WriteLine("|---|---|---|---|---|---|---|");
            output.WriteLine(Row("untyped (span only)", scores.Untyped));
            output.WriteLine(Row("typed (span + type)", scores.Typed));
            foreach (var (type, score) in scores.PerType)
            {
                output.WriteLine(Row(type.ToLabel(), score));
            }

            output.WriteLine();
            output.WriteLine(FormattableString.Invariant(
                $"tokens/s: {tokensPerSecond:F0} (one thread, tokenised text in, spans out, gazetteer included; {cpuPerToken * 1e6:F2} µs CPU per token)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ner-f1: {scores.Untyped.F1:F3}"));
            return Task.FromResult(0);
        });
        return ner;
    }

    static void PrintErrors(TextWriter output, NerTagger tagger, List<NerExample> examples, EntityKnowledgeBase? gazetteer)
    {
        foreach (var example in examples)
        {
            string Text((int First, int Last, EntityType Type) span) =>
                $"'{example.Text[example.Tokens[span.First].Start..example.Tokens[span.Last].End]}' {span.Type.ToLabel()}";

            var predicted = tagger.Tag(example.Text, example.Tokens, gazetteer).Select(s => (s.FirstToken, s.LastToken, s.Type)).ToList();
            var gold = example.Gold.ToDictionary(g => (g.First, g.Last), g => g.Type);
            output.WriteLine($"{example.Name}:");
            foreach (var p in predicted)
            {
                if (!gold.TryGetValue((p.FirstToken, p.LastToken), out var type))
                {
                    var overlap = example.Gold.Where(g => g.First <= p.LastToken && p.FirstToken <= g.Last).Select(Text).FirstOrDefault();
                    output.WriteLine($"  spurious {Text(p)}{(overlap is null ? "" : $" (gold {overlap})")}");
                }
                else if (type != p.Type)
                {
                    output.WriteLine($"  mistyped {Text(p)}, gold {type.ToLabel()}");
                }
            }

            var found = predicted.Select(p => (p.FirstToken, p.LastToken)).ToHashSet();
            foreach (var g in example.Gold.Where(g => !found.Contains((g.First, g.Last))))
            {
                output.WriteLine($"  missed   {Text(g)}");
            }
        }

        output.WriteLine();
    }

    static string Row(string name, MatchCounts score) =>
        FormattableString.Invariant($"| {name} | {score.Gold} | {score.Predicted} | {score.TruePositives} | {score.Precision:F3} | {score.Recall:F3} | {score.F1:F3} |");

    /// <summary>Tags the split again (already warm) as many times as needed for <see cref="MinTimedSpan"/>.</summary>
    static (double TokensPerSecond, double CpuSecondsPerToken) Speed(NerTagger tagger, List<NerExample> examples, EntityKnowledgeBase? gazetteer, int tokens, CancellationToken cancellationToken)
    {
        var tagged = 0L;
        var cpuAtStart = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        do
        {
            foreach (var example in examples)
            {
                cancellationToken.ThrowIfCancellationRequested();
                tagger.Tag(example.Text, example.Tokens, gazetteer);
            }

            tagged += tokens;
        }
        while (watch.Elapsed < MinTimedSpan);

        var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
        return (tagged / watch.Elapsed.TotalSeconds, cpu.TotalSeconds / Math.Max(tagged, 1));
    }
}
