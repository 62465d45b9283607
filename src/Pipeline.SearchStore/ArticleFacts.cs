using System.Globalization;
using System.Text;
using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>
/// The filter and facet values of one document, derived once from its payloads by the same rules for every store:
/// the values of each <see cref="SearchFields"/> field, plus the entity labels for facets and name suggestions.
/// </summary>
public sealed record ArticleFacts
{
    public const string StatusComplete = "complete";
    public const string StatusPartial = "partial";
    public const string StatusPending = "pending";

    /// <summary>Separates the parts of the label and suggestion terms (never part of a QID or a label).</summary>
    public const char Separator = '\u001f';

    public required IReadOnlyList<string> Entities { get; init; }

    /// <summary>Entities with a mention inside the span of one of the article's claims: what its claims are about.</summary>
    public IReadOnlyList<string> ClaimEntities { get; init; } = [];

    public required IReadOnlyList<string> EntityTypes { get; init; }

    public required IReadOnlyList<string> ClaimTypes { get; init; }

    public required IReadOnlyList<string> AttributionKinds { get; init; }

    public double? MaxWorthiness { get; init; }

    /// <summary>Claims at least <see cref="CheckWorthy"/> check-worthy: summed per date bucket for claims over time.</summary>
    public int WorthyClaims { get; init; }

    /// <summary>The check-worthiness from which a claim counts as check-worthy in <see cref="WorthyClaims"/> (as the analyst page marks claims).</summary>
    public const double CheckWorthy = 0.5;

    public required string Status { get; init; }

    /// <summary>"QID␟Label" per linked entity: the label shown for a QID in facets.</summary>
    public required IReadOnlyList<string> EntityLabels { get; init; }

    /// <summary>"normalised word suffix of the label␟QID␟Label", so "bid" finds "Joe Biden" by its second word.</summary>
    public required IReadOnlyList<string> EntitySuggestions { get; init; }

    public static ArticleFacts Of(ArticleDocument document)
    {
        var (entityIds, mentions) = document.Entities();
        return Of(document, document.Claims(), entityIds, mentions);
    }

    /// <summary>The facts from payloads the caller has already parsed out of the document (its claims, entity ids and mentions).</summary>
    public static ArticleFacts Of(ArticleDocument document, IReadOnlyList<TaggedClaim> claims, IReadOnlyList<string> entityIds, IReadOnlyList<EntityMention> mentions)
    {
        var current = document.CurrentEnrichers.ToHashSet(StringComparer.Ordinal);
        var builtIn = new[] { ClaimsPayload.EnricherName, EntitiesPayload.EnricherName };
        var status = builtIn.All(current.Contains) ? StatusComplete : current.Count > 0 ? StatusPartial : StatusPending;

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var mention in mentions)
        {
            if (mention.Qid is { Length: > 0 } qid && !labels.ContainsKey(qid))
            {
                labels[qid] = string.IsNullOrWhiteSpace(mention.Label) ? mention.Text : mention.Label;
            }
        }

        return new ArticleFacts
        {
            Entities = entityIds,
            ClaimEntities = Distinct(mentions.Where(m => claims.Any(m.IsWithin)).Select(m => m.Qid)),
            EntityTypes = Distinct(mentions.Where(m => m.Qid is not null).Select(m => m.Type)),
            ClaimTypes = Distinct(claims.Select(c => c.Type)),
            AttributionKinds = Distinct(claims.Select(c => c.Attribution?.Kind)),
            MaxWorthiness = claims.Count == 0 ? null : claims.Max(c => c.CheckWorthiness),
            WorthyClaims = claims.Count(c => c.CheckWorthiness >= CheckWorthy),
            Status = status,
            EntityLabels = [.. labels.Select(l => $"{l.Key}{Separator}{l.Value}")],
            EntitySuggestions = [.. labels.SelectMany(l => WordSuffixes(l.Value).Select(s => $"{s}{Separator}{l.Key}{Separator}{l.Value}")).Distinct(StringComparer.Ordinal)],
        };
    }

    static string[] Distinct(IEnumerable<string?> values) =>
        [.. values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal)];

    /// <summary>Lower-case, accents removed, runs of non-letters as one space: how labels and typed prefixes are compared.</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().TrimEnd();
    }

    static IEnumerable<string> WordSuffixes(string label)
    {
        var normalized = Normalize(label);
        yield return normalized;
        for (var i = normalized.IndexOf(' ', StringComparison.Ordinal); i >= 0; i = normalized.IndexOf(' ', i + 1))
        {
            yield return normalized[(i + 1)..];
        }
    }
}
