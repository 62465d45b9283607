using Pipeline.Embeddings;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.EntityLinking.Tests;

public sealed class EmbeddingContextSimilarityTests
{
    [Fact]
    public void Context_about_football_prefers_the_club_over_the_city()
    {
        using var embedder = new MiniLmEmbedder();
        var similarity = new EmbeddingContextSimilarity(embedder);
        const string text = "Chelsea won the match 2-1 after a late goal by their striker in the Premier League.";
        var document = similarity.ForDocument(text);

        var club = document.Similarity(0, 7, "Chelsea F.C.", "association football club in London, England");
        var town = document.Similarity(0, 7, "Chelsea", "city in Suffolk County, Massachusetts, United States");

        Assert.True(club > town, $"club {club:F3} should beat town {town:F3}");
    }
}
