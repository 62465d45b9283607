using System.Globalization;
using Pipeline.Contracts;

namespace Pipeline.Search.Tests.Behaviour;

/// <summary>One article of the behaviour suite's corpus, with what its payloads say, for brute-force expectations.</summary>
public sealed record CorpusArticle(ArticleIngested Article, IReadOnlyList<TaggedClaim> Claims, IReadOnlyList<EntityMention> Mentions)
{
    public IReadOnlyList<string> Qids => [.. Mentions.Where(m => m.Qid is not null).Select(m => m.Qid!).Distinct()];

    public double? MaxWorthiness => Claims.Count == 0 ? null : Claims.Max(c => c.CheckWorthiness);

    public IEnumerable<IArticleMessage> Messages()
    {
        yield return Article;
        yield return EnrichmentPayloads.Create(ClaimsPayload.EnricherName, "1", Article, new ClaimsPayload { Claims = Claims, Tagger = "suite" }, Article.IngestedAt);
        yield return EnrichmentPayloads.Create(EntitiesPayload.EnricherName, "1", Article, new EntitiesPayload { Mentions = Mentions, EntityIds = Qids, Linker = "suite" }, Article.IngestedAt);
    }
}

/// <summary>Builds the suite's articles: hand-made ones for precise behaviours and a seeded random set for exact counts.</summary>
public static class SearchCorpus
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2024-01-15T12:00:00Z", CultureInfo.InvariantCulture);

    public static readonly (string Qid, string Label, string Type)[] Entities =
    [
        ("Q30", "United States", "LOC"), ("Q148", "China", "LOC"), ("Q6279", "Joe Biden", "PER"), ("Q15031", "Xi Jinping", "PER"),
        ("Q22686", "Donald Trump", "PER"), ("Q380", "Meta Platforms", "ORG"), ("Q7188", "Government", "ORG"), ("Q1055", "Hamburg", "LOC"),
        ("Q2283", "Microsoft", "ORG"), ("Q8093", "Nintendo", "ORG"), ("Q1490", "Tōkyō", "LOC"), ("Q76", "Barack Obama", "PER"),
    ];

    /// <summary>An emerging entity: a name no knowledge base knows, with the corpus id the linker makes (nil: and 12 hex digits).</summary>
    public static readonly (string Qid, string Label, string Type) VoltHarbor = ("nil:3f9a1c0b7d2e", "Volt Harbor Collective", "ORG");

    static readonly string[] Outlets = ["example.com", "news.example.org", "daily.example.net"];
    static readonly string[] Languages = ["en", "en", "de"];
    static readonly string[] Words = ["election", "budget", "summit", "vaccine", "border", "tariff", "market", "court", "climate", "energy"];

    /// <summary>An article whose text names the entities it mentions, with one claim per sentence.</summary>
    public static CorpusArticle Make(
        string id,
        string title,
        string body,
        DateTimeOffset? published,
        IEnumerable<(string Qid, string Label, string Type)> entities,
        IEnumerable<(string Type, double Worthiness, string? Attribution)> claims,
        string outlet = "example.com",
        string language = "en")
    {
        var entityList = entities.ToList();
        var claimList = claims.ToList();
        var sentences = new List<string>();
        for (var i = 0; i < Math.Max(claimList.Count, entityList.Count); i++)
        {
            var subject = i < entityList.Count ? entityList[i].Label : "Officials";
            sentences.Add($"{subject} said the {Words[i % Words.Length]} plan changes everything.");
        }

        var text = body + (sentences.Count > 0 ? " " + string.Join(" ", sentences) : "");
        var mentions = new List<EntityMention>();
        var tagged = new List<TaggedClaim>();
        var offset = body.Length + 1;
        for (var i = 0; i < sentences.Count; i++)
        {
            var sentence = sentences[i];
            if (i < entityList.Count)
            {
                var (qid, label, type) = entityList[i];
                mentions.Add(new EntityMention { Text = label, Start = offset, End = offset + label.Length, Type = type, Qid = qid, InKb = EntityIds.IsQid(qid), Label = label, Confidence = 0.9 });
            }

            if (i < claimList.Count)
            {
                var (type, worthiness, attribution) = claimList[i];
                tagged.Add(new TaggedClaim
                {
                    Text = sentence,
                    Start = offset,
                    End = offset + sentence.Length,
                    Type = type,
                    CheckWorthiness = worthiness,
                    Attribution = attribution is null ? null : new ClaimAttribution("someone", attribution),
                    EvidenceLevel = "reported",
                    Confidence = 0.7,
                });
            }

            offset += sentence.Length + 1;
        }

        var article = new ArticleIngested
        {
            ArticleId = id,
            CanonicalUrl = $"https://{outlet}/{id}",
            Source = outlet,
            Title = title,
            Text = text,
            ContentHash = ArticleIdentity.ContentHash(text),
            IngestedAt = T0,
            PublishedAt = published,
            Language = language,
        };
        return new CorpusArticle(article, tagged, mentions);
    }

    /// <summary>A deterministic random corpus spread over months, outlets, entities and claim types.</summary>
    public static List<CorpusArticle> Random(int count, int seed = 7)
    {
        var random = new Random(seed);
        var result = new List<CorpusArticle>();
        for (var i = 0; i < count; i++)
        {
            var entities = Entities.OrderBy(_ => random.Next()).Take(random.Next(0, 5)).ToList();
            var claims = Enumerable.Range(0, random.Next(0, 4))
                .Select(_ => (ClaimTypes.All[random.Next(ClaimTypes.All.Count)], Math.Round(random.NextDouble(), 2), random.Next(3) == 0 ? null : ClaimAttribution.Kinds[random.Next(ClaimAttribution.Kinds.Count)]))
                .ToList();
            var published = random.Next(10) == 0 ? (DateTimeOffset?)null : T0.AddDays(-random.Next(0, 400)).AddMinutes(random.Next(0, 1440));
            var word = Words[random.Next(Words.Length)];
            result.Add(Make($"r{i:D4}", $"Report on the {word}", $"A report about the {word} and more.", published, entities, claims, Outlets[random.Next(Outlets.Length)], Languages[random.Next(Languages.Length)]));
        }

        return result;
    }
}
