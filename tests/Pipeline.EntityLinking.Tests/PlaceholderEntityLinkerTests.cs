using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.EntityLinking.Linking;
using Pipeline.Testing;

namespace Pipeline.EntityLinking.Tests;

public sealed class PlaceholderEntityLinkerTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Name_spans_are_found_with_exact_offsets_and_left_unlinked()
    {
        const string text = "The meeting between Xi Jinping and Joe Biden took place in San Francisco, the FBI said.";

        var payload = PlaceholderEntityLinker.Link(text);

        Assert.Equal(["Xi Jinping", "Joe Biden", "San Francisco", "FBI"], payload.Mentions.Select(m => m.Text));
        Assert.All(payload.Mentions, m => Assert.Equal(m.Text, text[m.Start..m.End]));
        Assert.All(payload.Mentions, m => Assert.Null(m.Qid));
        Assert.Empty(payload.EntityIds);
    }

    [Fact]
    public async Task Consumer_publishes_one_entities_enrichment_per_article()
    {
        await using var enricher = await EnricherHarness.StartAsync(s => s.AddSingleton<PlaceholderEntityLinker>(), EntityLinkingRegistration.AddEntityLinkingConsumers);
        var text = File.ReadAllText(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"));

        var enrichment = await enricher.EnrichAsync(EnricherHarness.Article(text), Cancel);

        Assert.Equal("entities", enrichment.EnricherName);
        Assert.Contains(enrichment.Read<EntitiesPayload>().Mentions, m => m.Text.Contains("Xi Jinping", StringComparison.Ordinal));
    }
}
