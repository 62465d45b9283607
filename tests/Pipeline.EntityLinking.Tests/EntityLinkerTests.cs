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

    [Fact]
    public void Daily_in_the_name_of_the_Daily_Caller_News_Foundation_is_not_linked_on_its_own()
    {
        var payload = LinkSample();

        Assert.DoesNotContain(payload.Mentions, m => m.Text == "Daily" && m.Qid is not null);
    }

    [Fact]
    public void A_person_the_knowledge_base_lacks_is_reported_as_an_unlinked_person()
    {
        var payload = SharedKnowledgeBase.Linker().Link("Zorblat Quenting, a spokesman for the ministry, said on Tuesday that the talks would resume.");

        var unknown = Assert.Single(payload.Mentions, m => m.Text == "Zorblat Quenting");
        Assert.Null(unknown.Qid);
        Assert.Equal("PER", unknown.Type);
        Assert.DoesNotContain(payload.Mentions, m => m.Text == "Tuesday" && m.Qid is not null);
    }
}
