using System.CommandLine;
using System.Globalization;
using Pipeline.Cli.EntityLinking;
using Pipeline.Contracts;
using Pipeline.EntityLinking.Linking;
using Pipeline.EntityLinking.Mentions;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline eval emerging</c>: links a GUM split with emerging-entity ids at a sweep of tagger thresholds and prints, per
/// threshold, how many mentions get a <c>nil:</c> id and how many of them are named mentions per GUM's annotation
/// (exact span, or overlapping one); the last line is <c>emerging-precision: 0.xxx</c> at --threshold.
/// </summary>
public static class EvalEmergingCommand
{
    static readonly double[] Sweep = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9];

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var data = GumData.DataOption();
        var split = GumData.SplitOption("dev");
        var threshold = new Option<double>("--threshold")
        {
            Description = "The emerging-entity threshold the last line reports (default: the service's, EntityLinking:MinEmergingConfidence).",
            DefaultValueFactory = _ => EntityLinkingOptions.DefaultMinEmergingConfidence,
        };
        var showErrors = new Option<bool>("--errors") { Description = "Print every emerging id over --threshold that is not a named mention." };
        var kb = LinkerFactory.KnowledgeBaseOption();
        var cache = LinkerFactory.CacheOption();
        var model = LinkerFactory.ModelOption();
        var emerging = new Command("emerging", "Precision of the emerging-entity (nil:) ids on a GUM split per tagger threshold; the last line is `emerging-precision: 0.xxx`.")
        {
            data, split, threshold, showErrors, kb, cache, model,
        };
        emerging.SetAction((parse, cancellationToken) =>
        {
            if (GumData.Directory(parse, data, errors) is not { } directory)
            {
                return Task.FromResult(2);
            }

            if (LinkerFactory.TryLoad(parse.GetRequiredValue(kb), parse.GetRequiredValue(cache), errors) is not { } load)
            {
                return Task.FromResult(2);
            }

            var chosen = parse.GetValue(threshold);
            var ranker = KnowledgeBaseEntityLinker.LoadModel(parse.GetValue(model)?.FullName ?? "");
            var name = parse.GetRequiredValue(split);
            var documents = GumCorpus.ReadSplit(directory, name);
            var thresholds = Sweep.Append(chosen).Distinct().Order().ToList();
            var found = thresholds.ToDictionary(t => t, _ => new List<(GumDocument Document, EntityMention Mention, bool Exact, bool Overlaps, bool Wikipedia)>());
            var emergingAt = thresholds.ToDictionary(t => t, t => new EmergingEntities(t));
            var linker = KnowledgeBaseEntityLinker.Create(load.KnowledgeBase, model: ranker);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            console.Progress().Start(context =>
            {
                // Thresholds only decide the emerging ids at the end, so each document is analysed once and its
                // payload taken at every threshold (a name gets its id from its most confident mention in the document).
                var task = context.AddTask($"Linking GUM {name} at {thresholds.Count} thresholds", maxValue: documents.Count);
                foreach (var document in documents)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var state = linker.Analyze(document.Text);
                    foreach (var t in thresholds)
                    {
                        foreach (var mention in linker.Payload(state, linker.Threshold, emergingAt[t]).Payload.Mentions.Where(m => m.InKb == false))
                        {
                            var exact = document.NestedNamedMentions.FirstOrDefault(g => g.Start == mention.Start && g.End == mention.End);
                            var overlaps = document.NestedNamedMentions.Any(g => g.Start < mention.End && mention.Start < g.End);
                            found[t].Add((document, mention, exact != default, overlaps, exact.Identity is not null));
                        }
                    }

                    task.Increment(1);
                }
            });

            output.WriteLine($"GUM {name}: {documents.Count} documents, {documents.Sum(d => d.NestedNamedMentions.Count)} named mentions (nested included); KB {load.KnowledgeBase.Count:N0} entities");
            output.WriteLine();
            output.WriteLine("| tagger confidence >= | mentions with a nil: id | distinct ids | names typed two ways (two ids) | named mention (exact span) | P exact | overlaps a named mention | P overlap | exact and GUM links it to Wikipedia |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var t in thresholds)
            {
                var kept = found[t];
                var splitNames = kept.GroupBy(f => EmergingEntityIds.NormalizedName(f.Mention.Text)).Count(g => g.Select(f => f.Mention.Qid).Distinct().Count() > 1);
                var exact = kept.Count(f => f.Exact);
                var overlaps = kept.Count(f => f.Overlaps);
                output.WriteLine(FormattableString.Invariant(
                    $"| {t:F2}{(t == chosen ? " (chosen)" : "")} | {kept.Count} | {kept.Select(f => f.Mention.Qid).Distinct().Count()} | {splitNames} | {exact} | {Ratio(exact, kept.Count):F3} | {overlaps} | {Ratio(overlaps, kept.Count):F3} | {kept.Count(f => f.Wikipedia)} |"));
            }

            if (parse.GetValue(showErrors))
            {
                output.WriteLine();
                foreach (var (document, mention, _, overlaps, _) in found[chosen].Where(f => !f.Exact))
                {
                    output.WriteLine(FormattableString.Invariant($"  {document.Name}: '{mention.Text}' {mention.Type} {mention.Confidence:F3} {mention.Qid}{(overlaps ? " (overlaps a named mention)" : "")}"));
                }
            }

            var atChosen = found[chosen];
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"emerging-precision: {Ratio(atChosen.Count(f => f.Exact), atChosen.Count):F3}"));
            return Task.FromResult(0);
        });
        return emerging;
    }

    static double Ratio(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
