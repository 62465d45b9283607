using Pipeline.Enrichers.FactCheckMatching.Matching;
using Pipeline.Testing;

namespace Pipeline.Enrichers.FactCheckMatching.Tests;

/// <summary>The real Snopes catalogue from ../shared/data, loaded once for the test run.</summary>
static class SnopesCatalog
{
    static readonly Lazy<FactCheckCatalog> Catalog = new(() => FactCheckCatalog.Load(Path));

    public static string Path => RepositoryPaths.RequireSharedFile("factchecks/snopes-vclaims.jsonl");

    public static FactCheckCatalog Load()
    {
        _ = Path; // skips the test when the data is absent
        return Catalog.Value;
    }
}
