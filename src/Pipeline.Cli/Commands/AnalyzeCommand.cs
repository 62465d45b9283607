using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Cli.EntityLinking;
using Pipeline.Contracts;
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
        var command = new Command("analyze", "Analyse one article locally (no broker needed) and print claims and entities as JSON.")
        {
            file, title, url, kb, kbCache, linkerModel,
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
            return 0;
        });
        return command;
    }
}
