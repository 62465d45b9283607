using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.SearchStore.StoredArticles;

/// <summary>Reads the stored source of every live document in the last commit of the Lucene index, segment by segment.</summary>
public sealed class LuceneStoredArticles(string lucenePath) : IStoredArticleSource
{
    public async IAsyncEnumerable<ArticleDocument> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var directory = FSDirectory.Open(lucenePath);
        if (!DirectoryReader.IndexExists(directory))
        {
            yield break;
        }

        using var reader = DirectoryReader.Open(directory);
        foreach (var leaf in reader.Leaves)
        {
            var live = leaf.AtomicReader.LiveDocs;
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (live is null || live.Get(doc))
                {
                    yield return LuceneFields.FromLucene(leaf.AtomicReader.Document(doc));
                }
            }

            await Task.Yield();
        }
    }
}
