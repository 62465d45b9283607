using System.IO.Compression;
using System.Text;
using ICSharpCode.SharpZipLib.BZip2;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Tests;

public sealed class WikidataDumpReaderTests : IDisposable
{
    const int Seed = 7;
    const int Items = 5000; // more than one of the synthesizer's blocks (4,096 items)

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("el-wikidata-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    string Synthesize(string name, int items = Items, Func<Stream, Stream>? compress = null)
    {
        var path = Path.Combine(_directory.FullName, name);
        using var file = File.Create(path);
        using var stream = compress?.Invoke(file) ?? file;
        new WikidataDumpSynthesizer(Seed).Write(stream, items);
        return path;
    }

    string WriteLines(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    /// <summary>What the reader should make of a synthetic item under the default options; null when it is dropped.</summary>
    static EntityRecord? Expected(SyntheticWikidataItem item, WikidataDumpOptions options)
    {
        var label = item.Term(item.Labels, "en");
        if (label is null || item.NotAnEntity || !(item.EnwikiTitle is not null || item.Sitelinks.Count >= options.MinSitelinks))
        {
            return null;
        }

        var others = options.Languages.Where(l => l != "en").ToHashSet();
        var names = item.Aliases.Where(a => a.Language == "en").Select(a => a.Value)
            .Concat(item.Labels.Where(l => others.Contains(l.Language)).Select(l => l.Value))
            .Concat(item.Aliases.GroupBy(a => a.Language).Where(g => others.Contains(g.Key)).SelectMany(g => g.Select(a => a.Value)));
        var aliases = names.Where(n => n != label).Distinct().ToList();
        var popularity = (float)Math.Min(1, Math.Log(1 + item.Sitelinks.Count) / Math.Log(301));
        return new EntityRecord(item.Qid, label, aliases, item.Term(item.Descriptions, "en") ?? "", item.EnwikiTitle, item.Type, popularity, item.IsCountry);
    }

    static void AssertSame(EntityRecord expected, EntityRecord actual)
    {
        Assert.Equal(expected.Qid, actual.Qid);
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Aliases, actual.Aliases);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.EnwikiTitle, actual.EnwikiTitle);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Popularity, actual.Popularity, 5);
        Assert.Equal(expected.IsCountry, actual.IsCountry);
    }

    [Fact]
    public void A_synthetic_gzipped_dump_reads_back_as_generated_and_the_rule_drops_the_rest()
    {
        var dump = Synthesize("dump.json.gz", compress: file => new GZipStream(file, CompressionLevel.Fastest));
        var generated = new WikidataDumpSynthesizer(Seed).Items(Items).ToList();
        var expected = generated.Select(i => Expected(i, WikidataDumpOptions.Default)).OfType<EntityRecord>().ToList();
        var progress = new WikidataDumpProgress();

        var records = WikidataDumpReader.Read(dump, progress: progress).ToList();

        Assert.Equal(expected.Count, records.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSame(expected[i], records[i]);
        }

        // The mix exercises every branch of the rule and of the types.
        Assert.InRange(records.Count, Items / 4, Items * 3 / 4);
        Assert.True(progress.DroppedNoEnglishLabel > 0 && progress.DroppedTooFewSitelinks > 0 && progress.DroppedNotEntities > 0);
        Assert.All(new[] { EntityType.Per, EntityType.Org, EntityType.Loc, EntityType.Misc }, t => Assert.Contains(records, r => r.Type == t));
        Assert.Contains(records, r => r.IsCountry);
        Assert.Contains(records, r => r.Aliases.Any(a => a.Any(c => c > 127)));
        Assert.Contains(generated, i => i.InstanceOf.Count == 0 && i.SubclassOf.Count > 0 && Expected(i, WikidataDumpOptions.Default) is not null);
        Assert.Equal(Items, progress.Items);
        Assert.Equal(Items + 2, progress.Lines);
        Assert.Equal(0, progress.Malformed);
        Assert.Equal(new FileInfo(dump).Length, progress.CompressedBytesRead);
    }

    [Fact]
    public void The_synthesizer_writes_the_same_dump_for_the_same_seed()
    {
        var first = File.ReadAllBytes(Synthesize("first.json", 4100));
        var second = File.ReadAllBytes(Synthesize("second.json", 4100));

        Assert.Equal(first, second);
        Assert.Equal(4100, Encoding.UTF8.GetString(first).Split('\n').Count(l => l.StartsWith("{\"type\":\"item\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Many_parsers_over_small_batches_give_the_records_in_dump_order()
    {
        var dump = Synthesize("dump.json");
        var one = WikidataDumpReader.Read(dump, WikidataDumpOptions.Default with { Workers = 1 }).Select(r => r.Qid).ToList();

        var many = WikidataDumpReader.Read(dump, WikidataDumpOptions.Default with { Workers = 4, BatchBytes = 4096, BatchesInFlight = 3 }).Select(r => r.Qid).ToList();

        Assert.Equal(one, many);
        Assert.Equal(one.OrderBy(q => int.Parse(q[1..], System.Globalization.CultureInfo.InvariantCulture)), one);
    }

    [Fact]
    public void A_bzip2_dump_of_several_streams_reads_like_the_plain_one()
    {
        var plain = Synthesize("dump.json", 500);
        var bytes = File.ReadAllBytes(plain);
        var bz2 = Path.Combine(_directory.FullName, "dump.json.bz2");
        using (var file = File.Create(bz2))
        {
            // Two bzip2 streams one after the other, as parallel compressors write them.
            foreach (var part in new[] { bytes[..(bytes.Length / 2)], bytes[(bytes.Length / 2)..] })
            {
                using var stream = new BZip2OutputStream(file) { IsStreamOwner = false };
                stream.Write(part);
            }
        }

        Assert.Equal(WikidataDumpReader.Read(plain).Select(r => r.Qid), WikidataDumpReader.Read(bz2).Select(r => r.Qid));
    }

    [Fact]
    public void A_cut_gzip_stream_is_reported_with_the_line_reached_after_the_records_before_it()
    {
        var dump = Synthesize("dump.json.gz", compress: file => new GZipStream(file, CompressionLevel.Fastest));
        var bytes = File.ReadAllBytes(dump);
        File.WriteAllBytes(dump, bytes[..(bytes.Length / 2)]);
        var records = new List<EntityRecord>();

        var error = Assert.Throws<WikidataDumpTruncatedException>(() =>
        {
            foreach (var record in WikidataDumpReader.Read(dump))
            {
                records.Add(record);
            }
        });

        Assert.InRange(error.LineReached, 100, Items);
        Assert.InRange(error.ItemsRead, 100, Items);
        Assert.NotEmpty(records);
        Assert.Contains($"line {error.LineReached:N0}", error.Message);
    }

    [Fact]
    public void Hostile_lines_are_counted_with_their_numbers_and_the_good_items_around_them_are_kept()
    {
        var big = new string('x', 10_000_000);
        var lines = new[]
        {
            "\uFEFF[",                                                                                   // 1: BOM
            Item("Q1", "One") + ",",                                                                     // 2
            "this is not JSON,",                                                                         // 3
            Item("Q2", "Two")[..40],                                                                     // 4: truncated
            """{"type":"item","id":"Q3","sitelinks":{"enwiki":{"site":"enwiki","title":"Three"}}},""",  // 5: no labels
            Item("Qabc", "Bad id") + ",",                                                                // 6
            """{"type":"property","id":"P31","labels":{"en":{"language":"en","value":"instance of"}}},""", // 7
            Item("Q4", "Four", ",\"descriptions\":{\"fr\":{\"language\":\"fr\",\"value\":\"" + big + "\"}}") + ",", // 8: a 10 MB line
            Item("Q5", "Five", ""","aliases":[],"claims":[]""") + ",",                                   // 9: empty maps written as []
            Item("Q6", "Six"),                                                                           // 10: no comma
            "]",                                                                                         // 11
        };
        var dump = WriteLines("hostile.json", string.Join("\r\n", lines) + "\r\n");
        var progress = new WikidataDumpProgress();

        var records = WikidataDumpReader.Read(dump, progress: progress).ToList();

        Assert.Equal(["Q1", "Q4", "Q5", "Q6"], records.Select(r => r.Qid));
        Assert.Equal("Six", records[^1].Label);
        Assert.Equal(4, progress.Malformed);
        Assert.Equal([3L, 4, 5, 6], progress.FirstMalformed.Select(m => m.Line));
        Assert.Contains("without labels", progress.FirstMalformed[2].Reason);
        Assert.Contains("not a QID", progress.FirstMalformed[3].Reason);
        Assert.Equal(1, progress.OtherEntities);
        Assert.Equal(11, progress.Lines);
    }

    [Fact]
    public void A_line_over_the_cap_is_malformed_and_reading_goes_on_after_it()
    {
        var dump = WriteLines("long.json", $"[\n{Item("Q1", "One")},\n{Item("Q2", "Two", $",\"x\":\"{new string('y', 300_000)}\"")},\n{Item("Q3", "Three")}\n]\n");
        var progress = new WikidataDumpProgress();

        var records = WikidataDumpReader.Read(dump, WikidataDumpOptions.Default with { MaxLineBytes = 100_000, BatchBytes = 4096 }, progress).ToList();

        Assert.Equal(["Q1", "Q3"], records.Select(r => r.Qid));
        Assert.Equal(new WikidataMalformedLine(3, "longer than the line length cap"), Assert.Single(progress.FirstMalformed));
    }

    [Fact]
    public void A_dump_without_its_closing_bracket_is_reported_as_cut()
    {
        var dump = WriteLines("cut.json", $"[\n{Item("Q1", "One")},\n{Item("Q2", "Two")},\n");

        var error = Assert.Throws<WikidataDumpTruncatedException>(() => WikidataDumpReader.Read(dump).ToList());

        Assert.Equal(3, error.LineReached);
        Assert.Equal(2, error.ItemsRead);
    }

    [Fact]
    public void Cancelling_stops_the_read()
    {
        var dump = Synthesize("dump.json");
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in WikidataDumpReader.StreamRecords(dump, WikidataDumpOptions.Default with { BatchBytes = 4096 }, new WikidataDumpProgress(), cancel.Token))
            {
                cancel.Cancel();
            }
        });
    }

    [Theory]
    [InlineData("Q5,Q43229", EntityType.Per)]      // a person who is also an organisation is a person
    [InlineData("Q43229,Q515", EntityType.Org)]    // an organisation beats a location
    [InlineData("Q41176,Q3918", EntityType.Org)]   // a building that is a university
    [InlineData("Q515", EntityType.Loc)]
    [InlineData("Q999999991", EntityType.Misc)]    // a class the table does not list
    [InlineData("", EntityType.Unknown)]
    public void The_type_comes_from_the_strongest_instance_of_class(string classes, EntityType type)
    {
        var record = WikidataDumpReader.Parse(Item("Q10", "Ten", Claims("P31", classes)));

        Assert.Equal(type, record!.Type);
    }

    [Fact]
    public void A_class_without_instance_of_is_typed_from_subclass_of_and_instance_of_wins_when_both_are_there()
    {
        Assert.Equal(EntityType.Loc, WikidataDumpReader.Parse(Item("Q10", "big town", Claims("P279", "Q515")))!.Type);
        Assert.Equal(EntityType.Misc, WikidataDumpReader.Parse(Item("Q10", "a film", ",\"claims\":{" + Statements("P31", "Q11424") + "," + Statements("P279", "Q515") + "}"))!.Type);
    }

    [Fact]
    public void Countries_are_flagged_wikimedia_pages_are_dropped_and_deprecated_classes_ignored()
    {
        var country = WikidataDumpReader.Parse(Item("Q183", "Germany", Claims("P31", "Q6256")))!;
        Assert.True(country.IsCountry);
        Assert.Equal(EntityType.Loc, country.Type);
        Assert.Null(WikidataDumpReader.Parse(Item("Q10", "Smith", Claims("P31", "Q4167410"))));
        var deprecated = Item("Q10", "Ten", ""","claims":{"P31":[{"mainsnak":{"datavalue":{"value":{"id":"Q5"}}},"rank":"deprecated"},{"mainsnak":{"datavalue":{"value":{"numeric-id":515}}},"rank":"normal"}]}""");
        Assert.Equal(EntityType.Loc, WikidataDumpReader.Parse(deprecated)!.Type);
    }

    [Fact]
    public void The_rule_and_languages_follow_the_options()
    {
        var line = """{"type":"item","id":"Q64","labels":{"en":{"language":"en","value":"Berlin"},"de":{"language":"de","value":"Berlin"},"ru":{"language":"ru","value":"Берлин"}},"aliases":{"de":[{"language":"de","value":"Spree-Athen"}]},"sitelinks":{"dewiki":{"site":"dewiki","title":"Berlin"},"frwiki":{"site":"frwiki","title":"Berlin"}}}""";

        Assert.Null(WikidataDumpReader.Parse(line));
        var loose = WikidataDumpReader.Parse(line, WikidataDumpOptions.Default with { MinSitelinks = 2, Languages = ["en", "ru"] })!;
        Assert.Equal(["Берлин"], loose.Aliases);
        Assert.Equal(["Spree-Athen"], WikidataDumpReader.Parse(line, WikidataDumpOptions.Default with { MinSitelinks = 2 })!.Aliases);
        Assert.Null(WikidataDumpReader.Parse(line, WikidataDumpOptions.Default with { MinSitelinks = 0, RequireEnwiki = true }));
        Assert.Equal(1f, WikidataDumpOptions.Default.Popularity(300));
        Assert.Equal(1f, WikidataDumpOptions.Default.Popularity(5000));
    }

    [Fact]
    public void The_shipped_type_table_reads_and_maps_the_main_classes()
    {
        var table = WikidataTypeTable.Default;

        Assert.InRange(table.Count, 150, 1000);
        Assert.Equal(WikidataClassType.Per, table.Classify(5));
        Assert.Equal(WikidataClassType.Org, table.Classify(7278));
        Assert.Equal(WikidataClassType.Loc, table.Classify(6256));
        Assert.Equal(WikidataClassType.Skip, table.Classify(4167836));
    }

    /// <summary>An item with an English label and an English Wikipedia article; <paramref name="more"/> adds properties.</summary>
    static string Item(string qid, string label, string more = "") =>
        "{\"type\":\"item\",\"id\":\"" + qid + "\",\"labels\":{\"en\":{\"language\":\"en\",\"value\":\"" + label + "\"}}" + more +
        ",\"sitelinks\":{\"enwiki\":{\"site\":\"enwiki\",\"title\":\"" + label + "\"}}}";

    static string Claims(string property, string classes) => ",\"claims\":{" + Statements(property, classes) + "}";

    /// <summary>A property's statements, one per class ("Q5,Q43229"), shaped as in the dump.</summary>
    static string Statements(string property, string classes) =>
        "\"" + property + "\":[" + string.Join(',', classes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c =>
            "{\"mainsnak\":{\"snaktype\":\"value\",\"property\":\"" + property + "\",\"datavalue\":{\"value\":{\"entity-type\":\"item\",\"numeric-id\":" + c[1..] +
            ",\"id\":\"" + c + "\"},\"type\":\"wikibase-entityid\"}},\"type\":\"statement\",\"rank\":\"normal\"}")) + "]";
}
