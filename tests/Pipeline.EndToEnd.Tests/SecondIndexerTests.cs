using Pipeline.Processes;
using Pipeline.SearchStore.Lucene;
using Pipeline.Testing;

namespace Pipeline.EndToEnd.Tests;

/// <summary>Two indexing processes against one embedded Lucene index: the second refuses to start, by name.</summary>
public sealed class SecondIndexerTests : IAsyncLifetime
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    readonly DirectoryInfo _index = Directory.CreateTempSubdirectory("pipeline-second-indexer-");
    RabbitMqNode _broker = null!;

    public async ValueTask InitializeAsync() => _broker = await RabbitMqNode.StartAsync(Cancel);

    [Fact]
    public async Task A_second_indexing_process_on_the_same_Lucene_index_exits_at_start_naming_the_replicas_setting()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = _broker.ConnectionString,
            ["SearchStore:LucenePath"] = _index.FullName,
        };
        await using var first = await ServiceProcess.StartAsync(RepositoryPaths.ServiceAssembly("Pipeline.Indexing"), settings, Cancel);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ServiceProcess.StartAsync(RepositoryPaths.ServiceAssembly("Pipeline.Indexing"), settings, Cancel));

        Assert.Contains("exited with code", refused.Message, StringComparison.Ordinal);
        Assert.Contains(LuceneArticleIndex.SingleWriterSetting, refused.Message, StringComparison.Ordinal);
        Assert.False(first.HasExited);
    }

    public async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        IndexDirectories.Delete(_index);
    }
}
