using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Contracts.Tests;

public sealed class EnrichmentPayloadsTests
{
    static readonly ArticleIngested Article = new()
    {
        ArticleId = "a1",
        Title = "Title",
        Text = "Xi promised Biden.",
        ContentHash = ArticleIdentity.ContentHash("Xi promised Biden."),
        IngestedAt = DateTimeOffset.Parse("2024-01-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public void A_typed_payload_round_trips_through_the_enrichment_message()
    {
        var claims = new ClaimsPayload
        {
            Tagger = "test",
            Claims =
            [
                new TaggedClaim
                {
                    Text = "Xi promised Biden.", Start = 0, End = 18, Type = ClaimTypes.PromiseOrPolicy, CheckWorthiness = 0.9,
                    Attribution = new ClaimAttribution("CNN", "organisation"), EvidenceLevel = "reported", Confidence = 0.8,
                },
            ],
        };

        var message = EnrichmentPayloads.Create(ClaimsPayload.EnricherName, "1.2.0", Article, claims, Article.IngestedAt);
        var read = message.Read<ClaimsPayload>();

        Assert.Equal("claims", message.EnricherName);
        Assert.Equal(Article.ContentHash, message.TextHash);
        Assert.Equal(Article.ArticleId, message.ArticleId);
        Assert.Equal(claims.Claims[0], read.Claims[0]);
        Assert.Equal(ArticleEnriched.CurrentSchemaVersion, message.SchemaVersion);
    }

    [Fact]
    public void Whole_enrichment_message_survives_json_serialization_with_its_payload()
    {
        var entities = new EntitiesPayload
        {
            Linker = "test",
            EntityIds = ["Q15031"],
            Mentions = [new EntityMention { Text = "Xi", Start = 0, End = 2, Type = "PER", Qid = "Q15031", Confidence = 0.9 }],
        };
        var message = EnrichmentPayloads.Create(EntitiesPayload.EnricherName, "1", Article, entities, Article.IngestedAt);

        var json = JsonSerializer.Serialize(message);
        var back = JsonSerializer.Deserialize<ArticleEnriched>(json)!;

        Assert.Equal(["Q15031"], back.Read<EntitiesPayload>().EntityIds);
        Assert.Equal(message.ProducedAt, back.ProducedAt);
    }

    [Fact]
    public void Reading_a_payload_as_the_wrong_shape_fails_loudly()
    {
        var message = EnrichmentPayloads.Create("custom", "1", Article, new { claims = "not a list" }, Article.IngestedAt);
        Assert.ThrowsAny<JsonException>(() => message.Read<ClaimsPayload>());
    }
}
