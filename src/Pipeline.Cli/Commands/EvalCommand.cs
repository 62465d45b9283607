using System.CommandLine;
using System.Diagnostics;
using Pipeline.ClaimTagging.Offline;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Embeddings;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline eval claims --input FILE.tsv</c>: precision, recall and F1 of the check-worthy class.</summary>
public static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var input = new Option<FileInfo>("--input") { Description = "A TSV with Sentence_id, Text and class_label (Yes/No).", Required = true };
        var (tagger, llm) = TaggerOptions();
        var concurrency = new Option<int>("--concurrency") { Description = "LLM requests in flight at once.", DefaultValueFactory = _ => 4 };
        var modelFile = new Option<FileInfo?>("--model") { Description = "A check-worthiness weights file written by `train claims --output` (default: the one built in)." };
        var articleSentences = new Option<int>("--articles")
        {
            Description = "Tag the file as the service does: consecutive runs of this many sentences as articles, --batch of them per call (0: the whole file at once, sorted by length).",
        };
        var articlesPerCall = new Option<int>("--batch") { Description = "With --articles: articles per call (1: one article at a time).", DefaultValueFactory = _ => 1 };
        var claims = new Command("claims", "Score a tagger on labelled check-worthiness sentences; the last line is `claims-f1: 0.xxx`.") { input, tagger, llm, concurrency, modelFile, articleSentences, articlesPerCall };
        claims.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(input);
            if (!file.Exists)
            {
                await errors.WriteLineAsync($"error: {file.FullName} does not exist.");
                return 2;
            }

            var data = CheckWorthyDataset.Read(file.FullName);
            var gold = data.Select(d => d.IsCheckWorthy).ToArray();
            var texts = data.Select(d => d.Text).ToArray();
            var started = Stopwatch.StartNew();
            var cpuAtStart = Environment.CpuUsage.TotalTime;
            bool[] predicted;
            string description;
            string? screenReport = null;
            string? phases = null;
            if (parse.GetValue(tagger) == "llm")
            {
                if (await LlmConnectionAsync(parse, llm, errors) is not { } connection)
                {
                    return 2;
                }

                using var offline = ClaimTaggers.CreateOffline();
                using var llmTagger = ClaimTaggers.CreateLlm(connection, offline.Tagger);
                description = llmTagger.Version;
                predicted = await TagEachAsync(llmTagger, texts, Math.Max(1, parse.GetValue(concurrency)), errors, cancellationToken);
            }
            else
            {
                var loading = Stopwatch.StartNew();
                using var offline = ClaimTaggers.CreateOffline(parse.GetValue(modelFile)?.FullName);
                // ONNX Runtime allocates its buffers on the first run: warm up both models, so the measure is the steady state.
                string[] warmUp = ["Warm-up sentence for the embedding models."];
                offline.Tagger.Embedder.Embed(warmUp);
                offline.Tagger.RefinerEmbedder?.Embed(warmUp);
                // And the rest of the path once (screen, classifier, rules: JIT and regex set-up), as the service's warm-up does.
                offline.Tagger.Tag("Warm-up: unemployment fell to 3.5 percent last year, the minister said. Thank you.");
                description = FormattableString.Invariant($"{offline.Tagger.Version}; model load and warm-up {loading.Elapsed.TotalSeconds:F1} s, not counted");
                started.Restart();
                cpuAtStart = Environment.CpuUsage.TotalTime;
                if (parse.GetValue(articleSentences) is > 0 and var perArticle)
                {
                    predicted = TagAsArticles(offline.Tagger, texts, perArticle, Math.Max(1, parse.GetValue(articlesPerCall)));
                    description += FormattableString.Invariant($"; as articles of {perArticle} sentences, {Math.Max(1, parse.GetValue(articlesPerCall))} per call");
                }
                else
                {
                    // The screen settles the sentences it is sure of; only the others are embedded.
                    var phase = Stopwatch.StartNew();
                    var screened = offline.Tagger.Screen(texts);
                    var open = OfflineClaimTagger.Unsettled(screened);
                    var screenTime = phase.Elapsed;
                    phase.Restart();
                    var openVectors = EmbedWithProgress(offline.Tagger.Embedder, [.. open.Select(i => texts[i])], file.Name, errors);
                    var embedTime = phase.Elapsed;
                    phase.Restart();
                    var embeddings = new float[texts.Length][];
                    Array.Fill(embeddings, []);
                    for (var j = 0; j < open.Length; j++)
                    {
                        embeddings[open[j]] = openVectors[j];
                    }

                    var (previous, next) = SentenceFeatures.ById([.. data.Select(d => d.Id)]);
                    var probabilities = offline.Tagger.Score(texts, embeddings, previous, next, screened);
                    var scoreTime = phase.Elapsed;
                    phase.Restart();
                    predicted = [.. texts.Select((text, i) => offline.Tagger.CheckWorthinessOfClaim(text, probabilities[i]) is not null)];
                    phases = FormattableString.Invariant(
                        $"wall time: screen {screenTime.TotalSeconds:F2} s, first embedding {embedTime.TotalSeconds:F2} s, features, classifiers and second embedding {scoreTime.TotalSeconds:F2} s, rules {phase.Elapsed.TotalSeconds:F2} s");
                    var settledNo = Enumerable.Range(0, texts.Length).Where(i => !double.IsNaN(screened[i]) && screened[i] < offline.Tagger.Threshold).ToArray();
                    var settledYes = texts.Length - open.Length - settledNo.Length;
                    var positives = gold.Count(g => g);
                    screenReport = FormattableString.Invariant(
                        $"screen: {texts.Length - open.Length} of {texts.Length} sentences settled without embedding ({settledNo.Length} not check-worthy, {settledYes} check-worthy); recall of the check-worthy kept {(positives - settledNo.Count(i => gold[i])) / (double)Math.Max(1, positives):F3} ({settledNo.Count(i => gold[i])} settled as not)");
                }
            }

            var elapsed = started.Elapsed;
            var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
            var scores = BinaryScores.Of(gold, predicted);
            await output.WriteLineAsync($"{file.Name}: {data.Count} sentences, {gold.Count(g => g)} check-worthy; tagger {description}");
            await output.WriteLineAsync(FormattableString.Invariant($"precision: {scores.Precision:F3}  recall: {scores.Recall:F3}  f1: {scores.F1:F3}  (tp {scores.TruePositives}, fp {scores.FalsePositives}, fn {scores.FalseNegatives})"));
            foreach (var line in (string?[])[screenReport, phases])
            {
                if (line is not null)
                {
                    await output.WriteLineAsync(line);
                }
            }

            await output.WriteLineAsync(FormattableString.Invariant($"sentences/s: {data.Count / elapsed.TotalSeconds:F0} ({elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores shared with other work{LoadAverage()}; {data.Count / Math.Max(cpu.TotalSeconds, 1e-3):F0} per CPU-second)"));
            await output.WriteLineAsync(FormattableString.Invariant($"claims-f1: {scores.F1:F3}"));
            return 0;
        });
        return claims;
    }

    /// <summary>
    /// Embeds in chunks (for the progress bar) of texts of similar length: the embedder sorts each call's sentences
    /// into length-homogeneous batches, and sorting the whole file first keeps the chunks homogeneous too.
    /// </summary>
    static float[][] EmbedWithProgress(ISentenceEmbedder embedder, string[] texts, string label, TextWriter progressOutput)
    {
        const int Chunk = 256;
        var byLength = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
        var vectors = new float[texts.Length][];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(progressOutput) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask($"Tagging {label}", maxValue: texts.Length);
                for (var first = 0; first < byLength.Length; first += Chunk)
                {
                    var chunk = byLength[first..Math.Min(byLength.Length, first + Chunk)];
                    var chunkVectors = embedder.Embed([.. chunk.Select(i => texts[i])]);
                    for (var j = 0; j < chunk.Length; j++)
                    {
                        vectors[chunk[j]] = chunkVectors[j];
                    }

                    task.Increment(chunk.Length);
                }
            });
        return vectors;
    }

    /// <summary>
    /// The service's path: consecutive runs of sentences as articles (neighbours within an article), several articles
    /// per call of the tagger (as the batch enricher hands them over), each call screening, embedding and scoring the
    /// sentences of all its articles together.
    /// </summary>
    static bool[] TagAsArticles(OfflineClaimTagger tagger, string[] texts, int sentencesPerArticle, int articlesPerCall)
    {
        var predicted = new bool[texts.Length];
        var perCall = sentencesPerArticle * articlesPerCall;
        for (var first = 0; first < texts.Length; first += perCall)
        {
            var count = Math.Min(perCall, texts.Length - first);
            var previous = Enumerable.Range(0, count).Select(i => i % sentencesPerArticle == 0 ? -1 : i - 1).ToArray();
            var next = Enumerable.Range(0, count).Select(i => i % sentencesPerArticle == sentencesPerArticle - 1 || i == count - 1 ? -1 : i + 1).ToArray();
            var sentences = texts[first..(first + count)];
            var probabilities = tagger.Score(sentences, previous, next);
            for (var i = 0; i < count; i++)
            {
                predicted[first + i] = tagger.CheckWorthinessOfClaim(sentences[i], probabilities[i]) is not null;
            }
        }

        return predicted;
    }

    /// <summary>The machine's 1-minute load average where Linux tells it: wall-clock speed means little without it.</summary>
    /// <summary>The <c>--tagger offline|llm</c> and <c>--llm CONNECTION</c> options of the claim commands.</summary>
    internal static (Option<string> Tagger, Option<string?> Llm) TaggerOptions()
    {
        var tagger = new Option<string>("--tagger") { Description = "offline or llm (the llm needs --llm or ConnectionStrings__llm).", DefaultValueFactory = _ => "offline" };
        tagger.AcceptOnlyFromAmong("offline", "llm");
        var llm = new Option<string?>("--llm")
        {
            Description = "LLM connection string, e.g. \"Endpoint=http://localhost:11434/v1;Model=llama3.1\" or \"Provider=Local;Model=/models/model.gguf\" (default: $ConnectionStrings__llm).",
        };
        return (tagger, llm);
    }

    /// <summary><c>--llm</c>, else <c>$ConnectionStrings__llm</c>; null (with the error written) when neither is set.</summary>
    internal static async Task<string?> LlmConnectionAsync(ParseResult parse, Option<string?> llm, TextWriter errors)
    {
        var connection = parse.GetValue(llm) ?? Environment.GetEnvironmentVariable("ConnectionStrings__llm");
        if (string.IsNullOrWhiteSpace(connection))
        {
            await errors.WriteLineAsync("error: --tagger llm needs --llm or ConnectionStrings__llm (e.g. \"Endpoint=http://localhost:11434/v1;Model=llama3.1\" or \"Provider=Local;Model=/models/model.gguf\").");
            return null;
        }

        return connection;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") && File.ReadAllText("/proc/loadavg").Split(' ') is [var oneMinute, ..] ? $", load average {oneMinute}" : "";

    /// <summary>Each sentence as its own text: check-worthy when the tagger returns a claim for it.</summary>
    internal static async Task<bool[]> TagEachAsync(IClaimTagger tagger, string[] texts, int parallelism, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        var predicted = new bool[texts.Length];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(progressOutput) });
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Tagging with the LLM", maxValue: texts.Length);
                await Parallel.ForEachAsync(Enumerable.Range(0, texts.Length), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
                {
                    var payload = await tagger.TagAsync(texts[i], ct);
                    predicted[i] = payload.Claims.Count > 0;
                    task.Increment(1);
                });
            });
        return predicted;
    }
}
