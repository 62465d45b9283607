using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Ingestion.Language;

namespace Pipeline.Ingestion.Articles;

/// <summary>
/// Turns a submission into the <see cref="ArticleIngested"/> every service sees: validated, Unicode- and
/// whitespace-normalised text, canonical URL, outlet and the deterministic id.
/// </summary>
public sealed partial class ArticleNormalizer(IOptions<IngestionOptions> options, TimeProvider clock)
{
    const int DerivedTitleLength = 200;

    /// <summary>Longer URLs are refused: browsers, proxies and search engines give up well before this.</summary>
    public const int MaxUrlLength = 8192;

    static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src", "cmpid", "ocid", "_ga",
    };

    public bool TryNormalize(
        ArticleSubmission submission,
        [NotNullWhen(true)] out ArticleIngested? article,
        [NotNullWhen(false)] out ArticleRejection? rejection)
    {
        article = null;
        var limits = options.Value;

        var text = NormalizeText(submission.Text);
        if (text.Length == 0)
        {
            rejection = new("text", "text is required and must contain more than white space.");
            return false;
        }

        if (text.Length > limits.MaxTextLength)
        {
            rejection = new("text", $"text has {text.Length} characters; at most {limits.MaxTextLength} are accepted.");
            return false;
        }

        string? canonicalUrl = null;
        if (!string.IsNullOrWhiteSpace(submission.Url))
        {
            if (!TryCanonicalizeUrl(submission.Url.Trim(), out canonicalUrl))
            {
                rejection = new("url", $"url must be an absolute http or https URL of at most {MaxUrlLength} characters, got '{Truncate(submission.Url, 200)}'.");
                return false;
            }
        }

        var title = NormalizeLine(submission.Title);
        if (title.Length == 0)
        {
            title = Truncate(text.Split('\n', 2)[0], DerivedTitleLength);
        }
        else if (title.Length > limits.MaxTitleLength)
        {
            rejection = new("title", $"title has {title.Length} characters; at most {limits.MaxTitleLength} are accepted.");
            return false;
        }

        var language = NormalizeLine(submission.Language).ToLowerInvariant();
        if (language.Length > 0 && !LanguageCode().IsMatch(language))
        {
            rejection = new("language", $"language must be an ISO 639-1 code such as 'en', got '{Truncate(language, 20)}'.");
            return false;
        }

        var source = NormalizeLine(submission.Source);
        if (source.Length == 0 && canonicalUrl is not null)
        {
            source = OutletOf(new Uri(canonicalUrl));
        }

        var contentHash = ArticleIdentity.ContentHash(text);
        article = new ArticleIngested
        {
            ArticleId = ArticleIdentity.ArticleId(canonicalUrl, contentHash),
            CanonicalUrl = canonicalUrl,
            Source = source.Length == 0 ? null : source,
            Title = title,
            Authors = [.. (submission.Authors ?? []).Select(NormalizeLine).Where(a => a.Length > 0).Distinct()],
            PublishedAt = submission.Published?.ToUniversalTime(),
            Language = language.Length == 0 ? LanguageDetector.Detect(text) : language,
            Text = text,
            ContentHash = contentHash,
            IngestedAt = clock.GetUtcNow(),
        };
        rejection = null;
        return true;
    }

    /// <summary>NFC, LF line ends, no control characters, single spaces inside lines, at most one blank line in a row.</summary>
    /// <remarks>One pass over the characters (it runs for every article of every batch).</remarks>
    public static string NormalizeText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var source = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        var result = new StringBuilder(source.Length);
        var newlines = 0;
        var space = false;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\r' && i + 1 < source.Length && source[i + 1] == '\n')
            {
                continue;
            }

            if (c is '\n' or '\r' or '\f' or '\u0085' or '\u2028' or '\u2029')
            {
                if (result.Length > 0)
                {
                    newlines++;
                }

                space = false;
                continue;
            }

            if (IsInlineWhitespace(c) || char.IsControl(c))
            {
                space = result.Length > 0 && newlines == 0;
                continue;
            }

            if (newlines > 0)
            {
                result.Append(newlines > 1 ? "\n\n" : "\n");
                newlines = 0;
            }
            else if (space)
            {
                result.Append(' ');
            }

            space = false;
            result.Append(c);
        }

        return result.ToString();
    }

    static bool IsInlineWhitespace(char c) =>
        c is ' ' or '\t' or '\u00A0' or '\u202F' or '\u205F' or '\u3000' or (>= '\u2000' and <= '\u200B');

    static string NormalizeLine(string? line) =>
        string.IsNullOrWhiteSpace(line) ? "" : InlineWhitespace().Replace(ControlCharacters().Replace(line.Normalize(NormalizationForm.FormC), " "), " ").Trim();

    /// <summary>Lower-case scheme and host, no default port, fragment or tracking parameters, sorted query, no trailing slash.</summary>
    public static bool TryCanonicalizeUrl(string url, [NotNullWhen(true)] out string? canonical)
    {
        canonical = null;
        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        var query = uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(p.Split('=', 2)[0]))
            .Order(StringComparer.Ordinal)
            .ToList();
        var path = uri.AbsolutePath.Length > 1 ? uri.AbsolutePath.TrimEnd('/') : "";
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port;
        canonical = $"{uri.Scheme}://{CanonicalHost(uri)}{port}{path}{(query.Count > 0 ? "?" + string.Join('&', query) : "")}";
        return true;
    }

    /// <summary>
    /// The lower-case host; an IPv6 literal in brackets, compressed, with its zone id (if any) written as RFC 6874's
    /// <c>%25zone</c>. <see cref="Uri.IdnHost"/> alone drops the brackets (<c>http://::1:5101</c> is no URI) and
    /// <see cref="Uri.Host"/> drops the zone.
    /// </summary>
    static string CanonicalHost(Uri uri)
    {
        if (uri.HostNameType != UriHostNameType.IPv6)
        {
            return uri.IdnHost.ToLowerInvariant();
        }

        var idn = uri.IdnHost;
        var percent = idn.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0)
        {
            return uri.Host.ToLowerInvariant();
        }

        var zone = idn[(idn.AsSpan(percent).StartsWith("%25", StringComparison.Ordinal) ? percent + 3 : percent + 1)..];
        return $"{uri.Host.ToLowerInvariant().TrimEnd(']')}%25{Uri.EscapeDataString(Uri.UnescapeDataString(zone))}]";
    }

    static bool IsTracking(string parameter) =>
        parameter.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(parameter);

    static string OutletOf(Uri uri) => uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;

    static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "…";

    [GeneratedRegex(@"[ \t\u00A0\u2000-\u200B\u202F\u205F\u3000]+")]
    private static partial Regex InlineWhitespace();

    [GeneratedRegex(@"[\p{Cc}-[\n\t]]")]
    private static partial Regex ControlCharacters();

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]{2,8})?$")]
    private static partial Regex LanguageCode();
}
