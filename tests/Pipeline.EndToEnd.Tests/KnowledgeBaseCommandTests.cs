using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Pipeline.Cli;
using Pipeline.Cli.Commands;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.Testing;

namespace Pipeline.EndToEnd.Tests;

/// <summary>
/// The KB commands as a user runs them: <c>kb synth</c> writes a dump, <c>kb build</c> compiles it into a KB directory
/// the loader opens (every kept item findable by QID and by its label), <c>kb stats</c> counts it, a cut dump fails
/// without touching the KB already there, and <c>kb bench</c> measures every step at a tiny size.
/// </summary>
public sealed partial class KnowledgeBaseCommandTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-kb-commands-");

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Delete(recursive: true);

    string PathOf(string name) => Path.Combine(_directory.FullName, name);

    static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await PipelineCommand.Create(output, errors).Parse(arguments).InvokeAsync(new() { Output = output, Error = errors }, Cancel);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task A_synthetic_dump_builds_into_a_kb_directory_that_opens_with_every_kept_item_and_stats_counts_it()
    {
        var dump = PathOf("dump.json.gz");
        var kb = PathOf("kb");
        Assert.Equal(0, (await RunAsync("kb", "synth", "--items", "3000", "--out", dump, "--seed", "5")).Exit);

        var (exit, output, errors) = await RunAsync("kb", "build", "--wikidata", dump, "--out", kb);

        Assert.True(exit == 0, errors);
        Assert.Contains("malformed lines: 0", output, StringComparison.Ordinal);
        var expected = WikidataDumpReader.Read(dump).ToList();
        Assert.InRange(expected.Count, 500, 2_500); // the default rule drops the items without an English label or enough sitelinks
        Assert.Contains($"{expected.Count:N0} entities compiled into", output, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(kb, KnowledgeBaseBuildCommand.OutputFile)], Directory.GetFiles(kb));

        using var opened = KnowledgeBaseLoader.Load(kb, cacheDirectory: null).KnowledgeBase;
        Assert.Equal(expected.Count, opened.Count);
        var findable = 0;
        foreach (var record in expected)
        {
            var entity = opened.IndexOf(record.Qid);
            Assert.True(entity >= 0, record.Qid);
            Assert.Equal(record.Label, opened.Labels[entity]);
            Assert.Equal(record.Type, opened.Types[entity]);
            if (SurfaceForms.Key(record.Label) is { Length: >= 2 } key)
            {
                var candidates = opened.Candidates(key).ToArray();
                findable += candidates.Length == 64 || candidates.Any(c => c.Entity == entity) ? 1 : 0;
            }
        }

        // Every named item is a candidate of its own label (the few others are kept for lookups by QID only).
        Assert.True(findable >= expected.Count * 0.9, $"{findable} of {expected.Count} items found by their label");

        var stats = await RunAsync("kb", "stats", "--kb", kb);
        Assert.Equal(0, stats.Exit);
        var row = StatsRow().Match(stats.Output);
        Assert.True(row.Success, stats.Output);
        Assert.Equal(expected.Count, int.Parse(row.Groups["entities"].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("| dump.json.gz |", stats.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_dump_fails_naming_where_it_ends_and_leaves_the_kb_already_there_as_it_was()
    {
        var dump = PathOf("dump.json.gz");
        var kb = PathOf("kb");
        Assert.Equal(0, (await RunAsync("kb", "synth", "--items", "2000", "--out", dump)).Exit);
        Assert.Equal(0, (await RunAsync("kb", "build", "--wikidata", dump, "--out", kb)).Exit);
        var file = Path.Combine(kb, KnowledgeBaseBuildCommand.OutputFile);
        var before = SHA256.HashData(await File.ReadAllBytesAsync(file, Cancel));
        var cut = PathOf("cut.json.gz");
        var bytes = await File.ReadAllBytesAsync(dump, Cancel);
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)], Cancel);

        var (exit, _, errors) = await RunAsync("kb", "build", "--wikidata", cut, "--out", kb);

        Assert.Equal(3, exit);
        Assert.Contains("line", errors, StringComparison.Ordinal);
        Assert.Contains("left as it was", errors, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(file, Cancel)));
        Assert.Equal([file], Directory.GetFiles(kb)); // no partial file left behind

        // Asked to, it keeps what was read: a smaller KB that opens.
        Assert.Equal(0, (await RunAsync("kb", "build", "--wikidata", cut, "--out", kb, "--keep-partial")).Exit);
        using var partial = KnowledgeBaseLoader.Load(kb, cacheDirectory: null).KnowledgeBase;
        Assert.InRange(partial.Count, 1, WikidataDumpReader.Read(dump).Count() - 1);
    }

    [Fact]
    public async Task Kb_bench_at_a_tiny_size_measures_build_open_lookups_and_the_service_and_ends_with_its_four_lines()
    {
        RepositoryPaths.RequireSharedFile("kb/kb_entities.tsv");
        RepositoryPaths.RequireSharedFile("articles/fakenewsnet-2018.jsonl");

        var (exit, output, errors) = await RunAsync("kb", "bench", "--items", "3000", "--articles", "10", "--lookups", "10000", "--work", _directory.FullName);

        Assert.True(exit == 0, errors);
        var last = output.TrimEnd().Split('\n')[^4..].Select(l => l.Trim()).ToArray();
        Assert.Equal(["kb-build-items-per-s", "kb-build-peak-rss-mb", "kb-open-s", "kb-service-rss-mb"], last.Select(l => l.Split(':')[0]));
        var values = last.Select(l => double.Parse(l.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(values[0] > 0 && values[1] > 0 && values[2] >= 0 && values[3] > 0, string.Join("\n", last));
        Assert.Contains("| linking, bundled + built KB |", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory.FullName)); // the dump and the KB are deleted unless --keep
    }

    [GeneratedRegex(@"\| \S+wikidata\.kb \| [\d.]+ \| (?<entities>[\d,]+) \|")]
    private static partial Regex StatsRow();
}
