using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Tests;

public sealed class DocumentMergeTests
{
    static string Canonical(ArticleDocument document) => JsonSerializer.Serialize(document);

    static ArticleDocument Fold(IEnumerable<IArticleMessage> messages, int perWrite = 1)
    {
        ArticleDocument? document = null;
        foreach (var chunk in messages.Chunk(perWrite))
        {
            document = DocumentMerge.Apply(document, "article-1", chunk);
        }

        return document!;
    }

    [Fact]
    public void Enrichment_arriving_before_its_article_is_merged_when_the_article_lands()
    {
        var article = Messages.Article();
        var inOrder = Fold([article, Messages.Claims(article), Messages.Entities(article)]);
        var enrichmentsFirst = Fold([Messages.Claims(article), Messages.Entities(article), article]);

        Assert.Equal(Canonical(inOrder), Canonical(enrichmentsFirst));
        Assert.Equal(["claims", "entities"], enrichmentsFirst.CurrentEnrichers);
    }

    [Fact]
    public void Every_order_and_every_batching_of_the_same_messages_gives_the_same_document()
    {
        var article = Messages.Article();
        IArticleMessage[] messages = [article, Messages.Claims(article, "1.0.0"), Messages.Claims(article, "1.1.0"), Messages.Entities(article)];
        var expected = Canonical(Fold(messages));

        foreach (var permutation in Permutations(messages))
        {
            Assert.Equal(expected, Canonical(Fold(permutation)));
            Assert.Equal(expected, Canonical(Fold(permutation, perWrite: 2)));
        }
    }

    [Fact]
    public void Older_enricher_version_arriving_after_a_newer_one_does_not_replace_it()
    {
        var article = Messages.Article();
        var document = Fold([article, Messages.Claims(article, "1.10.0", claims: 3), Messages.Claims(article, "1.9.0", claims: 1, producedAt: Messages.T0.AddHours(1))]);

        Assert.Equal("1.10.0", document.Enrichments["claims"].EnricherVersion);
        Assert.Equal(3, document.Enrichments["claims"].Payload.Deserialize<ClaimsPayload>(EnrichmentPayloads.SerializerOptions)!.Claims.Count);
    }

    [Fact]
    public void Redelivered_messages_leave_the_document_unchanged()
    {
        var article = Messages.Article();
        var once = Fold([article, Messages.Claims(article)]);
        var twice = DocumentMerge.Apply(once, "article-1", [article, Messages.Claims(article), article]);

        Assert.Equal(Canonical(once), Canonical(twice));
    }

    [Fact]
    public void Re_ingested_article_with_new_text_makes_older_enrichments_stale()
    {
        var first = Messages.Article(text: "First version.");
        var corrected = Messages.Article(text: "Corrected version.", ingestedAt: Messages.T0.AddHours(1));

        var document = Fold([first, Messages.Claims(first), corrected]);

        Assert.Equal(corrected.ContentHash, document.Article!.ContentHash);
        Assert.Empty(document.CurrentEnrichers);
    }

    [Fact]
    public void A_message_for_another_article_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DocumentMerge.Apply(null, "article-1", [Messages.Article("article-2")]));
    }

    [Fact]
    public void A_message_type_the_merge_does_not_know_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => DocumentMerge.Apply(null, "article-1", [new StrangerMessage("article-1")]));
        Assert.Contains(nameof(StrangerMessage), error.Message, StringComparison.Ordinal);
    }

    sealed record StrangerMessage(string ArticleId) : IArticleMessage;

    [Theory]
    [InlineData("1.10.0", "1.9.0", 1)]
    [InlineData("2.0", "10.0", -1)]
    [InlineData("1.0.0", "1.0.0", 0)]
    [InlineData("b-model", "a-model", 1)]
    public void Versions_compare_numerically_when_they_can(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(DocumentMerge.CompareVersions(a, b)));
    }

    static IEnumerable<IArticleMessage[]> Permutations(IArticleMessage[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
            {
                yield return [items[i], .. rest];
            }
        }
    }
}
