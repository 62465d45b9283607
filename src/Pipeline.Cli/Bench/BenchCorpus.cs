using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Cli.Bench;

/// <summary>
/// The benchmark's messages: real articles from ../shared/data/articles, repeated under new ids to reach the wanted
/// count, each travelling as ArticleIngested + a claims and an entities enrichment. The payloads are made by simple
/// rules in the shape (and roughly the size) of the real enrichers' output, so the indexing path is measured on its
/// own, without the enrichers' cost.
/// </summary>
public sealed partial class BenchCorpus
{
    static readonly JsonSerializerOptions Json = EnrichmentPayloads.SerializerOptions;

    readonly List<(string Title, string Text, string? Url)> _sources;

    BenchCorpus(List<(string, string, string?)> sources) => _sources = sources;

    public int SourceArticles => _sources.Count;

    public static BenchCorpus Load(string sharedData)
    {
        var sources = new List<(string, string, string?)>();
        foreach (var file in new[] { "buzzfeed-webis-2016.jsonl", "fakenewsnet-2018.jsonl" })
        {
            var path = Path.Combine(sharedData, "articles", file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: the benchmark reads real articles from ../shared/data.", path);
            }

            foreach (var line in File.ReadLines(path))
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var text = root.TryGetProperty("text", out var t) ? t.GetString() : null;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                var title = root.TryGetProperty("title", out var h) ? h.GetString() ?? "" : "";
                var url = root.TryGetProperty("url", out var u) ? u.GetString() : null;
                sources.Add((title, text, url));
            }
        }

        return new BenchCorpus(sources);
    }

    /// <summary>The three messages of article <paramref name="i"/>; deterministic, so every phase sees the same ones.</summary>
    public (ArticleIngested Article, ArticleEnriched Claims, ArticleEnriched Entities) Messages(int i, DateTimeOffset? at = null)
    {
        var (title, text, url) = _sources[i % _sources.Count];
        var canonicalUrl = $"{url ?? "https://bench.example/article"}#{i.ToString(CultureInfo.InvariantCulture)}";
        var hash = ArticleIdentity.ContentHash(text);
        var time = at ?? DateTimeOffset.UnixEpoch.AddSeconds(i);
        var article = new ArticleIngested
        {
            ArticleId = ArticleIdentity.ArticleId(canonicalUrl, hash),
            CanonicalUrl = canonicalUrl,
            Source = url is null ? "bench.example" : new Uri(url).Host,
            Title = title,
            Text = text,
            ContentHash = hash,
            IngestedAt = time,
            Language = "en",
        };
        return (
            article,
            EnrichmentPayloads.Create(ClaimsPayload.EnricherName, "bench-1", article, Claims(text), time),
            EnrichmentPayloads.Create(EntitiesPayload.EnricherName, "bench-1", article, Entities(text), time));
    }

    /// <summary>The merged document of article <paramref name="i"/>, as the indexer ends up storing it.</summary>
    public ArticleDocument Document(int i)
    {
        var (article, claims, entities) = Messages(i);
        return DocumentMerge.Apply(null, article.ArticleId, [article, claims, entities]);
    }

    /// <summary>A MassTransit envelope of the message, as the broker carries it (content type application/vnd.masstransit+json).</summary>
    public static byte[] Envelope(IArticleMessage message, string messageId)
    {
        var envelope = new Dictionary<string, object?>
        {
            ["messageId"] = messageId,
            ["sentTime"] = DateTime.UtcNow,
            ["messageType"] = MessageTypes(message.GetType()),
            ["message"] = message,
            ["headers"] = new Dictionary<string, object>(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(envelope, Json);
    }

    /// <summary>The message's type and the contract interfaces it implements, as MassTransit lists them in an envelope.</summary>
    static string[] MessageTypes(Type type) =>
        [.. new[] { type }.Concat(type.GetInterfaces().Where(i => i.Namespace == type.Namespace)).Select(t => $"urn:message:{t.Namespace}:{t.Name}")];

    /// <summary>Reads an envelope back into its message (the raw path's deserialisation).</summary>
    public static IArticleMessage FromEnvelope(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var json = JsonDocument.ParseValue(ref reader);
        var type = json.RootElement.GetProperty("messageType")[0].GetString();
        var message = json.RootElement.GetProperty("message");
        return type!.EndsWith(":ArticleIngested", StringComparison.Ordinal)
            ? message.Deserialize<ArticleIngested>(Json)!
            : message.Deserialize<ArticleEnriched>(Json)!;
    }

    static ClaimsPayload Claims(string text)
    {
        var claims = new List<TaggedClaim>();
        foreach (Match sentence in Sentence().Matches(text))
        {
            if (claims.Count == 8 || !sentence.Value.Any(char.IsDigit))
            {
                continue;
            }

            claims.Add(new TaggedClaim
            {
                Text = sentence.Value,
                Start = sentence.Index,
                End = sentence.Index + sentence.Length,
                Type = ClaimTypes.Quantitative,
                CheckWorthiness = 0.7,
                Attribution = new ClaimAttribution("officials", "anonymous"),
                EvidenceLevel = "reported",
                Confidence = 0.6,
            });
        }

        return new ClaimsPayload { Claims = claims, Tagger = "bench" };
    }

    static EntitiesPayload Entities(string text)
    {
        var mentions = Name().Matches(text).Take(25).Select(m => new EntityMention
        {
            Text = m.Value,
            Start = m.Index,
            End = m.Index + m.Length,
            Type = "MISC",
            Qid = "Q" + (uint)StableHash(m.Value) % 1_000_000,
            Label = m.Value,
            Confidence = 0.8,
            CandidateCount = 2,
        }).ToList();
        return new EntitiesPayload { Mentions = mentions, EntityIds = [.. mentions.Select(m => m.Qid!).Distinct()], Linker = "bench" };
    }

    static int StableHash(string value) => (int)BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [GeneratedRegex(@"[^.!?\n]{20,300}[.!?]")]
    private static partial Regex Sentence();

    [GeneratedRegex(@"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")]
    private static partial Regex Name();
}
