using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>
/// The search service's real registration (with the service defaults and health endpoints, as Program.cs) on Kestrel
/// (127.0.0.1, free port) over a Lucene index written by the indexer's store: a seeded random corpus plus hand-made
/// articles, kept for brute-force expectations.
/// </summary>
public sealed class SearchServiceFixture : IAsyncLifetime
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-search-service-");
    LoopbackWebApp? _app;

    public List<CorpusArticle> Corpus { get; } = SearchCorpus.Random(80, seed: 5);

    /// <summary>The fact-check status and matched fact-check id of the random articles that have a fact-check enrichment.</summary>
    public Dictionary<string, (string Status, string? Id)> FactChecks { get; } = [];

    public HttpClient Client => _app!.Client;

    public Uri BaseAddress => _app!.Client.BaseAddress!;

    /// <summary>A client sending <paramref name="apiKey"/> (none when null), where <see cref="Client"/> sends the admin key.</summary>
    public HttpClient CreateClient(string? apiKey) => _app!.CreateClient(apiKey);

    public async ValueTask InitializeAsync()
    {
        Corpus.Add(SearchCorpus.Make(
            "xi-promise", "China promised not to interfere in the election", "Chinese President Xi Jinping told Joe Biden that China would not interfere.",
            SearchCorpus.T0, [SearchCorpus.Entities[3], SearchCorpus.Entities[2], SearchCorpus.Entities[0]],
            [(ClaimTypes.PromiseOrPolicy, 0.92, ClaimAttribution.NamedPerson), (ClaimTypes.Accusation, 0.81, ClaimAttribution.Anonymous), (ClaimTypes.EventOrAction, 0.3, null)]));
        Corpus.Add(SearchCorpus.Make(
            "volt-harbor", "A new group paid for the ads", "A group registered last month paid hundreds of accounts to spread the claim.",
            SearchCorpus.T0, [SearchCorpus.VoltHarbor, SearchCorpus.Entities[2]], [(ClaimTypes.Accusation, 0.88, ClaimAttribution.Anonymous)]));
        using var index = new LuceneArticleIndex(Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName }));
        foreach (var chunk in Corpus.Chunk(30))
        {
            Assert.Empty(await index.WriteAsync([.. chunk.SelectMany(a => a.Messages())], CancellationToken.None));
        }

        // Every third random article matched a fact-check (one of two), every third other one matched none.
        var factChecks = new List<IArticleMessage>();
        for (var i = 0; i < 80; i++)
        {
            var article = Corpus[i].Article;
            if (i % 3 == 2)
            {
                continue;
            }

            var (status, id) = i % 3 == 0 ? ("matched", $"fc-{i % 2}") : ("no-match", (string?)null);
            FactChecks[article.ArticleId] = (status, id);
            factChecks.Add(id is null ? SearchBehaviourSuite.FactChecks(article, status) : SearchBehaviourSuite.FactChecks(article, status, (id, "A checked claim", "False")));
        }

        Assert.Empty(await index.WriteAsync(factChecks, CancellationToken.None));

        _app = await LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration["SearchStore:LucenePath"] = _directory.FullName;
                builder.AddServiceDefaults();
                builder.AddSearch();
            },
            app =>
            {
                // As Program.cs: the health endpoints beside the API.
                app.MapDefaultEndpoints();
                app.MapSearch();
            });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        IndexDirectories.Delete(_directory);
    }
}
