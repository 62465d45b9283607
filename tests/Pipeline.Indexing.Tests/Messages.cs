using System.Globalization;
using Pipeline.Contracts;

namespace Pipeline.Indexing.Tests;

/// <summary>Builds realistic messages for one article.</summary>
static class Messages
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2024-01-30T10:00:00Z", CultureInfo.InvariantCulture);

    public static ArticleIngested Article(string id = "article-1", string text = "Xi Jinping promised Joe Biden that China would not interfere in the 2024 elections.", DateTimeOffset? ingestedAt = null) =>
        new()
        {
            ArticleId = id,
            CanonicalUrl = $"https://example.com/{id}",
            Source = "example.com",
            Title = "China promised not to interfere",
            Text = text,
            ContentHash = ArticleIdentity.ContentHash(text),
            IngestedAt = ingestedAt ?? T0,
            Language = "en",
            PublishedAt = T0.AddHours(-2),
        };

    public static ArticleEnriched Claims(ArticleIngested article, string version = "1.0.0", int claims = 1, DateTimeOffset? producedAt = null) =>
        EnrichmentPayloads.Create(
            ClaimsPayload.EnricherName,
            version,
            article,
            new ClaimsPayload
            {
                Tagger = "test-" + version,
                Claims = [.. Enumerable.Range(0, claims).Select(i => new TaggedClaim
                {
                    Text = article.Text, Start = 0, End = article.Text.Length, Type = ClaimTypes.PromiseOrPolicy,
                    CheckWorthiness = 0.9, EvidenceLevel = "reported", Confidence = 0.8,
                })],
            },
            producedAt ?? T0.AddSeconds(1));

    public static ArticleEnriched Entities(ArticleIngested article, string version = "1.0.0", params string[] qids) =>
        EnrichmentPayloads.Create(
            EntitiesPayload.EnricherName,
            version,
            article,
            new EntitiesPayload
            {
                Linker = "test",
                EntityIds = qids.Length == 0 ? ["Q15031", "Q6279"] : qids,
                Mentions = [new EntityMention { Text = "Xi Jinping", Start = 0, End = 10, Type = "PER", Qid = "Q15031", Confidence = 0.9 }],
            },
            T0.AddSeconds(2));
}
