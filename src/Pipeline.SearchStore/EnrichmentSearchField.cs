namespace Pipeline.SearchStore;

/// <summary>
/// Request names of enricher-declared fields, <c>enrichment.{enricher}.{field}</c> (<see cref="EnrichmentFieldValues"/>).
/// They are not in <see cref="SearchFields"/>: a store learns them from its own index (Lucene's field infos,
/// Elasticsearch's mapping), so a field can be filtered once an article of an enricher declaring it has been indexed,
/// and is refused (naming the parameter) otherwise. They are keyword fields: exact values, any of several.
/// </summary>
public static class EnrichmentSearchField
{
    /// <summary>Whether the name is meant as an enrichment field (starts with <c>enrichment.</c>), well-formed or not.</summary>
    public static bool Claims(string name) => name.StartsWith(EnrichmentFieldValues.Prefix, StringComparison.Ordinal);

    /// <summary>Exactly three dot-separated parts, the last two non-empty and free of spaces and query syntax.</summary>
    public static bool IsWellFormed(string name)
    {
        var parts = name.Split('.');
        return parts.Length == 3 && parts[0] + "." == EnrichmentFieldValues.Prefix && parts.Skip(1).All(IsPart);
    }

    static bool IsPart(string part) =>
        part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The refusal of a name no indexed article declares for this use.</summary>
    public static InvalidSearchRequestException NotDeclared(string name, string parameter, string use) =>
        new(parameter, $"'{name}' is not {use}: no indexed article has an enrichment declaring it {use}.");
}
