using System.Text;
using AngleSharp.Dom;

namespace Pipeline.Ingestion.Html;

/// <summary>
/// The readable text of an element: block boundaries (paragraphs, headings, list items, table rows, line breaks) become
/// line breaks, so "finished.</p><p>Engineers" reads "finished.\n\nEngineers", not "finished.Engineers"; boilerplate
/// (navigation, page header and footer, asides, scripts, forms, hidden elements) is left out.
/// </summary>
static class PageText
{
    static readonly HashSet<string> Boilerplate = new(StringComparer.OrdinalIgnoreCase)
    {
        "nav", "header", "footer", "aside", "script", "style", "noscript", "form", "template", "iframe", "svg", "button",
        "select", "object", "embed", "canvas", "dialog",
    };

    static readonly HashSet<string> BoilerplateRoles = new(StringComparer.OrdinalIgnoreCase) { "navigation", "banner", "contentinfo", "complementary", "search" };

    /// <summary>Elements whose start and end are paragraph breaks.</summary>
    static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl",
        "table", "figure", "figcaption", "address", "details", "summary", "fieldset", "hgroup", "hr", "caption",
    };

    /// <summary>Elements whose start and end are line breaks.</summary>
    static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase) { "li", "tr", "dt", "dd", "br", "thead", "tbody", "tfoot" };

    /// <summary>Elements whose start and end are spaces (table cells, so "1</td><td>2" does not read "12").</summary>
    static readonly HashSet<string> Cells = new(StringComparer.OrdinalIgnoreCase) { "td", "th" };

    public static string Of(INode root)
    {
        var text = new StringBuilder();
        Append(root, text, preformatted: false);
        return text.ToString();
    }

    public static bool IsBoilerplate(IElement element) =>
        Boilerplate.Contains(element.LocalName)
        || (element.GetAttribute("role") is { } role && BoilerplateRoles.Contains(role.Trim()))
        || element.HasAttribute("hidden")
        || string.Equals(element.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase);

    /// <remarks>Recursive: callers have refused trees deeper than <see cref="HtmlExtractor.MaxDepth"/>.</remarks>
    static void Append(INode node, StringBuilder text, bool preformatted)
    {
        switch (node)
        {
            case IText t:
                AppendText(t.Data, text, preformatted);
                return;
            case IElement element when IsBoilerplate(element):
                return;
            case IElement element:
                var name = element.LocalName;
                var separator = Paragraphs.Contains(name) ? "\n\n" : Lines.Contains(name) ? "\n" : Cells.Contains(name) ? " " : null;
                Break(text, separator);
                foreach (var child in element.ChildNodes)
                {
                    Append(child, text, preformatted || name == "pre");
                }

                Break(text, separator);
                return;
            default:
                foreach (var child in node.ChildNodes)
                {
                    Append(child, text, preformatted);
                }

                return;
        }
    }

    /// <summary>Outside pre, a run of white space (line breaks in the source included) is one space, as a browser shows it.</summary>
    static void AppendText(string data, StringBuilder text, bool preformatted)
    {
        if (preformatted)
        {
            text.Append(data);
            return;
        }

        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && !char.IsWhiteSpace(text[^1]))
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c);
            }
        }
    }

    /// <summary>Adds the separator unless the text already ends with one as strong: two rows of a table are one line break apart, not two.</summary>
    static void Break(StringBuilder text, string? separator)
    {
        if (separator is null || text.Length == 0)
        {
            return;
        }

        var newlines = 0;
        for (var i = text.Length - 1; i >= 0 && char.IsWhiteSpace(text[i]); i--)
        {
            newlines += text[i] == '\n' ? 1 : 0;
        }

        if (separator == " ")
        {
            if (!char.IsWhiteSpace(text[^1]))
            {
                text.Append(' ');
            }

            return;
        }

        text.Append('\n', Math.Max(0, separator.Length - newlines));
    }
}
