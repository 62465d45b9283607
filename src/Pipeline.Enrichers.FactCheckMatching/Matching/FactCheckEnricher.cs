using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.Enrichers.FactCheckMatching.Matching;

/// <summary>
/// The <c>fact-checks</c> enricher: which sentences of an article repeat a claim that fact-checkers have already checked.
/// Each sentence is compared with the catalogue; per fact-check the best sentence is kept, above MinScore.
/// </summary>
public sealed partial class FactCheckEnricher(FactCheckCatalog catalog, IOptions<FactCheckMatchingOptions> options) : IArticleEnricher<FactCheckMatches>
{
    /// <summary>A sentence needs this many content words: shorter ones ("He denied it.") match too much by chance.</summary>
    const int MinSentenceTerms = 4;

    public static string Name => "fact-checks";

    public string Version => "1.0.0";

    /// <summary>Matched claims are full text; fact-check ids and the status filter and facet.</summary>
    public static IReadOnlyList<EnrichmentField> Fields { get; } =
    [
        new() { Name = "claim", Path = "matches.claim", Uses = EnrichmentFieldUses.Searchable },
        new() { Name = "id", Path = "matches.factCheckId", Uses = EnrichmentFieldUses.Filterable | EnrichmentFieldUses.Facetable },
        new() { Name = "status", Path = "status", Uses = EnrichmentFieldUses.Filterable | EnrichmentFieldUses.Facetable },
    ];

    public Task<FactCheckMatches> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
        Task.FromResult(Match(article.Title + ".\n" + article.Text));

    public FactCheckMatches Match(string text)
    {
        var settings = options.Value;
        var best = new Dictionary<string, FactCheckMatch>(StringComparer.Ordinal);
        foreach (var sentence in Sentences(text))
        {
            if (FactCheckCatalog.TermCounts(sentence).Count < MinSentenceTerms)
            {
                continue;
            }

            foreach (var (check, score) in catalog.Match(sentence, settings.MaxMatches, settings.MinScore))
            {
                if (!best.TryGetValue(check.Id, out var existing) || score > existing.Score)
                {
                    best[check.Id] = new FactCheckMatch
                    {
                        FactCheckId = check.Id,
                        Claim = check.Claim,
                        Title = check.Title,
                        Date = check.Date,
                        Sentence = sentence,
                        Score = Math.Round(score, 4),
                    };
                }
            }
        }

        var matches = best.Values.OrderByDescending(m => m.Score).ThenBy(m => m.FactCheckId, StringComparer.Ordinal).Take(settings.MaxMatches).ToList();
        return new FactCheckMatches { Status = matches.Count > 0 ? "matched" : "none", Matches = matches };
    }

    [GeneratedRegex(@"(?<=[.!?][""'”’)]?)\s+|\n+")]
    private static partial Regex SentenceBreak();

    static IEnumerable<string> Sentences(string text) =>
        SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);
}
