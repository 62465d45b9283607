using System.Globalization;
using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>
/// The values of the fields enrichers declared (<see cref="EnrichmentField"/>), read out of their stored payloads,
/// the same for every store. Index field names are <c>enrichment.{enricher}.{field}</c>; the exact value of a field that
/// is also searchable is in <c>….keyword</c>.
/// </summary>
public static class EnrichmentFieldValues
{
    public const string Prefix = "enrichment.";

    /// <summary>Most values one field contributes per document: a runaway payload must not make a huge document.</summary>
    public const int MaxValuesPerField = 1_000;

    /// <summary>One declared field of one enricher with its values in one document.</summary>
    public sealed record Values(string Enricher, EnrichmentField Field, IReadOnlyList<string> Items)
    {
        public string IndexName => FieldName(Enricher, Field.Name);

        /// <summary>Where the exact values are: the field itself, or its <c>.keyword</c> companion when it is also full text.</summary>
        public string ExactName => ExactFieldName(Enricher, Field);
    }

    public static string FieldName(string enricher, string field) => $"{Prefix}{enricher}.{field}";

    /// <summary>The field to filter or facet on for a declared field.</summary>
    public static string ExactFieldName(string enricher, EnrichmentField field) =>
        field.Uses.HasFlag(EnrichmentFieldUses.Searchable) ? FieldName(enricher, field.Name) + ".keyword" : FieldName(enricher, field.Name);

    public static IEnumerable<Values> Of(ArticleDocument document)
    {
        foreach (var (enricher, enrichment) in document.Enrichments)
        {
            foreach (var field in enrichment.Fields ?? [])
            {
                if (field.Name.Contains('.', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(field.Name))
                {
                    throw new InvalidDataException($"Enricher '{enricher}' declares field '{field.Name}'; field names must not be empty or contain dots.");
                }

                var items = new List<string>();
                Collect(enrichment.Payload, field.Path.Split('.'), 0, items);
                if (items.Count > 0)
                {
                    yield return new Values(enricher, field, items);
                }
            }
        }
    }

    static void Collect(JsonElement element, string[] path, int depth, List<string> items)
    {
        if (items.Count >= MaxValuesPerField)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, path, depth, items);
                }

                return;
            case JsonValueKind.Object when depth < path.Length:
                if (element.TryGetProperty(path[depth], out var child))
                {
                    Collect(child, path, depth + 1, items);
                }

                return;
            case JsonValueKind.String when depth == path.Length:
                var text = element.GetString();
                if (!string.IsNullOrEmpty(text))
                {
                    items.Add(text);
                }

                return;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when depth == path.Length:
                items.Add(element.ValueKind == JsonValueKind.Number
                    ? element.GetDouble().ToString(CultureInfo.InvariantCulture)
                    : element.GetBoolean() ? "true" : "false");
                return;
        }
    }
}
