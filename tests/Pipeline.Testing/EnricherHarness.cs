using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;

namespace Pipeline.Testing;

/// <summary>An enricher service's real consumer registration over MassTransit's in-memory test harness.</summary>
public sealed class EnricherHarness : IAsyncDisposable
{
    readonly IHost _host;

    EnricherHarness(IHost host) => _host = host;

    public ITestHarness Harness => _host.Services.GetTestHarness();

    public static async Task<EnricherHarness> StartAsync(Action<IServiceCollection> services, Action<IBusRegistrationConfigurator> consumers)
    {
        var builder = Host.CreateApplicationBuilder();
        services(builder.Services);
        builder.Services.AddMassTransitTestHarness(consumers);
        var host = builder.Build();
        await host.StartAsync();
        return new EnricherHarness(host);
    }

    /// <summary>Publishes the article and returns the one enrichment the enricher published for it.</summary>
    public async Task<ArticleEnriched> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken)
    {
        await Harness.Bus.Publish(article, cancellationToken);
        return Harness.Published.Select<ArticleEnriched>(cancellationToken).Single(m => m.Context.Message.ArticleId == article.ArticleId).Context.Message;
    }

    /// <summary>
    /// The enrichments published so far, once there are at least <paramref name="expected"/> (or after 30 s): a batch
    /// consumer publishes when its batch is full or its time limit has passed.
    /// </summary>
    public async Task<IReadOnlyList<ArticleEnriched>> EnrichmentsAsync(int expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var published = Harness.Published.Select<ArticleEnriched>(cancellationToken).Select(m => m.Context.Message).ToList();
            if (published.Count >= expected || DateTime.UtcNow > deadline)
            {
                return published;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>An <see cref="ArticleIngested"/> of the given text, with its real hash.</summary>
    public static ArticleIngested Article(string text, string id = "a1") => new()
    {
        ArticleId = id,
        Title = "Test article",
        Text = text,
        ContentHash = ArticleIdentity.ContentHash(text),
        IngestedAt = DateTimeOffset.UtcNow,
    };

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
