using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.EntityLinking.Tests;

public sealed class KnowledgeBaseTests : IDisposable
{
    const string Header = "qid\tlabel\taliases\tdescription\tenwiki_title\tfreebase_mid\tcoarse_type\ttype_source\twikidata_types_codex\tdegree_popularity_proxy\n";

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("el-kb-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    string Write(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    void WriteSmallKb()
    {
        Write("kb_entities.tsv", Header +
            "Q48340\tCNN\tCable News Network\tAmerican news channel\tCNN\t\tLOC\t\t\t300\n" +
            "Q8333\tFederal Bureau of Investigation\tFBI\tUS federal law enforcement agency\t\t\tORG\t\t\t600\n" +
            "Q8445\tmarriage\twedlock\tsocial union\t\t\tUNKNOWN\t\t\t900\n" +
            "Q99\tSomeplace\t\tvillage\t\t\tLOC\t\t\t1\n");
        Write("kb_news_entities.tsv", Header +
            "Q15031\tXi Jinping\t\tPresident of China\t\t\tPER\t\t\t80\n" +
            "Q956\tBeijing\tPeking\tcapital city of China\t\t\tLOC\t\t\t60\n" +
            "Q1\tBeijing\t\tvillage in Ohio, United States\t\t\tLOC\t\t\t10\n");
        Write("kb_type_fixes.tsv", "qid\tcoarse_type\nQ48340\tORG\n");
    }

    [Fact]
    public void Bundled_layout_is_merged_with_type_fixes_applied()
    {
        WriteSmallKb();

        var kb = KnowledgeBaseLoader.Load(_directory.FullName, cacheDirectory: null).KnowledgeBase;

        Assert.Equal(7, kb.Count);
        Assert.Equal(EntityType.Org, kb.Types[kb.IndexOf("Q48340")]);
        Assert.Equal("Q8333", kb.Qids[kb.Candidates("fbi")[0].Entity]);
        Assert.Equal("Q956", kb.Qids[kb.Candidates("beijing")[0].Entity]);
        Assert.True(kb.Candidates("beijing")[0].Prior > 0.9);
    }

    [Fact]
    public void Concepts_with_lower_case_labels_are_never_candidates()
    {
        WriteSmallKb();

        var kb = KnowledgeBaseLoader.Load(_directory.FullName, cacheDirectory: null).KnowledgeBase;

        Assert.True(kb.Contains("Q8445"));
        Assert.True(kb.Candidates("marriage").IsEmpty);
    }

    [Fact]
    public void The_compiled_file_in_the_cache_reproduces_the_compiled_kb_and_is_used_on_the_second_load()
    {
        WriteSmallKb();
        var cache = Path.Combine(_directory.FullName, "cache");

        var built = KnowledgeBaseLoader.Load(_directory.FullName, cache);
        var cached = KnowledgeBaseLoader.Load(_directory.FullName, cache);

        Assert.False(built.FromCache);
        Assert.True(cached.FromCache);
        Assert.Equal(built.KnowledgeBase.Qids, cached.KnowledgeBase.Qids);
        Assert.Equal(built.KnowledgeBase.Descriptions, cached.KnowledgeBase.Descriptions);
        Assert.Equal(built.KnowledgeBase.AliasCount, cached.KnowledgeBase.AliasCount);
        Assert.Equal(built.KnowledgeBase.Candidates("xi jinping").ToArray(), cached.KnowledgeBase.Candidates("xi jinping").ToArray());
    }

    [Fact]
    public void The_build_step_index_is_loaded_without_building_and_a_stale_one_is_ignored()
    {
        WriteSmallKb();
        var shipped = Path.Combine(_directory.FullName, "kb-index");
        var output = new StringWriter();

        Assert.Equal(0, KnowledgeBaseIndexStep.Run([_directory.FullName, shipped], output));
        Assert.Equal(0, KnowledgeBaseIndexStep.Run([_directory.FullName, shipped], output));
        var load = KnowledgeBaseLoader.Load(_directory.FullName, cacheDirectory: null, shippedIndexDirectory: shipped);

        Assert.Contains("KB index built", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("KB index up to date", output.ToString(), StringComparison.Ordinal);
        Assert.True(load.FromCache);
        Assert.StartsWith(shipped, load.CachePath, StringComparison.Ordinal);
        Assert.Equal("Q15031", load.KnowledgeBase.Qids[load.KnowledgeBase.Candidates("xi jinping")[0].Entity]);

        File.AppendAllText(Path.Combine(_directory.FullName, "kb_news_entities.tsv"), "Q22686\tDonald Trump\t\t45th President\t\t\tPER\t\t\t90\n");
        var changed = KnowledgeBaseLoader.Load(_directory.FullName, cacheDirectory: null, shippedIndexDirectory: shipped);
        Assert.False(changed.FromCache);
        Assert.True(changed.KnowledgeBase.Contains("Q22686"));
    }

    [Fact]
    public void A_changed_kb_file_is_rebuilt_instead_of_read_from_a_stale_cache()
    {
        WriteSmallKb();
        var cache = Path.Combine(_directory.FullName, "cache");
        KnowledgeBaseLoader.Load(_directory.FullName, cache);

        File.AppendAllText(Path.Combine(_directory.FullName, "kb_news_entities.tsv"), "Q22686\tDonald Trump\t\t45th President\t\t\tPER\t\t\t90\n");
        var reloaded = KnowledgeBaseLoader.Load(_directory.FullName, cache);

        Assert.False(reloaded.FromCache);
        Assert.True(reloaded.KnowledgeBase.Contains("Q22686"));
    }

    [Fact]
    public void Wikidata_dump_lines_become_entity_records_with_type_and_english_names()
    {
        const string line = """{"type":"item","id":"Q42","labels":{"en":{"language":"en","value":"Douglas Adams"},"fr":{"language":"fr","value":"Douglas Adams"}},"descriptions":{"en":{"language":"en","value":"English author"}},"aliases":{"en":[{"language":"en","value":"Douglas Noel Adams"}]},"claims":{"P31":[{"mainsnak":{"snaktype":"value","property":"P31","datavalue":{"value":{"entity-type":"item","id":"Q5"},"type":"wikibase-entityid"}}}]},"sitelinks":{"enwiki":{"site":"enwiki","title":"Douglas Adams"},"frwiki":{"site":"frwiki","title":"Douglas Adams"}}},""";

        var record = WikidataDumpReader.Parse(line);

        Assert.NotNull(record);
        Assert.Equal("Q42", record.Qid);
        Assert.Equal("Douglas Adams", record.Label);
        Assert.Equal(["Douglas Noel Adams"], record.Aliases);
        Assert.Equal("English author", record.Description);
        Assert.Equal(EntityType.Per, record.Type);
        Assert.Equal(WikidataDumpOptions.Default.Popularity(2), record.Popularity);
        Assert.Null(WikidataDumpReader.Parse("["));
        Assert.Null(WikidataDumpReader.Parse("""{"type":"property","id":"P31","labels":{"en":{"value":"instance of"}}},"""));
    }

    [Fact]
    public void A_gzipped_wikidata_dump_is_streamed_into_a_loadable_kb()
    {
        var dump = Path.Combine(_directory.FullName, "dump.json.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(dump), System.IO.Compression.CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
        {
            writer.WriteLine("[");
            writer.WriteLine("""{"type":"item","id":"Q90","labels":{"en":{"value":"Paris"}},"descriptions":{"en":{"value":"capital of France"}},"claims":{"P31":[{"mainsnak":{"datavalue":{"value":{"id":"Q515"}}}}]},"sitelinks":{"enwiki":{"title":"Paris"}}},""");
            writer.WriteLine("""{"type":"item","id":"Q2","labels":{"de":{"value":"Erde"}}}""");
            writer.WriteLine("]");
        }

        var records = WikidataDumpReader.Read(dump).ToList();
        var tsv = Path.Combine(_directory.FullName, "kb_wikidata.tsv");
        using (var writer = new StreamWriter(tsv))
        {
            TsvKnowledgeBaseReader.Write(writer, records);
        }

        var kb = KnowledgeBaseLoader.Load(tsv, cacheDirectory: null).KnowledgeBase;
        Assert.Single(records);
        Assert.Equal(EntityType.Loc, kb.Types[kb.IndexOf("Q90")]);
        Assert.Equal("Q90", kb.Qids[kb.Candidates("paris")[0].Entity]);
    }
}
