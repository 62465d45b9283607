using Pipeline.ClaimTagging.Tagging;
using Pipeline.Testing;

namespace Pipeline.ClaimTagging.Tests;

/// <summary>One offline tagger for a test class: loading the embedding model is the expensive part.</summary>
public sealed class OfflineTaggerFixture : IDisposable
{
    readonly Lazy<OwnedOfflineTagger> tagger = new(() => ClaimTaggers.CreateOffline());

    public OwnedOfflineTagger Owned => tagger.Value;

    public static string SampleText() =>
        File.ReadAllText(RepositoryPaths.RequireSharedFile("articles/sample-article-2024-01-30.txt")).ReplaceLineEndings("\n");

    public void Dispose()
    {
        if (tagger.IsValueCreated)
        {
            tagger.Value.Dispose();
        }
    }
}
