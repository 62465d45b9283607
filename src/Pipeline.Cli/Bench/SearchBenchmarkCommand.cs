using System.CommandLine;
using System.Globalization;
using Pipeline.Processes;

namespace Pipeline.Cli.Bench;

/// <summary><c>pipeline bench search</c>: the query mix's latency percentiles on a 100,000-article Lucene index.</summary>
public static class SearchBenchmarkCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var articles = new Option<int>("--articles") { Description = "Articles in the benchmark index.", DefaultValueFactory = _ => 100_000 };
        var rounds = new Option<int>("--queries") { Description = "Timed queries per query kind.", DefaultValueFactory = _ => 200 };
        var cache = new Option<string?>("--index-cache") { Description = "Where built indexes are kept, keyed by input (default .data/bench-search in the repository)." };
        var rebuild = new Option<bool>("--rebuild") { Description = "Build the index again even if a cached one matches the input." };
        var command = new Command("search", "Search latency for a fixed query mix (text, phrase, filters, facets, entity+worthiness, deep cursor pages) and the page's charts, against a raw TermQuery ceiling.")
        {
            articles, rounds, cache, rebuild,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(articles);
            var queries = parse.GetValue(rounds);
            if (count < 1_000 || queries < 20)
            {
                await errors.WriteLineAsync("error: --articles must be at least 1000 and --queries at least 20.");
                return 2;
            }

#if DEBUG
            await errors.WriteLineAsync("warning: this is a Debug build; benchmark numbers are only meaningful with -c Release.");
#endif
            var corpus = BenchCorpus.Load(RepositoryLayout.SharedData);
            var cacheRoot = parse.GetValue(cache) ?? Path.Combine(RepositoryLayout.RepositoryRoot, ".data", "bench-search");
            var info = SearchBenchIndex.BuildOrReuse(corpus, count, RepositoryLayout.SharedData, cacheRoot, parse.GetValue(rebuild), m => errors.WriteLine(m));
            await errors.WriteLineAsync(info.Reused ? $"reusing the index at {info.Path}" : $"built the index at {info.Path} in {info.BuildTime.TotalSeconds:F0} s");

            var (rows, exact, segments) = await new SearchBenchmark(info, queries).RunAsync(m => errors.WriteLine(m), cancellationToken);
            // The mix is the searches an analyst types; the charts (aggregations the page fetches beside each search) have their own target.
            var mix = rows.Where(r => r.Kind is not ("raw ceiling" or SearchBenchmark.Charts)).SelectMany(r => r.Milliseconds).ToList();
            var all = new SearchLatencies("mix", "every query above except charts", mix);
            var charts = rows.Single(r => r.Kind == SearchBenchmark.Charts);

            var i = CultureInfo.InvariantCulture;
            await output.WriteLineAsync(string.Create(i, $"{count:N0} articles from {corpus.SourceArticles:N0} real ones, {segments} segments, {Environment.ProcessorCount} cores, load average {LoadAverage()}; one query at a time."));
            await output.WriteLineAsync();
            await output.WriteLineAsync(SearchBenchmark.ToMarkdown([.. rows, all]));
            await output.WriteLineAsync($"facet-counts-exact: {(exact ? "yes" : "NO")} (claim-type facet over every article against the counts taken while indexing)");
            await output.WriteLineAsync(string.Create(i, $"search-p95-ms: {all.Percentile(95):F1}"));
            await output.WriteLineAsync(string.Create(i, $"charts-p95-ms: {charts.Percentile(95):F1}"));
            return exact ? 0 : 1;
        });
        return command;
    }

    static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
