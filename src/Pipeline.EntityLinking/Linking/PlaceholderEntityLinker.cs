using System.Text.RegularExpressions;
using Pipeline.Contracts;
using Pipeline.Messaging.Enrichment;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// PLACEHOLDER entity linker: finds capitalised name spans and acronyms and reports them as unlinked (NIL)
/// mentions of type MISC. It links nothing to Wikidata; the knowledge-base linker replaces it.
/// </summary>
public sealed partial class PlaceholderEntityLinker : IArticleEnricher<EntitiesPayload>
{
    static readonly HashSet<string> SentenceStarters = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They", "We", "I", "This", "That", "These",
        "Those", "His", "Her", "Their", "Our", "Its", "As", "For", "If", "When", "While", "After", "Before", "So", "Yet",
    };

    public static string Name => EntitiesPayload.EnricherName;

    public string Version => "0.1.0-placeholder";

    public Task<EntitiesPayload> EnrichAsync(ArticleIngested article, CancellationToken cancellationToken) =>
        Task.FromResult(Link(article.Text));

    public static EntitiesPayload Link(string text)
    {
        var mentions = new List<EntityMention>();
        foreach (Match match in NameSpan().Matches(text))
        {
            var value = match.Value;
            var (start, length) = (match.Index, match.Length);
            var firstSpace = value.IndexOf(' ', StringComparison.Ordinal);
            var first = firstSpace < 0 ? value : value[..firstSpace];
            if (SentenceStarters.Contains(first))
            {
                if (firstSpace < 0)
                {
                    continue;
                }

                (start, length) = (start + firstSpace + 1, length - firstSpace - 1);
            }

            mentions.Add(new EntityMention
            {
                Text = text.Substring(start, length),
                Start = start,
                End = start + length,
                Type = "MISC",
                Confidence = 0.2,
            });
        }

        return new EntitiesPayload { Mentions = mentions, EntityIds = [], Linker = "placeholder-capitalisation" };
    }

    [GeneratedRegex(@"\b(?:[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z]+|[A-Z]{2,}))*\b")]
    private static partial Regex NameSpan();
}
