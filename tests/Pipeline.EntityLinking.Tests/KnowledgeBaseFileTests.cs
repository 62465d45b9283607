using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Tests;

/// <summary>The compiled KB file: the compiler's merging and derived forms, priority merging of several files, damaged files, concurrency.</summary>
public sealed class KnowledgeBaseFileTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("el-kbfile-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    static EntityRecord Entity(string qid, string label, EntityType type, float popularity, string description = "", bool country = false, params string[] aliases) =>
        new(qid, label, aliases, description, null, type, popularity, country);

    static readonly EntityRecord[] Records =
    [
        Entity("Q1", "Federal Bureau of Investigation", EntityType.Org, 0.6f, "", false, "FBI"),
        Entity("Q2", "United States", EntityType.Loc, 0.9f, "country", true, "U.S.", "US"),
        Entity("Q3", "United States Congress", EntityType.Org, 0.7f, "legislature"),
        Entity("Q4", "George Walker Bush", EntityType.Per, 0.7f, "president"),
        Entity("Q5", "American Civil Liberties Union", EntityType.Org, 0.5f, "organisation"),
        Entity("Q6", "Washington", EntityType.Loc, 0.5f, "state"),
        Entity("Q7", "George Washington", EntityType.Per, 0.6f, "president"),
        Entity("Q8", "CNN", EntityType.Loc, 0.4f, "news channel"),
        Entity("Q9", "Smith", EntityType.Unknown, 0.3f, "family name"),
        Entity("Q1", "", EntityType.Unknown, 0.8f, "US federal agency", false, "The Bureau"),
    ];

    string Compile(IEnumerable<EntityRecord> records, string name, int chunkEntries = 1_000_000, IReadOnlyDictionary<string, EntityType>? fixes = null)
    {
        var path = Path.Combine(_directory.FullName, name);
        using var compiler = new KnowledgeBaseCompiler(path, new KnowledgeBaseCompilerOptions { ChunkEntries = chunkEntries });
        foreach (var record in records)
        {
            compiler.Add(record);
        }

        foreach (var (qid, type) in fixes ?? new Dictionary<string, EntityType> { ["Q8"] = EntityType.Org })
        {
            compiler.AddTypeFix(qid, type);
        }

        compiler.Complete();
        return path;
    }

    static double Weight(float popularity, bool label, bool derived) => Math.Pow(popularity, 4) * (label ? 1.5 : 1.0) * (derived ? 0.5 : 1.0);

    [Fact]
    public void Compiling_merges_duplicate_qids_applies_type_fixes_and_derives_forms()
    {
        using var kb = EntityKnowledgeBase.Open(Compile(Records, "small.kb"));

        Assert.Equal(9, kb.Count);
        var fbi = kb.IndexOf("Q1");
        Assert.Equal(("Federal Bureau of Investigation", "US federal agency", EntityType.Org, 0.8f), (kb.Labels[fbi], kb.Descriptions[fbi], kb.Types[fbi], kb.Popularity[fbi]));
        Assert.Equal([new AliasCandidate(fbi, 1f, AliasFlags.UpperCase)], kb.Candidates("fbi").ToArray());
        Assert.Equal(fbi, kb.Candidates("bureau")[0].Entity); // "The Bureau", from the second record
        Assert.Equal(EntityType.Org, kb.Types[kb.IndexOf("Q8")]); // type fix

        // Two-letter aliases only when they are the initials of a name; "U.S." and "US" are both upper case.
        Assert.Equal([new AliasCandidate(kb.IndexOf("Q2"), 1f, AliasFlags.UpperCase)], kb.Candidates("us").ToArray());

        // Derived: a country-qualified name with another name of the country, family and short names, initials.
        Assert.Contains(new AliasCandidate(kb.IndexOf("Q3"), 1f, AliasFlags.Derived), kb.Candidates("us congress").ToArray());
        Assert.Equal([new AliasCandidate(kb.IndexOf("Q4"), 1f, AliasFlags.ShortName)], kb.Candidates("george bush").ToArray());
        Assert.Equal([new AliasCandidate(kb.IndexOf("Q5"), 1f, AliasFlags.Initials | AliasFlags.UpperCase)], kb.Candidates("aclu").ToArray());

        // The state by its label, the president by his family name; priors from popularity^4 x label x derived weight.
        var state = Weight(0.5f, label: true, derived: false);
        var president = Weight(0.6f, label: false, derived: true);
        var washington = kb.Candidates("washington").ToArray();
        Assert.Equal([kb.IndexOf("Q6"), kb.IndexOf("Q7")], washington.Select(c => c.Entity));
        Assert.Equal([AliasFlags.Label, AliasFlags.FamilyName], washington.Select(c => c.Flags));
        Assert.Equal(state / (state + president), washington[0].Prior, 5);
        Assert.Equal(president / (state + president), washington[1].Prior, 5);

        // A family-name item is kept for lookups by QID but is never a candidate.
        Assert.True(kb.Contains("Q9"));
        Assert.True(kb.Candidates("smith").IsEmpty);
        Assert.Equal(-1, kb.IndexOf("Q404"));
        Assert.Equal(4, kb.MaxAliasTokens);
    }

    [Fact]
    public void A_tiny_sort_chunk_writes_the_same_file_as_one_run()
    {
        var many = Records.Concat(Enumerable.Range(100, 300).Select(i => Entity($"Q{i}", $"Person Number{i % 37} Smith{i % 11}", EntityType.Per, (i % 10) / 10f, "person")));

        var oneRun = Compile(many, "one.kb");
        var runs = Path.Combine(_directory.FullName, "runs.kb");
        KnowledgeBaseCompileResult result;
        using (var compiler = new KnowledgeBaseCompiler(runs, new KnowledgeBaseCompilerOptions { ChunkEntries = 7 }))
        {
            foreach (var record in many)
            {
                compiler.Add(record);
            }

            compiler.AddTypeFix("Q8", EntityType.Org);
            result = compiler.Complete();
        }

        Assert.True(result.SortRuns > 10, $"{result.SortRuns} runs");
        Assert.Equal(File.ReadAllBytes(oneRun), File.ReadAllBytes(runs));
        Assert.Empty(_directory.GetDirectories()); // the compiler's temporary files are gone
    }

    [Fact]
    public void Several_kbs_merge_by_priority_with_priors_renormalised()
    {
        var first = Compile([Entity("Q90", "Paris", EntityType.Loc, 0.9f, "capital of France")], "first.kb");
        var second = Compile(
            [Entity("Q90", "Paris", EntityType.Misc, 0.9f, "a duplicate"), Entity("Q830149", "Paris", EntityType.Loc, 0.3f, "city in Texas"), Entity("Q5", "Lyon", EntityType.Loc, 0.5f, "city")],
            "second.kb");

        using var kb = EntityKnowledgeBase.Open(first, second);

        Assert.Equal(4, kb.Count);
        var paris = kb.Candidates("paris").ToArray();
        Assert.Equal(["Q90", "Q830149"], paris.Select(c => kb.Qids[c.Entity]));
        Assert.Equal(0, paris[0].Entity); // the first file's entity: its description and type win
        Assert.Equal(("capital of France", EntityType.Loc), (kb.Descriptions[paris[0].Entity], kb.Types[paris[0].Entity]));
        var capital = Weight(0.9f, label: true, derived: false);
        var texas = Weight(0.3f, label: true, derived: false);
        Assert.Equal(capital / (capital + texas), paris[0].Prior, 5);
        Assert.Equal(texas / (capital + texas), paris[1].Prior, 5);
        Assert.Equal(0, kb.IndexOf("Q90"));
        Assert.Equal("Lyon", kb.Labels[kb.IndexOf("Q5")]);
        Assert.Equal(kb.IndexOf("Q5"), kb.Candidates("lyon")[0].Entity);
        Assert.Equal(2, kb.Files.Count);

        using var alone = EntityKnowledgeBase.Open(second);
        Assert.Equal(["Q90", "Q830149"], alone.Candidates("paris").ToArray().Select(c => alone.Qids[c.Entity]));
    }

    [Fact]
    public void A_truncated_damaged_or_foreign_file_is_refused_naming_it()
    {
        var good = Compile(Records, "good.kb");
        var truncated = Path.Combine(_directory.FullName, "truncated.kb");
        File.WriteAllBytes(truncated, File.ReadAllBytes(good)[..^100]);
        var damaged = Path.Combine(_directory.FullName, "damaged.kb");
        var bytes = File.ReadAllBytes(good);
        bytes[20] ^= 0xFF; // inside the header: the alias key count
        File.WriteAllBytes(damaged, bytes);
        var foreign = Path.Combine(_directory.FullName, "foreign.kb");
        File.WriteAllText(foreign, new string('x', 10_000));
        var tiny = Path.Combine(_directory.FullName, "tiny.kb");
        File.WriteAllText(tiny, "PLINEKB1");

        foreach (var path in new[] { truncated, damaged, foreign, tiny })
        {
            var error = Assert.Throws<InvalidDataException>(() => EntityKnowledgeBase.Open(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            var load = Assert.Throws<InvalidDataException>(() => KnowledgeBaseLoader.Load(path, cacheDirectory: null));
            Assert.Contains(path, load.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_damaged_cached_file_is_compiled_again_from_its_sources()
    {
        var tsv = Path.Combine(_directory.FullName, "kb.tsv");
        File.WriteAllText(tsv, "qid\tlabel\taliases\tdescription\tenwiki_title\tcoarse_type\tpopularity\nQ90\tParis\t\tcapital of France\t\tLOC\t10\n");
        var cache = Path.Combine(_directory.FullName, "cache");
        using (var first = KnowledgeBaseLoader.Load(tsv, cache).KnowledgeBase)
        {
            Assert.Equal("Q90", first.Qids[first.Candidates("paris")[0].Entity]);
        }

        var cached = Assert.Single(Directory.GetFiles(cache, "*.kb"));
        File.WriteAllBytes(cached, File.ReadAllBytes(cached)[..^64]);

        var reloaded = KnowledgeBaseLoader.Load(tsv, cache);
        using var kb = reloaded.KnowledgeBase;
        Assert.False(reloaded.FromCache);
        Assert.Equal("Q90", kb.Qids[kb.Candidates("paris")[0].Entity]);
    }

    [Fact]
    public void Concurrent_readers_see_the_same_entities_and_candidates()
    {
        using var kb = EntityKnowledgeBase.Open(Compile(Records, "shared.kb"));
        string[] keys = ["fbi", "washington", "us", "george bush", "aclu", "nothing here", "us congress"];
        var expected = keys.Select(k => string.Join(";", kb.Candidates(k).ToArray().Select(c => $"{kb.Qids[c.Entity]}:{kb.Labels[c.Entity]}:{c.Prior}:{c.Flags}"))).ToArray();

        var mismatches = 0;
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var k = (i + worker) % keys.Length;
                var seen = string.Join(";", kb.Candidates(keys[k].AsSpan()).ToArray().Select(c => $"{kb.Qids[c.Entity]}:{kb.Labels[c.Entity]}:{c.Prior}:{c.Flags}"));
                if (seen != expected[k])
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void The_bundled_kb_gives_the_known_candidates()
    {
        var kb = SharedKnowledgeBase.Require();
        string Top(string key) => kb.Qids[kb.Candidates(key)[0].Entity];
        AliasCandidate Of(string key, string qid) => kb.Candidates(key).ToArray().Single(c => kb.Qids[c.Entity] == qid);

        Assert.Contains("Q90", kb.Candidates("paris").ToArray().Select(c => kb.Qids[c.Entity]));
        Assert.Equal(AliasFlags.Label, Of("paris", "Q90").Flags);
        Assert.Equal(["Q1223", "Q61", "Q3108980"], kb.Candidates("washington")[..3].ToArray().Select(c => kb.Qids[c.Entity]));
        Assert.Equal(AliasFlags.FamilyName, Of("washington", "Q3108980").Flags);
        Assert.Equal("Q21637", Top("aclu"));
        Assert.Equal("Q30", Top("us"));
        Assert.Equal(("Q76", AliasFlags.None), (Top("obama"), kb.Candidates("obama")[0].Flags));
        Assert.Equal(("Q567", AliasFlags.FamilyName), (Top("merkel"), kb.Candidates("merkel")[0].Flags));
        Assert.Equal(AliasFlags.Derived, Of("securities and exchange commission", "Q953944").Flags);
        Assert.Equal(["Q207", "Q23505"], kb.Candidates("george bush").ToArray().Select(c => kb.Qids[c.Entity]));
        Assert.InRange(kb.Candidates("washington").ToArray().Sum(c => c.Prior), 0.99f, 1.01f);
        Assert.Equal(312_680, kb.Count);
        Assert.Equal(621_221, kb.AliasCount);
    }
}
