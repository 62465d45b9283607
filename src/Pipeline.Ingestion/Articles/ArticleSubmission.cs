using System.Text.Json.Serialization;

namespace Pipeline.Ingestion.Articles;

/// <summary>One article as a client submits it. Only <see cref="Text"/> (or <see cref="Html"/>) is required.</summary>
public sealed record ArticleSubmission
{
    /// <summary>Where the article was published (http or https); its canonical form decides the article id.</summary>
    public string? Url { get; init; }

    /// <summary>Defaults to the first line of the text.</summary>
    public string? Title { get; init; }

    public string? Text { get; init; }

    /// <summary>The page's HTML, when there is no <see cref="Text"/>: its main text, title, byline and date are extracted.</summary>
    public string? Html { get; init; }

    /// <summary>The outlet; defaults to the URL's domain.</summary>
    public string? Source { get; init; }

    public IReadOnlyList<string>? Authors { get; init; }

    /// <summary>ISO 8601, e.g. 2024-01-30T10:00:00+01:00 (no offset: UTC), or RFC 1123.</summary>
    [JsonConverter(typeof(PublishedDateConverter))]
    public DateTimeOffset? Published { get; init; }

    /// <summary>ISO 639-1 code, e.g. "en".</summary>
    public string? Language { get; init; }
}
