using System.Text.Json.Nodes;
using Pipeline.ClaimTagging.Llm.Local;

namespace Pipeline.ClaimTagging.Tests;

/// <summary>The JSON-schema-to-GBNF generator and the GGUF writer (llama.cpp runs both in LlmClaimTaggerLocalModelTests).</summary>
public sealed class JsonSchemaGrammarTests
{
    [Fact]
    public void Enums_become_json_literals_and_probabilities_a_bounded_number()
    {
        var grammar = JsonSchemaGrammar.FromSchema(JsonNode.Parse("""
            {"type": "object", "properties": {
              "kind": {"type": "string", "enum": ["a \"quoted\" word", "plain"]},
              "score": {"type": "number", "minimum": 0, "maximum": 1}}}
            """)!);

        Assert.Contains("root ::= \"{\" ws \"\\\"kind\\\"\" ws \":\" ws root-kind ws \",\" ws \"\\\"score\\\"\" ws \":\" ws root-score ws \"}\"", grammar, StringComparison.Ordinal);
        // The enum value as JSON text (System.Text.Json escapes the quote as \u0022), inside a GBNF literal.
        Assert.Contains("root-kind ::= \"\\\"a \\\\u0022quoted\\\\u0022 word\\\"\" | \"\\\"plain\\\"\"", grammar, StringComparison.Ordinal);
        Assert.Contains("root-score ::= (\"0\" (\".\" [0-9]{1,6})? | \"1\" (\".\" \"0\"{1,6})?)", grammar, StringComparison.Ordinal);
    }

    [Fact]
    public void Arrays_and_strings_are_bounded_and_the_longest_answer_is_known()
    {
        var schema = JsonNode.Parse("""{"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 5}}""")!;

        var grammar = JsonSchemaGrammar.FromSchema(schema);

        Assert.Contains("root ::= \"[\" ws (root-item (ws \",\" ws root-item){0,2})? ws \"]\"", grammar, StringComparison.Ordinal);
        Assert.Contains("root-item ::= \"\\\"\" char{0,5} \"\\\"\"", grammar, StringComparison.Ordinal);
        // [ + ws + 3 strings of 5 six-byte escapes in quotes + 2 separators (ws , ws) + ws + ]
        Assert.Equal(2 + 13 + 3 * (2 + 5 * 6) + 2 * (13 + 1 + 13) + 13, JsonSchemaGrammar.MaxLength(schema));
    }

    [Theory]
    [InlineData("""{"type": "string", "pattern": "^a"}""", "#: the keyword 'pattern'")]
    [InlineData("""{"type": "array", "items": {"type": "string"}}""", "#: an array needs maxItems")]
    [InlineData("""{"type": "object", "properties": {"x": {"type": "number", "minimum": 5}}}""", "#/properties/x: numeric bounds")]
    [InlineData("""{"type": "object", "properties": {"x": {}}}""", "#/properties/x: a schema without type")]
    [InlineData("""{"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": true}""", "#: additionalProperties true")]
    public void Schemas_the_grammar_cannot_honour_are_refused_naming_the_place(string schema, string expected)
    {
        var error = Assert.Throws<NotSupportedException>(() => JsonSchemaGrammar.FromSchema(JsonNode.Parse(schema)!));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_claim_schema_carries_the_taxonomy()
    {
        var grammar = LlmClaimSchema.Grammar(maxClaims: 5, maxClaimCharacters: 300);

        Assert.Contains("{0,4}", grammar, StringComparison.Ordinal);
        Assert.Contains("char{1,300}", grammar, StringComparison.Ordinal);
        Assert.All(Pipeline.Contracts.ClaimTypes.All, t => Assert.Contains($"\"\\\"{t}\\\"\"", grammar, StringComparison.Ordinal));
        Assert.All(Pipeline.Contracts.EvidenceLevels.All, t => Assert.Contains($"\"\\\"{t}\\\"\"", grammar, StringComparison.Ordinal));
    }

    [Fact]
    public void The_random_model_is_a_gguf_v3_file_with_aligned_tensors_and_the_same_bytes_for_the_same_seed()
    {
        var directory = Directory.CreateTempSubdirectory("pipeline-gguf-").FullName;
        try
        {
            string Write(string name, int seed)
            {
                var path = Path.Combine(directory, name);
                RandomLlamaModel.Write(path, seed);
                return path;
            }

            var a = File.ReadAllBytes(Write("a.gguf", 1));
            var b = File.ReadAllBytes(Write("b.gguf", 1));
            var c = File.ReadAllBytes(Write("c.gguf", 2));

            Assert.Equal("GGUF"u8.ToArray(), a[..4]);
            Assert.Equal(GgufWriter.Version, BitConverter.ToUInt32(a, 4));
            Assert.Equal(3UL + 9 * 2, BitConverter.ToUInt64(a, 8)); // embeddings, norm, output + 9 tensors per layer
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
            Assert.Equal(0, a.Length % GgufWriter.Alignment);
            Assert.InRange(a.Length, 100_000, 1_000_000);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
