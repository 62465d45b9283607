using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Contracts.Tests;

public sealed class EntityIdsTests
{
    [Theory]
    [InlineData("Q30", true, false)]
    [InlineData("Q15031", true, false)]
    [InlineData("nil:3f9a1c0b7d2e", false, true)]
    [InlineData("Q0", false, false)]
    [InlineData("Q030", false, false)]
    [InlineData("q30", false, false)]
    [InlineData("P31", false, false)]
    [InlineData("nil:", false, false)]
    [InlineData("nil:3f9a1c0b7d2", false, false)]
    [InlineData("nil:3f9a1c0b7d2e0", false, false)]
    [InlineData("nil:3F9A1C0B7D2E", false, false)]
    [InlineData("NIL:3f9a1c0b7d2e", false, false)]
    [InlineData("nil:3f9a1c0b7d2g", false, false)]
    [InlineData(" nil:3f9a1c0b7d2e", false, false)]
    [InlineData("", false, false)]
    [InlineData(null, false, false)]
    public void Only_qids_and_emerging_ids_of_the_exact_form_are_entity_ids(string? id, bool qid, bool emerging)
    {
        Assert.Equal(qid, EntityIds.IsQid(id));
        Assert.Equal(emerging, EntityIds.IsEmerging(id));
        Assert.Equal(qid || emerging, EntityIds.IsValid(id));
    }

    [Fact]
    public void Emerging_mentions_round_trip_with_in_kb_false_and_qids_with_true()
    {
        var payload = new EntitiesPayload
        {
            Linker = "test",
            EntityIds = ["Q6279", "nil:3f9a1c0b7d2e"],
            Mentions =
            [
                new EntityMention { Text = "Biden", Start = 0, End = 5, Type = "PER", Qid = "Q6279", InKb = true, Label = "Joe Biden", Confidence = 0.9 },
                new EntityMention { Text = "Volt Harbor Collective", Start = 10, End = 32, Type = "ORG", Qid = "nil:3f9a1c0b7d2e", InKb = false, Label = "Volt Harbor Collective", Confidence = 0.88 },
                new EntityMention { Text = "Smith", Start = 40, End = 45, Type = "PER", Confidence = 0.7 },
            ],
        };

        var json = JsonSerializer.Serialize(payload, EnrichmentPayloads.SerializerOptions);
        var back = JsonSerializer.Deserialize<EntitiesPayload>(json, EnrichmentPayloads.SerializerOptions)!;

        Assert.Contains("\"inKb\":false", json, StringComparison.Ordinal);
        Assert.Equal(payload.Mentions, back.Mentions);
        Assert.Equal([true, false, false], back.Mentions.Select(EntityIds.InKnowledgeBase));
    }

    [Fact]
    public void A_payload_written_before_emerging_entities_reads_its_qids_as_in_the_kb()
    {
        const string Old = """{"mentions":[{"text":"Biden","start":0,"end":5,"type":"PER","qid":"Q6279","label":"Joe Biden","confidence":0.9},{"text":"Smith","start":9,"end":14,"type":"PER","qid":null,"confidence":0.6}],"entityIds":["Q6279"],"linker":"wikidata-kb+ner+ranker"}""";

        var payload = JsonSerializer.Deserialize<EntitiesPayload>(Old, EnrichmentPayloads.SerializerOptions)!;

        Assert.Null(payload.Mentions[0].InKb);
        Assert.True(EntityIds.InKnowledgeBase(payload.Mentions[0]));
        Assert.False(EntityIds.InKnowledgeBase(payload.Mentions[1]));
        Assert.Equal(["Q6279"], payload.EntityIds);
    }
}
