using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Cli.EntityLinking;
using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;
using Pipeline.Ingestion;
using Pipeline.Ingestion.Articles;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline analyze FILE</c>: runs the enrichers in-process on a text file and prints the analysis as JSON.</summary>
public static class AnalyzeCommand
{
    static readonly JsonSerializerOptions Json = new(EnrichmentPayloads.SerializerOptions)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var file = new Argument<FileInfo>("file") { Description = "A UTF-8 text file with the article text." };
        var title = new Option<string?>("--title") { Description = "The article title (default: the first line)." };
        var url = new Option<string?>("--url") { Description = "The article URL (decides the article id)." };
        var kb = LinkerFactory.KnowledgeBaseOption();
        var kbCache = LinkerFactory.CacheOption();
        var linkerModel = LinkerFactory.ModelOption();
        var explain = new Option<bool>("--explain") { Description = "Also print, on stderr, every mention region with its spans and their best candidates and probabilities." };
        var command = new Command("analyze", "Analyse one article locally (no broker needed) and print claims and entities as JSON.")
        {
            file, title, url, kb, kbCache, linkerModel, explain,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                await errors.WriteLineAsync($"error: {path.FullName} does not exist.");
                return 2;
            }

            var submission = new ArticleSubmission
            {
                Text = await File.ReadAllTextAsync(path.FullName, cancellationToken),
                Title = parse.GetValue(title),
                Url = parse.GetValue(url),
            };
            var normalizer = new ArticleNormalizer(Options.Create(new IngestionOptions()), TimeProvider.System);
            if (!normalizer.TryNormalize(submission, out var article, out var rejection))
            {
                await errors.WriteLineAsync($"error: {path.FullName}: {rejection.Field}: {rejection.Message}");
                return 1;
            }

            using var claimTagger = ClaimTaggers.CreateOffline();
            if (LinkerFactory.TryLoad(parse.GetRequiredValue(kb), parse.GetRequiredValue(kbCache), errors) is not { } load)
            {
                return 2;
            }

            var knowledgeBase = load.KnowledgeBase;
            var entityLinker = new KnowledgeBaseEntityLinker(LinkerFactory.Linker(knowledgeBase, parse.GetValue(linkerModel)));
            var analysis = new
            {
                article = new
                {
                    article.ArticleId,
                    article.CanonicalUrl,
                    article.Source,
                    article.Title,
                    article.ContentHash,
                    characters = article.Text.Length,
                },
                enrichments = new Dictionary<string, object>
                {
                    [ClaimTaggingEnricher.Name] = new { version = claimTagger.Tagger.Version, payload = await claimTagger.Tagger.TagAsync(article.Text, cancellationToken) },
                    [KnowledgeBaseEntityLinker.Name] = new { version = entityLinker.Version, payload = await entityLinker.EnrichAsync(article, cancellationToken) },
                },
            };
            await output.WriteLineAsync(JsonSerializer.Serialize(analysis, Json));
            if (parse.GetValue(explain))
            {
                Explain(errors, entityLinker.Linker, article.Text);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Why the linker linked what it did: each region, its spans, and their three best candidates with both passes' probabilities.</summary>
    static void Explain(TextWriter writer, EntityLinker linker, string text)
    {
        var state = linker.Analyze(text);
        var kb = linker.KnowledgeBase;
        writer.WriteLine($"threshold {linker.Threshold:F2}");
        foreach (var region in state.Regions)
        {
            writer.WriteLine($"region '{state.Document.SpanText(region.FirstToken, region.LastToken)}' ({(region.FromTagger ? "tagged " + region.TaggedType.ToLabel() : "capitalised run")})");
            foreach (var span in region.Spans.Where(s => s.Candidates.Count > 0))
            {
                var best = span.Candidates.OrderByDescending(c => c.Probability).Take(3)
                    .Select(c => FormattableString.Invariant($"{kb.Qids[c.Entity]} {kb.Labels[c.Entity]} [{c.Kind}] {c.FirstPass:F2}->{c.Probability:F2}"));
                writer.WriteLine($"  '{state.Document.SpanText(span.FirstToken, span.LastToken)}': {string.Join("; ", best)}");
            }
        }
    }
}
