using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Cli.Import;

/// <summary>
/// Maps one JSON object of the article dumps people have (the shapes in ../shared/data/articles and the ingestion
/// API's own) onto the ingestion API's article body. Field names are matched by their common aliases.
/// </summary>
public static class JsonlArticleMapper
{
    static readonly string[] UrlFields = ["canonical_link", "canonical_url", "url", "link", "news_url"];
    static readonly string[] TitleFields = ["title", "headline"];
    static readonly string[] TextFields = ["text", "body", "content", "articleBody"];
    static readonly string[] SourceFields = ["source", "outlet", "publisher", "site", "portal"];
    static readonly string[] PublishedFields = ["published", "publish_date", "published_at", "date"];
    static readonly string[] AuthorFields = ["authors", "author"];
    static readonly string[] LanguageFields = ["language", "lang"];

    /// <summary>Whether one of these field names is a text field the mapper knows.</summary>
    public static bool HasTextField(IEnumerable<string> names) => names.Any(n => TextFields.Contains(n, StringComparer.Ordinal));

    /// <summary>The API body for one line, or the reason it cannot be one; <paramref name="warning"/> notes a dropped field.</summary>
    public static JsonObject? Map(string line, out string? error, out string? warning)
    {
        error = null;
        warning = null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            error = $"not valid JSON: {e.Message.Split(" Path:", 2)[0]}";
            return null;
        }

        if (node is not JsonObject source)
        {
            error = "not a JSON object";
            return null;
        }

        return Map(source, out warning);
    }

    /// <summary>The API body for one object of named fields (a JSON line, a CSV row); <paramref name="warning"/> notes a dropped field.</summary>
    public static JsonObject Map(JsonObject source, out string? warning)
    {
        warning = null;
        var body = new JsonObject();
        Copy(source, body, "url", UrlFields);
        Copy(source, body, "title", TitleFields);
        Copy(source, body, "text", TextFields);
        Copy(source, body, "language", LanguageFields);

        if (First(source, SourceFields) is { } outlet)
        {
            body["source"] = Uri.TryCreate(outlet, UriKind.Absolute, out var outletUri) && outletUri.Scheme.StartsWith("http", StringComparison.Ordinal)
                ? outletUri.Host.Replace("www.", "", StringComparison.Ordinal)
                : outlet;
        }

        if (First(source, PublishedFields) is { } published)
        {
            if (DateTimeOffset.TryParse(published, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                body["published"] = date.ToString("O", CultureInfo.InvariantCulture);
            }
            else
            {
                warning = $"published '{published}' is not a date; imported without it";
            }
        }

        var authors = Authors(source);
        if (authors.Count > 0)
        {
            body["authors"] = new JsonArray([.. authors.Select(a => (JsonNode)JsonValue.Create(a))]);
        }

        return body;
    }

    static void Copy(JsonObject from, JsonObject to, string name, string[] aliases)
    {
        if (First(from, aliases) is { } value)
        {
            to[name] = value;
        }
    }

    static string? First(JsonObject source, string[] names)
    {
        foreach (var name in names)
        {
            if (source[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>An array of names, one name, or a stringified list such as "[['Wendy Gittleson']]".</summary>
    static List<string> Authors(JsonObject source)
    {
        foreach (var name in AuthorFields)
        {
            switch (source[name])
            {
                case JsonArray array:
                    return [.. array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().Select(Clean).Where(s => s.Length > 0)];
                case JsonValue value when value.TryGetValue<string>(out var text):
                    return [.. text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries).Select(Clean).Where(s => s.Length > 0)];
            }
        }

        return [];
    }

    static string Clean(string name) => name.Trim().Trim('[', ']', '\'', '"', ' ');
}
