using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Pipeline.ClaimTagging;
using Pipeline.ClaimTagging.Llm;
using Pipeline.ClaimTagging.Llm.Local;
using Pipeline.ClaimTagging.Offline;
using Pipeline.ClaimTagging.Tagging;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench claims [--tagger offline|llm]</c>: claim-tagging speed on labelled sentences, as a markdown table;
/// for the LLM tagger also the tokens per second the model read and generated (from the tagger's own metrics).
/// </summary>
public static class BenchClaimsCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var input = new Option<FileInfo>("--input") { Description = "A TSV with Sentence_id, Text and class_label (default: the CheckThat! dev file)." };
        var (tagger, llm) = EvalCommand.TaggerOptions();
        var sentences = new Option<int>("--sentences") { Description = "Sentences to tag (0: the whole file).", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "LLM requests in flight at once.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "A local model's CPU threads (0: one per core).", DefaultValueFactory = _ => 0 };
        var defaults = new LocalModelOptions();
        var maxTokens = new Option<int>("--max-tokens") { Description = "A local model's token limit per answer.", DefaultValueFactory = _ => defaults.MaxTokens };
        var maxClaims = new Option<int>("--max-claims") { Description = "A local model's grammar: most claims per answer.", DefaultValueFactory = _ => defaults.MaxClaims };
        var maxClaimCharacters = new Option<int>("--max-claim-characters") { Description = "A local model's grammar: longest claim text.", DefaultValueFactory = _ => defaults.MaxClaimCharacters };
        var command = new Command("claims", "Measure claim-tagging speed (sentences/s; tokens/s for the LLM tagger).") { input, tagger, llm, sentences, concurrency, threads, maxTokens, maxClaims, maxClaimCharacters };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(input) ?? new FileInfo(Path.Combine(Processes.RepositoryLayout.SharedData, "claims", "CT24_checkworthy_english_dev.tsv"));
            if (!file.Exists)
            {
                await errors.WriteLineAsync($"error: {file.FullName} does not exist.");
                return 2;
            }

            var texts = CheckWorthyDataset.Read(file.FullName).Select(d => d.Text).ToArray();
            if (parse.GetValue(sentences) is > 0 and var limit)
            {
                texts = texts[..Math.Min(limit, texts.Length)];
            }

            using var offline = ClaimTaggers.CreateOffline();
            using var tokens = new TokenMeter();
            IClaimTagger measured = offline.Tagger;
            LlmClaimTagger? llmTagger = null;
            if (parse.GetValue(tagger) == "llm")
            {
                if (await EvalCommand.LlmConnectionAsync(parse, llm, errors) is not { } connection)
                {
                    return 2;
                }

                var options = new ClaimTaggingOptions { LlmMaxConcurrency = Math.Max(1, parse.GetValue(concurrency)), LlmCacheEntries = 0 };
                llmTagger = ClaimTaggers.CreateLlm(connection, offline.Tagger, options, new LocalModelOptions
                {
                    Threads = parse.GetValue(threads),
                    MaxTokens = parse.GetValue(maxTokens),
                    MaxClaims = parse.GetValue(maxClaims),
                    MaxClaimCharacters = parse.GetValue(maxClaimCharacters),
                });
                measured = llmTagger;
            }

            // Warm-up, untimed: model loading, JIT, the first context.
            await measured.TagAsync("Unemployment fell to 3.5 percent last year, the minister said.", cancellationToken);
            tokens.Reset();
            var cpuAtStart = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            var predicted = await EvalCommand.TagEachAsync(measured, texts, Math.Max(1, parse.GetValue(concurrency)), errors, cancellationToken);
            var elapsed = clock.Elapsed;
            var cpu = Environment.CpuUsage.TotalTime - cpuAtStart;
            llmTagger?.Dispose();

            string Rate(double count) => (count / elapsed.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"{file.Name}: {texts.Length} sentences, each tagged as its own text; tagger {measured.Version}; {Environment.ProcessorCount} cores{EvalCommand.LoadAverage()}");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| measure | value |");
            await output.WriteLineAsync("|---|---:|");
            await output.WriteLineAsync($"| sentences/s | {Rate(texts.Length)} |");
            await output.WriteLineAsync($"| sentences per CPU-second | {(texts.Length / Math.Max(cpu.TotalSeconds, 1e-3)).ToString("F1", CultureInfo.InvariantCulture)} |");
            await output.WriteLineAsync($"| sentences tagged check-worthy | {predicted.Count(p => p)} |");
            if (llmTagger is not null)
            {
                await output.WriteLineAsync($"| input tokens/s (prompt processing) | {Rate(tokens.Input)} |");
                await output.WriteLineAsync($"| output tokens/s (generation) | {Rate(tokens.Output)} |");
                await output.WriteLineAsync($"| fallbacks to the offline tagger | {tokens.Fallbacks} |");
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"claims-sentences-per-s: {Rate(texts.Length)}");
            if (llmTagger is not null)
            {
                await output.WriteLineAsync($"claims-output-tokens-per-s: {Rate(tokens.Output)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Reads the LLM tagger's token and fallback counters while the benchmark runs.</summary>
    sealed class TokenMeter : IDisposable
    {
        readonly MeterListener listener = new();
        long input;
        long output;
        long fallbacks;

        public TokenMeter()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == LlmTelemetry.MeterName && instrument.Name is "pipeline.llm.tokens" or "pipeline.claims.fallbacks")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "pipeline.claims.fallbacks")
                {
                    Interlocked.Add(ref fallbacks, value);
                    return;
                }

                foreach (var tag in tags)
                {
                    if (tag is { Key: "type", Value: "input" })
                    {
                        Interlocked.Add(ref input, value);
                    }
                    else if (tag is { Key: "type", Value: "output" })
                    {
                        Interlocked.Add(ref output, value);
                    }
                }
            });
            listener.Start();
        }

        public long Input => Interlocked.Read(ref input);

        public long Output => Interlocked.Read(ref output);

        public long Fallbacks => Interlocked.Read(ref fallbacks);

        public void Reset()
        {
            Interlocked.Exchange(ref input, 0);
            Interlocked.Exchange(ref output, 0);
            Interlocked.Exchange(ref fallbacks, 0);
        }

        public void Dispose() => listener.Dispose();
    }
}
