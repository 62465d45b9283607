using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>
/// The export tests share one service and run one at a time: they watch its store's reads, and not beside the other
/// test classes either, so that the managed heap measured by the streaming test is the export's alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExportCollection : ICollectionFixture<ExportServiceFixture>
{
    public const string Name = "Exports";
}

/// <summary>
/// The search service's real registration on Kestrel (127.0.0.1) over a Lucene index of its own: more articles than
/// one export page (a seeded random corpus), hostile texts for CSV (a formula title, a claim with commas, quotes and a
/// line break), and <see cref="BulkCount"/> articles with long claims in outlet <see cref="BulkOutlet"/>, an export
/// far larger than any buffer. The store is wrapped in <see cref="ObservedArticleSearch"/>.
/// </summary>
public sealed class ExportServiceFixture : IAsyncLifetime
{
    public const string BulkOutlet = "bulk.example";
    public const int BulkCount = 800;
    public const int BulkClaims = 4;
    public const int BulkClaimLength = 10_000;

    /// <summary>
    /// The kernel's socket buffers of the service's connections (the accepted sockets inherit the listening socket's) and
    /// of <see cref="CreateSmallBufferClient"/>: Linux grows them to tens of megabytes otherwise, which would let an
    /// export run that far ahead of a client that has stopped reading.
    /// </summary>
    public const int SocketBufferBytes = 64 * 1024;

    public const string FormulaTitle = "=HYPERLINK(\"http://evil.example\",\"Click\")";
    public const string HostileClaim = "He said, \"this is \"\"fine\"\"\",\r\nthen left; really";
    public const string AccentTitle = "Élection à Zürich: «Ça va» — 選挙";

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-search-export-");
    LoopbackWebApp? _app;

    public List<CorpusArticle> Corpus { get; } = SearchCorpus.Random(230, seed: 11);

    public HttpClient Client => _app!.Client;

    public Uri BaseAddress => _app!.Client.BaseAddress!;

    public ObservedArticleSearch Store => _app!.Services.GetRequiredService<ObservedArticleSearch>();

    public HttpClient CreateClient(string? apiKey) => _app!.CreateClient(apiKey);

    /// <summary>A client with the read key whose sockets receive into at most <see cref="SocketBufferBytes"/> of kernel buffer.</summary>
    public HttpClient CreateSmallBufferClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = SocketBufferBytes };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Read);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        var hostile = SearchCorpus.Make(
            "hostile", FormulaTitle, "A text about the election.", SearchCorpus.T0.AddDays(1), [SearchCorpus.Entities[0]], [(ClaimTypes.Accusation, 0.9, ClaimAttribution.Anonymous)]);
        var claim = hostile.Claims[0];
        Corpus.Add(hostile with
        {
            Claims =
            [
                claim with { Text = HostileClaim },
                claim with { Text = "+1 percent, said @someone", CheckWorthiness = 0.4 },
                claim with { Text = "-cmd|' /C calc'!A0", CheckWorthiness = 0.2 },
            ],
        });
        Corpus.Add(SearchCorpus.Make(
            "accents", AccentTitle, "Un texte sur l'élection.", SearchCorpus.T0.AddDays(2), [SearchCorpus.Entities[10]], [(ClaimTypes.Quantitative, 0.7, ClaimAttribution.Document)], language: "fr"));

        using (var index = new LuceneArticleIndex(Options.Create(new SearchStoreOptions { LucenePath = _directory.FullName })))
        {
            foreach (var chunk in Corpus.Chunk(50))
            {
                Assert.Empty(await index.WriteAsync([.. chunk.SelectMany(a => a.Messages())], CancellationToken.None));
            }

            foreach (var chunk in Enumerable.Range(0, BulkCount).Select(Bulk).Chunk(50))
            {
                Assert.Empty(await index.WriteAsync([.. chunk.SelectMany(a => a.Messages())], CancellationToken.None));
            }
        }

        _app = await LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration["SearchStore:LucenePath"] = _directory.FullName;
                builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = endpoint =>
                {
                    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                    socket.SendBufferSize = SocketBufferBytes;
                    return socket;
                });
                builder.AddServiceDefaults();
                builder.AddSearch();
                builder.Services.AddSingleton(sp => new ObservedArticleSearch(sp.GetRequiredService<LuceneArticleSearch>()));
                builder.Services.AddSingleton<IArticleSearch>(sp => sp.GetRequiredService<ObservedArticleSearch>());
            },
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapSearch();
            });
    }

    /// <summary>A bulk article: a short text and <see cref="BulkClaims"/> claims of <see cref="BulkClaimLength"/> characters.</summary>
    static CorpusArticle Bulk(int i)
    {
        var article = SearchCorpus.Make($"bulk-{i:D4}", $"Bulk report {i}", "A long report.", SearchCorpus.T0.AddMinutes(-i), [], [], outlet: BulkOutlet);
        var filler = string.Concat(Enumerable.Repeat($"Bulk claim text of article {i}, ", BulkClaimLength / 20))[..BulkClaimLength];
        return article with
        {
            Claims = [.. Enumerable.Range(0, BulkClaims).Select(c => new TaggedClaim
            {
                Text = filler,
                Start = 0,
                End = 14,
                Type = ClaimTypes.Quantitative,
                CheckWorthiness = 0.5,
                EvidenceLevel = "asserted",
                Confidence = 0.8,
            })],
        };
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

/// <summary>The real store, counting the documents read and failing a search page on demand (a store outage mid-export).</summary>
public sealed class ObservedArticleSearch(IArticleSearch store) : IArticleSearch
{
    long _documentsRead;

    public long DocumentsRead => Interlocked.Read(ref _documentsRead);

    /// <summary>A search request this returns true for throws, as a store that has gone away would.</summary>
    public Func<SearchRequest, bool>? Fails { get; set; }

    public Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        Fails?.Invoke(request) == true ? throw new IOException("The store went away.") : store.SearchAsync(request, cancellationToken);

    public Task<ArticleDocument?> GetAsync(string articleId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _documentsRead);
        return store.GetAsync(articleId, cancellationToken);
    }

    public Task<IReadOnlyList<EntitySuggestion>> SuggestEntitiesAsync(string prefix, int size, CancellationToken cancellationToken) =>
        store.SuggestEntitiesAsync(prefix, size, cancellationToken);
}
