using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.Cli.Bench;

/// <summary>C2: a raw Lucene IndexWriter adding the final documents and committing once: the store's ceiling.</summary>
public static class RawStore
{
    public static TimeSpan Index(string path, IReadOnlyList<ArticleDocument> documents)
    {
        using var directory = FSDirectory.Open(path);
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new Lucene.Net.Analysis.En.EnglishAnalyzer(LuceneVersion.LUCENE_48))
        {
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 64,
        };
        var clock = Stopwatch.StartNew();
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var document in documents)
            {
                writer.AddDocument(LuceneFields.ToLucene(document));
            }

            writer.Commit();
        }

        return clock.Elapsed;
    }
}
