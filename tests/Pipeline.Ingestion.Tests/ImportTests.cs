using System.Text.RegularExpressions;
using Pipeline.Cli;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.Ingestion.Tests;

/// <summary><c>pipeline import</c> against the ingestion service on Kestrel (broker: MassTransit's in-memory harness).</summary>
public sealed partial class ImportTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_file_of_the_shared_articles_imports_with_counts_reported_per_file()
    {
        var articles = Path.GetDirectoryName(RepositoryPaths.RequireSharedFile("articles/buzzfeed-webis-2016.jsonl"))!;
        await using var host = await IngestionHost.StartAsync(harness: true);

        var (_, output) = await ImportAsync(host, articles);

        var perFile = FileCounts().Matches(output).ToDictionary(m => m.Groups["file"].Value, m => Counts(m));
        var expected = Directory.EnumerateFiles(articles, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(articles, f))
            .ToList();
        Assert.Equal(expected.Order(), perFile.Keys.Order());
        Assert.Contains("skipped coaid/README.upstream.md", output, StringComparison.Ordinal);

        // JSON Lines: one answer per non-blank line. FakeNewsNet's BuzzFeed part holds ~200 of the BuzzFeed-Webis articles
        // again (re-encoded, re-spaced, with a prefix): imported after them, those are near-duplicates, not new articles.
        foreach (var file in new[] { "buzzfeed-webis-2016.jsonl", "fakenewsnet-2018.jsonl" })
        {
            var lines = File.ReadLines(Path.Combine(articles, file)).Count(l => l.Trim().Length > 0);
            Assert.Equal(lines, perFile[file].Total);
            Assert.True(perFile[file].Accepted + perFile[file].Duplicate >= lines * 9 / 10, $"{file}: {perFile[file]}");
        }

        Assert.True(perFile["buzzfeed-webis-2016.jsonl"].Accepted > 1_500, perFile["buzzfeed-webis-2016.jsonl"].ToString());
        Assert.True(perFile["fakenewsnet-2018.jsonl"].Duplicate > 150, perFile["fakenewsnet-2018.jsonl"].ToString());

        // The real CSV (quoted multi-line bodies) and the demo text file.
        Assert.True(perFile["fnc1-train-bodies.csv"].Accepted > 1_500, perFile["fnc1-train-bodies.csv"].ToString());
        Assert.Equal(1, perFile["sample-article-2024-01-30.txt"].Accepted);
        Assert.All(perFile.Where(f => f.Key.StartsWith("coaid", StringComparison.Ordinal)), f => Assert.True(f.Value.Total > 0, f.Key));

        // What was counted accepted is exactly what was published (an article id may come twice: the same URL with a
        // changed text is a new version of the article, as in CoAID's snapshots).
        var published = host.Harness().Published.Select<ArticleIngested>(Cancel).Select(p => p.Context.Message.ArticleId).ToList();
        Assert.Equal(perFile.Values.Sum(c => c.Accepted), published.Count);
    }

    [Fact]
    public async Task Csv_with_a_column_map_and_a_directory_of_text_and_html_files_import()
    {
        var directory = Directory.CreateTempSubdirectory("import-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "a.csv"), "id,Headline,Story,Link\n1,Dam opens,\"The dam opened on Monday, officials said.\nA second line.\",https://example.com/dam\n2,Bad link,Some story text.,ftp://example.com/x\n", Cancel);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "b.txt"), "Storm warning\nA storm is expected tonight along the coast.", Cancel);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "c.html"), HtmlAndNormalisationTests.NewsPage, Cancel);
            await using var host = await IngestionHost.StartAsync(harness: true);

            var (exit, output) = await ImportAsync(host, directory.FullName, "--columns", "title=Headline,text=Story,url=Link");

            Assert.Equal(1, exit); // one row was refused
            Assert.Matches(@"a\.csv row at line 4: 400 url: ", output);
            Assert.Contains("a.csv: 1 accepted, 0 duplicate, 1 rejected, 0 failed", output, StringComparison.Ordinal);
            Assert.Contains("b.txt: 1 accepted", output, StringComparison.Ordinal);
            Assert.Contains("c.html: 1 accepted", output, StringComparison.Ordinal);
            var published = host.Harness().Published.Select<ArticleIngested>(Cancel).Select(p => p.Context.Message).ToList();
            var dam = Assert.Single(published, a => a.Title == "Dam opens");
            Assert.Equal("The dam opened on Monday, officials said.\nA second line.", dam.Text);
            Assert.Equal("https://example.com/dam", dam.CanonicalUrl);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    static async Task<(int Exit, string Output)> ImportAsync(LoopbackWebApp host, string path, params string[] options)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await PipelineCommand.Create(output, errors)
            .Parse(["import", path, "--api", host.Client.BaseAddress!.ToString(), "--api-key", TestApiKeys.Ingest, .. options])
            .InvokeAsync(new() { Output = output, Error = errors }, Cancel);
        return (exit, output.ToString());
    }

    sealed record FileCount(int Accepted, int Duplicate, int Rejected, int Failed)
    {
        public int Total => Accepted + Duplicate + Rejected + Failed;
    }

    static FileCount Counts(Match m) => new(
        int.Parse(m.Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(m.Groups["d"].Value, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(m.Groups["r"].Value, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(m.Groups["f"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<file>\S+): (?<a>\d+) accepted, (?<d>\d+) duplicate, (?<r>\d+) rejected, (?<f>\d+) failed", RegexOptions.Multiline)]
    private static partial Regex FileCounts();
}
