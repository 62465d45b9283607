using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.EntityLinking.Tests;

public sealed class EmergingEntityTests
{
    const string Article =
        "The Volt Harbor Collective, a group registered last month, paid hundreds of accounts to spread claims about " +
        "Joe Biden, officials in Washington said on Tuesday. The Volt Harbor Collective's spokesman did not answer.";

    static readonly EntityRecord[] Known =
    [
        new("Q6279", "Joe Biden", ["Biden"], "president of the United States", "Joe Biden", EntityType.Per, 0.95f),
        new("Q61", "Washington, D.C.", ["Washington"], "capital city of the United States", "Washington, D.C.", EntityType.Loc, 0.9f),
    ];

    static readonly EntityRecord VoltHarbor = new("Q987654321", "Volt Harbor Collective", [], "advocacy group", null, EntityType.Org, 0.5f);

    static EntityLinker Linker(EntityKnowledgeBase kb, double minConfidence = EntityLinkingOptions.DefaultMinEmergingConfidence) =>
        KnowledgeBaseEntityLinker.Create(kb, emerging: new EmergingEntities(minConfidence));

    [Fact]
    public void The_id_is_nil_and_twelve_hex_digits_of_the_sha256_of_type_and_normalised_name()
    {
        // Frozen: the same name must get this id in every process and every release (indexed articles keep it).
        Assert.Equal("nil:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("ORG\u001fvolt harbor collective"u8))[..12], EmergingEntityIds.For("Volt Harbor Collective", EntityType.Org));
        Assert.True(EntityIds.IsEmerging(EmergingEntityIds.For("Volt Harbor Collective", EntityType.Org)));
    }

    [Theory]
    [InlineData("volt harbor collective")]
    [InlineData("VOLT HARBOR COLLECTIVE")]
    [InlineData("The Volt Harbor Collective")]
    [InlineData("the  Volt\tHarbor\u00A0Collective")]
    [InlineData("Volt Harbor Collective's")]
    [InlineData("Volt Harbor Collective\u2019s")]
    [InlineData("\u201CVolt Harbor Collective\u201D")]
    [InlineData("\"Volt Harbor Collective,\"")]
    [InlineData("(Volt Harbor Collective)")]
    [InlineData("V\u00F3lt H\u00E1rbor Collective")]
    [InlineData("Volt\u200B Harbor Collective")]
    [InlineData("\uFF36olt Harbor Collective")]
    public void Variants_of_one_name_fold_to_one_id(string variant) =>
        Assert.Equal(EmergingEntityIds.For("Volt Harbor Collective", EntityType.Org), EmergingEntityIds.For(variant, EntityType.Org));

    [Theory]
    [InlineData("Volt Harbor Collectives")]
    [InlineData("Harbor Volt Collective")]
    [InlineData("Volt-Harbor Collective")]
    [InlineData("Volt Harbor")]
    public void Other_spellings_plurals_and_word_orders_are_other_ids(string other) =>
        Assert.NotEqual(EmergingEntityIds.For("Volt Harbor Collective", EntityType.Org), EmergingEntityIds.For(other, EntityType.Org));

    [Fact]
    public void One_name_of_two_types_is_two_ids()
    {
        Assert.NotEqual(EmergingEntityIds.For("Jordan", EntityType.Per), EmergingEntityIds.For("Jordan", EntityType.Loc));
        Assert.Equal(EmergingEntityIds.For("Marek", EntityType.Unknown), EmergingEntityIds.For("Marek", EntityType.Misc));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"\u201C()\u201D\"")]
    [InlineData("2024")]
    [InlineData("\u200B\u202E\u200D")]
    public void A_name_without_a_letter_has_no_id(string name) => Assert.Null(EmergingEntityIds.For(name, EntityType.Org));

    [Theory]
    [InlineData("Foo\uD800 Bar")]
    [InlineData("\u202EFoo Bar")]
    [InlineData("Foo\u0000Bar\u001F")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("nil:0123456789ab")]
    [InlineData("Q30")]
    [InlineData("\uD83D\uDE00 Smile Network")]
    public void Hostile_names_get_a_well_formed_id_or_none(string name)
    {
        var id = EmergingEntityIds.For(name, EntityType.Misc);

        Assert.True(id is null || EntityIds.IsEmerging(id), id);
        Assert.Equal(id, EmergingEntityIds.For(name, EntityType.Misc));
    }

    [Fact]
    public void A_very_long_name_still_hashes_to_twelve_digits()
    {
        var id = EmergingEntityIds.For(string.Concat(Enumerable.Repeat("Harbor ", 20_000)), EntityType.Org);

        Assert.True(EntityIds.IsEmerging(id));
    }

    [Fact]
    public void Display_name_keeps_case_and_diacritics_and_drops_what_the_id_ignores() =>
        Assert.Equal("Vólt Harbor Collective", EmergingEntityIds.DisplayName("\u201CThe  Vólt Harbor Collective\u2019s\u201D"));

