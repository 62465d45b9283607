using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Ingestion;
using Pipeline.Ingestion.Articles;

namespace Pipeline.Cli.Bench;

/// <summary>
/// The ingestion benchmark's articles: the real articles of ../shared/data/articles, repeated as many times as needed.
/// Each repetition ("copy") gets its own URL and, from the second copy on, every third word of its text marked with the
/// copy number, so that every word 3-gram differs between copies: the service sees new articles, not exact or near
/// duplicates. The first copy is the real article, word for word.
/// </summary>
public sealed class IngestionCorpus
{
    readonly List<(string Title, string[] Words, string? Url)> _sources;

    IngestionCorpus(List<(string, string[], string?)> sources) => _sources = sources;

    public int SourceArticles => _sources.Count;

    public static IngestionCorpus Load(string sharedData)
    {
        var sources = new List<(string, string[], string?)>();
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
                sources.Add((title, text.Split(' '), Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal) ? url : null));
            }
        }

        return new IngestionCorpus(sources);
    }

    /// <summary>Article <paramref name="i"/> as the ingestion API's JSON object.</summary>
    public (string Url, string Title, string Text) Article(int i)
    {
        var (title, words, url) = _sources[i % _sources.Count];
        var copy = (i / _sources.Count) + 1;
        var mark = "·" + copy.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder(words.Sum(w => w.Length + 1) + (words.Length / 3 * mark.Length));
        for (var w = 0; w < words.Length; w++)
        {
            if (w > 0)
            {
                text.Append(' ');
            }

            text.Append(words[w]);
            if (copy > 1 && w % 3 == 0)
            {
                text.Append(mark);
            }
        }

        var baseUrl = url ?? $"https://bench.example/articles/{i % _sources.Count}";
        return ($"{baseUrl.TrimEnd('/')}/copy-{copy}", title, text.ToString());
    }

    /// <summary>Article <paramref name="i"/> as one NDJSON line (with its newline).</summary>
    public void WriteLine(int i, IBufferWriter<byte> output)
    {
        var (url, title, text) = Article(i);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("url", url);
            json.WriteString("title", title);
            json.WriteString("text", text);
            json.WriteString("language", "en");
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>Articles <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1, normalised as ingestion would (for the stage rows, which publish them straight onto a queue).</summary>
    public List<ArticleIngested> Normalized(int first, int count)
    {
        var normalizer = new ArticleNormalizer(Options.Create(new IngestionOptions()), TimeProvider.System);
        var articles = new List<ArticleIngested>(count);
        for (var i = first; i < first + count; i++)
        {
            var (url, title, text) = Article(i);
            if (!normalizer.TryNormalize(new ArticleSubmission { Url = url, Title = title, Text = text, Language = "en" }, out var article, out var rejection))
            {
                throw new InvalidOperationException($"Bench article {i} was rejected: {rejection.Message}");
            }

            articles.Add(article);
        }

        return articles;
    }
}
