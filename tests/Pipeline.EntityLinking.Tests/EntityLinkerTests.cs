using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;
using Pipeline.Testing;

namespace Pipeline.EntityLinking.Tests;

public sealed class EntityLinkerTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static EntitiesPayload LinkSample() =>
        SharedKnowledgeBase.Linker().Link(File.ReadAllText(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt")));

    [Theory]
    [InlineData("Xi Jinping", "Q15031")]
    [InlineData("Joe Biden", "Q6279")]
    [InlineData("CNN", "Q48340")]
    [InlineData("Wang Yi", "Q701801")]
    [InlineData("Jake Sullivan", "Q16730147")]
    [InlineData("FBI", "Q8333")]
    [InlineData("NSA", "Q121194")]
    [InlineData("Meta", "Q380")]
    [InlineData("Microsoft", "Q2283")]
    [InlineData("Beijing", "Q956")]
    [InlineData("China", "Q148")]
    public void Sample_article_names_are_linked_to_their_wikidata_entities(string name, string qid)
    {
        var payload = LinkSample();

        var mentions = payload.Mentions.Where(m => m.Text == name).ToList();
        Assert.NotEmpty(mentions);
        Assert.All(mentions, m => Assert.Equal(qid, m.Qid));
        Assert.Contains(qid, payload.EntityIds);
    }

    [Fact]
    public void Xi_alone_is_resolved_to_xi_jinping_by_coreference()
    {
        var payload = LinkSample();

        var xi = payload.Mentions.Where(m => m.Text == "Xi").ToList();
        Assert.Equal(2, xi.Count);
        Assert.All(xi, m => Assert.Equal("Q15031", m.Qid));
    }

    [Fact]
    public void Every_mention_carries_exact_offsets_a_type_and_a_confidence()
    {
        var text = File.ReadAllText(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"));

        var payload = SharedKnowledgeBase.Linker().Link(text);

        Assert.All(payload.Mentions, m => Assert.Equal(m.Text, text[m.Start..m.End]));
        Assert.All(payload.Mentions, m => Assert.Contains(m.Type, new[] { "PER", "ORG", "LOC", "MISC" }));
        Assert.All(payload.Mentions, m => Assert.InRange(m.Confidence, 0, 1));
        Assert.All(payload.Mentions.Where(m => m.Qid is not null), m => Assert.False(string.IsNullOrEmpty(m.Label)));
        Assert.Equal(payload.EntityIds.Distinct().Count(), payload.EntityIds.Count);
    }

    [Fact]
    public void Person_type_comes_from_the_knowledge_base()
    {
        var payload = LinkSample();

        Assert.Equal("PER", payload.Mentions.First(m => m.Text == "Jake Sullivan").Type);
        Assert.Equal("ORG", payload.Mentions.First(m => m.Text == "CNN").Type);
        Assert.Equal("LOC", payload.Mentions.First(m => m.Text == "Beijing").Type);
    }

    [Fact]
    public async Task Consumer_publishes_one_entities_enrichment_per_article()
    {
        var linker = new KnowledgeBaseEntityLinker(SharedKnowledgeBase.Linker());
        await using var enricher = await EnricherHarness.StartAsync(s => s.AddSingleton(linker), EntityLinkingRegistration.AddEntityLinkingConsumers);
        var text = File.ReadAllText(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"));

        var enrichment = await enricher.EnrichAsync(EnricherHarness.Article(text), Cancel);

        Assert.Equal("entities", enrichment.EnricherName);
        Assert.Contains("Q15031", enrichment.Read<EntitiesPayload>().EntityIds);
    }
}

public sealed class DescriptionCoherenceTests
{
    [Fact]
    public void A_description_naming_a_confident_entity_by_an_alias_wins_over_a_more_popular_namesake()
    {
        // "FRD" is the only form of the country in the text; the court's description names it "Freedonia", an alias
        // the text never uses, so only coherence through the alias can prefer the Freedonian court.
        var kb = EntityKnowledgeBase.Build(
        [
            new EntityRecord("Q1", "Republic of Freedonia", ["Freedonia", "FRD"], "country in Europe", null, EntityType.Loc, 0.9f, IsCountry: true),
            new EntityRecord("Q2", "High Court of Ruritania", ["High Court"], "court in Strelsau, Ruritania", null, EntityType.Org, 0.6f),
            new EntityRecord("Q3", "Supreme Tribunal", ["High Court"], "court in Fredville, Freedonia", null, EntityType.Org, 0.5f),
        ]);
        var linker = KnowledgeBaseEntityLinker.Create(kb);

        var payload = linker.Link("The FRD passed a new law last week. The High Court struck it down on Monday.");

        Assert.Equal("Q1", payload.Mentions.Single(m => m.Text == "FRD").Qid);
        Assert.Equal("Q3", payload.Mentions.Single(m => m.Text == "High Court").Qid);
    }
}

public sealed class SportsTeamTests
{
    [Theory]
    [InlineData("South Africa completed a good morning's work when Morne Morkel bowled England captain Andrew Strauss off the last ball.", "England", "Q1321565")]
    [InlineData("\"I know there's a business side of it,\" Cleveland manager Eric Wedge said.", "Cleveland", "Q642553")]
    [InlineData("In Seattle, Felix Hernandez pitched Seattle's first perfect game as the Mariners edged Tampa Bay.", "Seattle", "Q466586")]
    public void A_place_that_stands_for_its_team_is_linked_to_the_team_of_the_sentences_sport(string text, string place, string team)
    {
        var payload = SharedKnowledgeBase.Linker().Link(text);

        Assert.Equal(team, payload.Mentions.Last(m => m.Text == place).Qid);
    }

    [Theory]
    [InlineData("Boston manager Bobby Valentine said simply that Kelly was claimed by the Mets.", "Boston")]
    [InlineData("In Seattle, Washington, Felix Hernandez pitched a perfect game.", "Washington")]
    public void A_place_whose_team_the_sentence_does_not_single_out_is_not_linked_to_a_team(string text, string place)
    {
        // "manager" fits the Red Sox and Boston United F.C. alike; "Seattle, Washington" names where Seattle is.
        var payload = SharedKnowledgeBase.Linker().Link(text);

        var mention = payload.Mentions.Last(m => m.Text == place);
        Assert.True(mention.Qid is null || mention.Type == "LOC", $"{place} was linked to {mention.Qid} {mention.Label}");
    }
}
