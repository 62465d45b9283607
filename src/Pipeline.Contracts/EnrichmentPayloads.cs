using System.Text.Json;

namespace Pipeline.Contracts;

/// <summary>Creates and reads typed <see cref="ArticleEnriched"/> payloads with one shared JSON shape (camelCase).</summary>
public static class EnrichmentPayloads
{
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    public static ArticleEnriched Create<TPayload>(
        string enricherName,
        string enricherVersion,
        ArticleIngested article,
        TPayload payload,
        DateTimeOffset producedAt)
        where TPayload : class =>
        new()
        {
            EnricherName = enricherName,
            EnricherVersion = enricherVersion,
            ArticleId = article.ArticleId,
            TextHash = article.ContentHash,
            ProducedAt = producedAt,
            Payload = JsonSerializer.SerializeToElement(payload, SerializerOptions),
        };

    public static TPayload Read<TPayload>(this ArticleEnriched enrichment)
        where TPayload : class =>
        enrichment.Payload.Deserialize<TPayload>(SerializerOptions)
        ?? throw new JsonException($"The payload of enricher '{enrichment.EnricherName}' is null.");
}