    [Fact]
    public void A_confident_name_the_kb_lacks_gets_one_nil_id_in_every_mention_and_the_payload()
    {
        var payload = Linker(EntityKnowledgeBase.Build(Known)).Link(Article);

        var volt = payload.Mentions.Where(m => m.Text.Contains("Volt", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, volt.Count);
        var id = volt[0].Qid;
        Assert.Equal(EmergingEntityIds.For("Volt Harbor Collective", EntityTypes.Parse(volt[0].Type)), id);
        Assert.All(volt, m => Assert.Equal((id, volt[0].Type), (m.Qid, m.Type)));
        Assert.All(volt, m => Assert.False(m.InKb));
        Assert.All(volt, m => Assert.Equal("Volt Harbor Collective", m.Label));
        Assert.InRange(volt.Max(m => m.Confidence), EntityLinkingOptions.DefaultMinEmergingConfidence, 1);
        Assert.Contains(id, payload.EntityIds);
        Assert.Equal(payload.EntityIds.Distinct().Count(), payload.EntityIds.Count);
        Assert.All(payload.Mentions.Where(m => EntityIds.IsQid(m.Qid)), m => Assert.True(m.InKb));
    }

    [Fact]
    public void The_same_name_in_another_article_and_another_linker_gets_the_same_id()
    {
        var first = Linker(EntityKnowledgeBase.Build(Known)).Link(Article);
        var second = Linker(EntityKnowledgeBase.Build(Known.Take(1))).Link(Article.Replace("Tuesday", "Monday", StringComparison.Ordinal));

        Assert.Equal(
            first.Mentions.First(m => m.Text.Contains("Volt", StringComparison.Ordinal)).Qid,
            second.Mentions.First(m => m.Text.Contains("Volt", StringComparison.Ordinal)).Qid);
    }

    [Fact]
    public void Below_the_threshold_or_without_emerging_entities_an_unknown_name_stays_nil()
    {
        var kb = EntityKnowledgeBase.Build(Known);

        foreach (var linker in new[] { Linker(kb, minConfidence: 1), KnowledgeBaseEntityLinker.Create(kb) })
        {
            var payload = linker.Link(Article);

            Assert.All(payload.Mentions.Where(m => m.Text.Contains("Volt", StringComparison.Ordinal)), m => Assert.Null(m.Qid));
            Assert.DoesNotContain(payload.EntityIds, EntityIds.IsEmerging);
        }
    }

    [Fact]
    public void A_single_common_word_gets_no_id_even_when_tagged()
    {
        var document = new LinkingDocument("The Court said the court would rule. The Harbor Network said so, and so did harbor.");
        UnlinkedName Name(int first, int last, float? confidence = 0.99f) => new(first, last, EntityType.Org, confidence);

        var found = new EmergingEntities(0.8).Identify(document, [Name(1, 1), Name(3, 3), Name(4, 4), Name(9, 10)]);

        Assert.Null(found[0]); // "Court", also written "court"
        Assert.Null(found[1]); // "the"
        Assert.Null(found[2]); // "court"
        Assert.Equal(EmergingEntityIds.For("Harbor Network", EntityType.Org), found[3]?.Id);
        Assert.Null(new EmergingEntities(0.8).Identify(document, [Name(9, 10, 0.5f)])[0]);
        Assert.Null(new EmergingEntities(0).Identify(document, [Name(9, 10, null)])[0]);
    }

    [Fact]
    public void One_name_in_one_document_is_one_entity_typed_by_its_most_confident_mention()
    {
        var document = new LinkingDocument("Harbor Network paid for it. Critics of Harbor Network's ads and the harbor network said so.");

        var found = new EmergingEntities(0.8).Identify(document, [new(0, 1, EntityType.Org, 0.9f), new(8, 9, EntityType.Loc, 0.6f)]);

        Assert.Equal(EmergingEntityIds.For("Harbor Network", EntityType.Org), found[0]?.Id);
        Assert.Equal(found[0]?.Id, found[1]?.Id);
        Assert.Equal(EntityType.Org, found[1]?.Type);
        Assert.Equal(0.6f, found[1]?.Confidence);
    }

    [Fact]
    public void Once_a_rebuilt_kb_knows_the_name_the_same_text_links_to_its_qid_instead()
    {
        var before = Linker(EntityKnowledgeBase.Build(Known)).Link(Article);
        var after = Linker(EntityKnowledgeBase.Build([.. Known, VoltHarbor])).Link(Article);

        var nil = before.Mentions.First(m => m.Text.Contains("Volt", StringComparison.Ordinal)).Qid!;
        Assert.True(EntityIds.IsEmerging(nil));
        Assert.Contains(nil, before.EntityIds);
        Assert.DoesNotContain(nil, after.EntityIds);
        Assert.Contains("Q987654321", after.EntityIds);
        Assert.All(after.Mentions.Where(m => m.Text.Contains("Volt", StringComparison.Ordinal)), m => Assert.Equal(("Q987654321", (bool?)true), (m.Qid, m.InKb)));
    }

    [Fact]
    public async Task An_emerging_threshold_outside_zero_to_one_stops_the_start_naming_the_key()
    {
        var kb = Directory.CreateTempSubdirectory("el-options-");
        try
        {
            File.WriteAllText(Path.Combine(kb.FullName, "kb.tsv"), "qid\tlabel\nQ1\tUniverse\n");
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection([new("EntityLinking:KnowledgeBasePath", kb.FullName), new("EntityLinking:MinEmergingConfidence", "1.5")]);
            builder.Services.AddEntityLinker();
            using var host = builder.Build();

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains("MinEmergingConfidence", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            kb.Delete(recursive: true);
        }
    }
}
