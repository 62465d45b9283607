using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<PlaceholderEntityLinker>();
        builder.Services.AddMassTransitTestHarness(EntityLinkingRegistration.AddEntityLinkingConsumers);
        using var host = builder.Build();
        await host.StartAsync(Cancel);
        var harness = host.Services.GetTestHarness();
        var text = File.ReadAllText(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt"));
        var article = new ArticleIngested
        {
            ArticleId = "a1",
            Title = "t",
            Text = text,
            ContentHash = ArticleIdentity.ContentHash(text),
            IngestedAt = DateTimeOffset.UtcNow,
        };

        await harness.Bus.Publish(article, Cancel);

        var enrichment = harness.Published.Select<ArticleEnriched>(Cancel).Single().Context.Message;
        Assert.Equal("entities", enrichment.EnricherName);
        Assert.Contains(enrichment.Read<EntitiesPayload>().Mentions, m => m.Text.Contains("Xi Jinping", StringComparison.Ordinal));
        await host.StopAsync(Cancel);
    }
}
