using System.Text.RegularExpressions;
using Pipeline.Contracts;

namespace Pipeline.Messaging.Enrichment;

/// <summary>Checks an enricher's name and field declarations when it is registered, so a mistake stops the start naming it.</summary>
public static partial class EnricherDeclaration
{
    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex FieldName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex PayloadPath();

    public static void Validate(string name, IReadOnlyList<EnrichmentField> fields)
    {
        if (!KebabCase().IsMatch(name))
        {
            throw new InvalidOperationException($"Enricher name '{name}' must be lower-case kebab-case (e.g. 'fact-checks').");
        }

        foreach (var field in fields)
        {
            if (!FieldName().IsMatch(field.Name))
            {
                throw new InvalidOperationException($"Enricher '{name}': field name '{field.Name}' must be lower-case letters, digits, '_' or '-' (no dots).");
            }

            if (!PayloadPath().IsMatch(field.Path))
            {
                throw new InvalidOperationException($"Enricher '{name}': field '{field.Name}' has path '{field.Path}'; use property names separated by dots.");
            }

            if (field.Uses == EnrichmentFieldUses.None)
            {
                throw new InvalidOperationException($"Enricher '{name}': field '{field.Name}' must be searchable, filterable or facetable.");
            }
        }

        var duplicate = fields.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Enricher '{name}' declares field '{duplicate.Key}' twice.");
        }
    }
}
