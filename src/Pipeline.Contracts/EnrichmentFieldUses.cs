namespace Pipeline.Contracts;

/// <summary>How the stores index an <see cref="EnrichmentField"/>; combine with |.</summary>
[Flags]
public enum EnrichmentFieldUses
{
    None = 0,

    /// <summary>Analysed full text (English), matched by words: <c>enrichment.{enricher}.{field}</c>.</summary>
    Searchable = 1,

    /// <summary>Exact value, for filters; in <c>enrichment.{enricher}.{field}</c>, or <c>….keyword</c> when also searchable.</summary>
    Filterable = 2,

    /// <summary>Exact value with per-document values for counting (facets); the same field as <see cref="Filterable"/>.</summary>
    Facetable = 4,
}
