namespace Pipeline.Contracts;

/// <summary>
/// A field an enricher asks the search stores to index out of its payload, as <c>enrichment.{enricher}.{Name}</c>.
/// It travels with every <see cref="ArticleEnriched"/>, so a store indexes a new enricher's fields without a code or
/// configuration change, and a rebuild re-derives them from the stored payload.
/// </summary>
public sealed record EnrichmentField
{
    /// <summary>Lower-case name, letters, digits, '_' and '-' (no dots): the last part of the index field name.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Where the values are in the payload: property names separated by dots, e.g. <c>matches.factCheckId</c>; arrays
    /// on the way are flattened (every element contributes). Strings, numbers and booleans are indexed as text.
    /// </summary>
    public required string Path { get; init; }

    public required EnrichmentFieldUses Uses { get; init; }
}
