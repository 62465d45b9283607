using System.Diagnostics.CodeAnalysis;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Pipeline.Ingestion.Articles;
using SmartReader;

namespace Pipeline.Ingestion.Html;

/// <summary>
/// The main text of a news page (SmartReader, a port of Mozilla's Readability, over AngleSharp): title, byline,
/// language and publication date where the page has them. Pages nested deeper than <see cref="MaxDepth"/> elements
/// are refused before extraction (the extractor walks the tree recursively).
/// </summary>
public sealed class HtmlExtractor
{
    public const int MaxDepth = 400;

    static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    public sealed record Extracted(string Text, string? Title, string? Byline, string? Language, DateTimeOffset? Published);

    public bool TryExtract(string html, string? url, [NotNullWhen(true)] out Extracted? extracted, [NotNullWhen(false)] out ArticleRejection? rejection)
    {
        extracted = null;
        using var document = Parser.ParseDocument(html);
        var depth = Depth(document);
        if (depth > MaxDepth)
        {
            rejection = new("html", $"The HTML is nested {depth} elements deep; at most {MaxDepth} are accepted.");
            return false;
        }

        // SmartReader resolves the page's links against its address and throws on one that is not an absolute URI; such
        // a url is then refused by the normaliser, which names the field, instead of failing the request (or a batch).
        var address = Uri.TryCreate(url, UriKind.Absolute, out _) ? url! : "https://example.invalid/";
        var reader = new Reader(address, (IHtmlDocument)document);
        var article = reader.GetArticle();
        var text = article.IsReadable ? article.TextContent : document.Body?.TextContent;
        if (string.IsNullOrWhiteSpace(text))
        {
            rejection = new("html", "No article text could be extracted from the HTML.");
            return false;
        }

        extracted = new Extracted(
            text,
            string.IsNullOrWhiteSpace(article.Title) ? document.Title : article.Title,
            string.IsNullOrWhiteSpace(article.Byline) ? null : article.Byline,
            string.IsNullOrWhiteSpace(article.Language) ? null : article.Language,
            article.PublicationDate is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, date.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : date.Kind)) : null);
        rejection = null;
        return true;
    }

    /// <summary>The element depth of the tree, walked without recursion.</summary>
    static int Depth(IDocument document)
    {
        var max = 0;
        var stack = new Stack<(IElement Element, int Depth)>();
        if (document.DocumentElement is { } root)
        {
            stack.Push((root, 1));
        }

        while (stack.Count > 0)
        {
            var (element, depth) = stack.Pop();
            max = Math.Max(max, depth);
            if (max > MaxDepth)
            {
                return max;
            }

            foreach (var child in element.Children)
            {
                stack.Push((child, depth + 1));
            }
        }

        return max;
    }
}
