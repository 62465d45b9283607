using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.EntityLinking.KnowledgeBase;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline kb synth --items N --out FILE</c>: a synthetic Wikidata JSON dump (.json, .json.gz or .json.bz2).</summary>
public static class KnowledgeBaseSynthCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var items = new Option<long>("--items") { Description = "How many items to write.", Required = true };
        var outFile = new Option<FileInfo>("--out") { Description = "The dump to write: .json, .json.gz (gzip, fastest level) or .json.bz2.", Required = true };
        var seed = new Option<int>("--seed") { Description = "The random seed: the same seed writes the same dump.", DefaultValueFactory = _ => 42 };
        var command = new Command("synth", "Write a synthetic Wikidata JSON dump with the real structure, to test and measure `kb build`.") { items, outFile, seed };
        // On a worker thread, so that Ctrl+C (which cancels the token) finds the action running and waits for its clean-up.
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            var count = parse.GetValue(items);
            if (count < 0)
            {
                errors.WriteLine("error: --items must not be negative.");
                return 2;
            }

            var file = parse.GetRequiredValue(outFile);
            file.Directory?.Create();
            var synthesizer = new WikidataDumpSynthesizer(parse.GetValue(seed));
            var started = Stopwatch.GetTimestamp();
            var json = 0L;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
            try
            {
                console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()).Start(context =>
                {
                    var task = context.AddTask($"Writing {file.Name}", maxValue: Math.Max(1, count));
                    using var stream = Open(file.FullName);
                    json = synthesizer.Write(stream, count, written => task.Value = written, cancellationToken);
                });
            }
            catch (OperationCanceledException)
            {
                file.Delete();
                errors.WriteLine($"cancelled: the incomplete {file.FullName} was deleted.");
                return 130;
            }

            var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(started).TotalSeconds);
            file.Refresh();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count:N0} items written to {file.FullName} in {seconds:F1} s ({count / seconds:N0} items/s): {file.Length / 1e6:F1} MB on disk, {json / 1e6:F1} MB of JSON"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"average per item: {(double)file.Length / Math.Max(1, count):F0} bytes on disk, {(double)json / Math.Max(1, count):F0} bytes of JSON " +
                $"(the real dump: ~140 GB gzipped / ~110 M items = ~1,270 bytes gzipped per item)"));
            return 0;
        }, CancellationToken.None));
        return command;
    }

    static Stream Open(string path) =>
        WikidataDumpReader.Compress(path, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20));
}
