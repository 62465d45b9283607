namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>Which items of a Wikidata dump become KB entities, and how the dump is read.</summary>
public sealed record WikidataDumpOptions
{
    /// <summary>
    /// English plus the big Latin-script news languages: their labels and aliases are names an English article may
    /// use ("München", "Deutsche Bahn"); other scripts would only grow the alias index.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultLanguages = ["en", "de", "fr", "es", "it", "pt", "nl"];

    public static WikidataDumpOptions Default { get; } = new();

    /// <summary>Languages whose labels and aliases become aliases (English always gives the label).</summary>
    public IReadOnlyList<string> Languages { get; init; } = DefaultLanguages;

    /// <summary>
    /// Items without an English Wikipedia article are kept from this many sitelinks on (any wiki project counts).
    /// 5 keeps entities several Wikipedias cover and drops the long tail of single-wiki stubs and the tens of
    /// millions of items without any sitelink (articles, genes, stars).
    /// </summary>
    public int MinSitelinks { get; init; } = 5;

    /// <summary>Keep only items with an English Wikipedia article.</summary>
    public bool RequireEnwiki { get; init; }

    /// <summary>
    /// Sitelink count that maps to popularity 1: popularity is log(1 + n) / log(1 + this), clamped. A fixed scale,
    /// because a stream cannot know the largest count in advance (few items exceed 300 sitelinks).
    /// </summary>
    public int PopularityFullSitelinks { get; init; } = 300;

    /// <summary>A longer line is reported as malformed and skipped (the largest real items are a few MB).</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;

    /// <summary>Threads that parse lines; one more reads and decompresses.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Lines travel from the reading thread to the parsers in batches of about this many bytes.</summary>
    public int BatchBytes { get; init; } = 1 << 20;

    /// <summary>Batches in flight at once (read, parsing or parsed but not yet consumed): the reader's memory bound.</summary>
    public int BatchesInFlight { get; init; } = 4 * Math.Max(1, Environment.ProcessorCount);

    public WikidataTypeTable Types { get; init; } = WikidataTypeTable.Default;

    /// <summary>How many malformed lines are kept with their number and reason (all are counted).</summary>
    public int MalformedLinesListed { get; init; } = 10;

    /// <summary>The selection rule: an English label (checked by the parser) and enough Wikipedia presence.</summary>
    public bool Keeps(bool hasEnwiki, int sitelinks) => hasEnwiki || (!RequireEnwiki && sitelinks >= MinSitelinks);

    public float Popularity(int sitelinks) =>
        (float)Math.Clamp(Math.Log(1 + sitelinks) / Math.Log(1 + Math.Max(1, PopularityFullSitelinks)), 0, 1);
}
