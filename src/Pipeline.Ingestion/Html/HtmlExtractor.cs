using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
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
public sealed partial class HtmlExtractor
{
    public const int MaxDepth = 400;

    /// <summary>A title derived from a heading or the text is cut (at a word boundary) to this length.</summary>
    public const int MaxTitleLength = 200;

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

        // Read before SmartReader runs: it rewrites the document it is given.
        var title = NonEmpty(document.Title);
        var heading = FirstHeading(document);
        var main = MainContent(document) is { } root ? PageText.Of(root) : null;
        var whole = main is null && document.Body is { } body ? PageText.Of(body) : null;

        // SmartReader resolves the page's links against its address and throws on one that is not an absolute URI; such
        // a url is then refused by the normaliser, which names the field, instead of failing the request (or a batch).
        var address = Uri.TryCreate(url, UriKind.Absolute, out _) ? url! : "https://example.invalid/";
        var reader = new Reader(address, (IHtmlDocument)document);
        var article = reader.GetArticle();
        var text = NonEmpty(main) ?? (article.IsReadable ? ContentText(article.Content) : null) ?? whole;
        if (string.IsNullOrWhiteSpace(text))
        {
            rejection = new("html", "No article text could be extracted from the HTML.");
            return false;
        }

        extracted = new Extracted(
            text,
            title is null ? heading ?? FirstSentence(ArticleNormalizer.NormalizeText(text)) : NonEmpty(article.Title) ?? title,
            NonEmpty(article.Byline),
            NonEmpty(article.Language),
            article.PublicationDate is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, date.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : date.Kind)) : null);
        rejection = null;
        return true;
    }

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// The page's own mark-up for its story, when it has one: the longest &lt;article&gt; (inside &lt;main&gt; when
    /// there is one), else &lt;main&gt;. Pages without it are left to SmartReader's scoring.
    /// </summary>
    static IElement? MainContent(IDocument document)
    {
        var main = document.QuerySelector("main, [role=main]");
        var articles = (main ?? (IParentNode)document).QuerySelectorAll("article").Where(a => !a.Ancestors<IElement>().Any(PageText.IsBoilerplate)).ToList();
        return articles.Count > 0 ? articles.MaxBy(a => a.TextContent.Length) : main;
    }

    /// <summary>The text of SmartReader's extracted content, with its block boundaries kept.</summary>
    static string? ContentText(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        using var extracted = Parser.ParseDocument(content);
        return extracted.Body is { } body ? NonEmpty(PageText.Of(body)) : null;
    }

    /// <summary>The first h1 with text, else the first other heading.</summary>
    static string? FirstHeading(IDocument document)
    {
        var headings = document.QuerySelectorAll("h1, h2, h3, h4, h5, h6").Select(h => (h.LocalName, Text: NonEmpty(ArticleNormalizer.NormalizeText(h.TextContent).Replace('\n', ' ')))).Where(h => h.Text is not null).ToList();
        var heading = headings.FirstOrDefault(h => h.LocalName == "h1").Text ?? headings.FirstOrDefault().Text;
        return heading is null ? null : Capped(heading);
    }

    /// <summary>The text's first sentence (or first line, when that is shorter), capped at a word boundary.</summary>
    internal static string FirstSentence(string text)
    {
        var line = text.Split('\n', 2)[0];
        var sentence = FirstSentenceOfLine().Match(line);
        return Capped(sentence.Success ? sentence.Value : line);
    }

    static string Capped(string title)
    {
        if (title.Length <= MaxTitleLength)
        {
            return title;
        }

        var space = title.LastIndexOf(' ', MaxTitleLength - 1);
        return title[..(space > MaxTitleLength / 2 ? space : MaxTitleLength - 1)].TrimEnd() + "…";
    }

    /// <summary>Up to the first . ! or ? (with any closing quote or bracket) followed by a space, at least 20 characters in, so "Dr." does not end it.</summary>
    [GeneratedRegex(@"^.{19,}?[.!?][""'”’)\]]*(?=\s)")]
    private static partial Regex FirstSentenceOfLine();

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
