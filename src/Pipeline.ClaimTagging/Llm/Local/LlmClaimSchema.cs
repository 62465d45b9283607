using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Llm.Local;

/// <summary>
/// The JSON schema of <see cref="LlmClaimList"/> as the local model's grammar enforces it: the record's own schema
/// (property names and types from the record), tightened with what the tagger validates anyway: the taxonomy's claim
/// types, attribution kinds and evidence levels as enums, scores between 0 and 1, and bounded lengths.
/// </summary>
public static class LlmClaimSchema
{
    /// <summary>The longest attribution source the grammar lets a model write.</summary>
    public const int MaxSourceCharacters = 100;

    public static JsonObject Build(int maxClaims, int maxClaimCharacters)
    {
        var options = new JsonSerializerOptions(JsonSerializerOptions.Default) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        var schema = (JsonObject)options.GetJsonSchemaAsNode(typeof(LlmClaimList), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var claims = (JsonObject)schema["properties"]!["claims"]!;
        claims["maxItems"] = maxClaims;
        var item = (JsonObject)((JsonObject)claims["items"]!)["properties"]!;
        item["text"]!["maxLength"] = maxClaimCharacters;
        item["text"]!["minLength"] = 1;
        item["type"]!["enum"] = Enum(ClaimTypes.All);
        item["attributionSource"]!["maxLength"] = MaxSourceCharacters;
        item["attributionKind"]!["enum"] = Enum(ClaimAttribution.Kinds);
        item["evidenceLevel"]!["enum"] = Enum(EvidenceLevels.All);
        foreach (var score in new[] { "checkWorthiness", "confidence" })
        {
            item[score]!["minimum"] = 0;
            item[score]!["maximum"] = 1;
        }

        return schema;
    }

    /// <summary>The GBNF grammar of <see cref="Build"/>.</summary>
    public static string Grammar(int maxClaims, int maxClaimCharacters) => JsonSchemaGrammar.FromSchema(Build(maxClaims, maxClaimCharacters));

    /// <summary>
    /// The most bytes an answer under <see cref="Grammar"/> can take (every character of a string counted as a
    /// six-byte <c>\uXXXX</c> escape): a token limit at least this large always lets the answer finish.
    /// </summary>
    public static int MaxAnswerLength(int maxClaims, int maxClaimCharacters) => JsonSchemaGrammar.MaxLength(Build(maxClaims, maxClaimCharacters));

    static JsonArray Enum(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)v)];
}
