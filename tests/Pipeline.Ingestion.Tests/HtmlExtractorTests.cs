using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Html;

namespace Pipeline.Ingestion.Tests;

public sealed class HtmlExtractorTests
{
    /// <summary>A page as news sites write them: banner, menus, a sidebar, a newsletter form and a footer around the story.</summary>
    const string RealisticPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Bridge reopens after repairs - The Valley Courier</title>
        <script>window.dataLayer = [{"page": "article"}];</script><style>.nav { color: red }</style></head>
        <body>
          <div role="banner"><a href="/">The Valley Courier</a> <span>Subscribe today</span></div>
          <header class="site-header"><a href="/">Home</a><a href="/local">Local</a><a href="/weather">Weather forecast</a></header>
          <nav aria-label="Sections"><ul><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport results</a></li></ul></nav>
          <div role="navigation"><a href="/archive">Archive index</a></div>
          <main>
            <article>
              <h1>Bridge reopens after two years of repairs</h1>
              <p>The river bridge reopened to traffic on Monday after a repair programme that ran a year over schedule. The work finished.</p><p>Engineers found corroded cables during the first inspection, which forced the closure in the spring of last year.</p>
              <div>Drivers queued<br>from early morning</div>
              <ul><li>Cost: 40 million</li><li>Length: 1.2 km</li></ul>
              <table><tr><td>Opened</td><td>1961</td></tr><tr><td>Reopened</td><td>2024</td></tr></table>
              <blockquote>It is a relief for the whole town,</blockquote><p>said the mayor, who cut the ribbon.</p>
              <form><label>Get our newsletter</label><input name="email"><button>Sign up now</button></form>
            </article>
            <aside><h2>Most read</h2><p>Ten ways to save on heating bills this winter</p></aside>
          </main>
          <noscript>Please enable JavaScript to view the comments.</noscript>
          <footer><p>Copyright The Valley Courier. Cookie settings.</p></footer>
          <div role="contentinfo">Contact the newsroom</div>
          <script>trackPageView();</script>
        </body></html>
        """;

    static HtmlExtractor.Extracted Extract(string html)
    {
        Assert.True(new HtmlExtractor().TryExtract(html, "https://courier.example.com/bridge", out var extracted, out var rejection), rejection?.Message);
        return extracted;
    }

    static string TextOf(string html) => ArticleNormalizer.NormalizeText(Extract(html).Text);

    [Fact]
    public void Block_elements_are_paragraph_and_line_breaks_not_glued_words()
    {
        var text = TextOf(RealisticPage);

        Assert.Contains("The work finished.\n\nEngineers found corroded cables", text, StringComparison.Ordinal);
        Assert.Contains("Drivers queued\nfrom early morning", text, StringComparison.Ordinal);
        Assert.Contains("Cost: 40 million\nLength: 1.2 km", text, StringComparison.Ordinal);
        Assert.Contains("Opened 1961\nReopened 2024", text, StringComparison.Ordinal);
        Assert.Contains("whole town,\n\nsaid the mayor", text, StringComparison.Ordinal);
        Assert.DoesNotContain("finished.Engineers", text, StringComparison.Ordinal);
        Assert.StartsWith("Bridge reopens after two years of repairs\n\nThe river bridge", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Navigation_header_footer_asides_scripts_and_forms_are_left_out()
    {
        var text = TextOf(RealisticPage);

        foreach (var boilerplate in new[]
        {
            "Subscribe today", "Weather forecast", "Sport results", "Archive index", "Most read", "heating bills",
            "enable JavaScript", "Cookie settings", "Contact the newsroom", "dataLayer", "trackPageView", "color: red",
            "newsletter", "Sign up now",
        })
        {
            Assert.DoesNotContain(boilerplate, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_page_without_article_or_main_keeps_paragraph_breaks_and_drops_its_boilerplate()
    {
        var html = RealisticPage.Replace("<main>", "<div id=\"content\">", StringComparison.Ordinal).Replace("</main>", "</div>", StringComparison.Ordinal)
            .Replace("<article>", "<div class=\"story\">", StringComparison.Ordinal).Replace("</article>", "</div>", StringComparison.Ordinal);

        var text = TextOf(html);

        Assert.Contains("The work finished.\n\nEngineers found corroded cables", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sport results", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cookie settings", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_article_element_is_preferred_to_longer_text_around_it()
    {
        var sidebar = string.Concat(Enumerable.Repeat("<p>Sponsored: a long promotional paragraph about holiday offers, with many words in it to look like content.</p>", 20));
        var html = $"<html><head><title>Story</title></head><body><div class=\"promo\">{sidebar}</div><article><p>The council approved the new school budget on Tuesday evening.</p><p>Teachers welcomed the decision.</p></article></body></html>";

        var text = TextOf(html);

        Assert.Equal("The council approved the new school budget on Tuesday evening.\n\nTeachers welcomed the decision.", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<title>   </title>")]
    public void Without_a_title_the_first_h1_is_the_title(string head)
    {
        var html = $"<html><head>{head}</head><body><header><h2>Valley Courier</h2></header><article><h1>Bridge  reopens\nafter repairs</h1><p>The river bridge reopened on Monday. Engineers had found corroded cables.</p></article></body></html>";

        Assert.Equal("Bridge reopens after repairs", Extract(html).Title);
    }

    [Fact]
    public void Without_a_title_or_h1_another_heading_is_the_title()
    {
        var html = "<html><body><article><h3>Council approves budget</h3><p>The council approved the budget on Tuesday. Teachers welcomed it.</p></article></body></html>";

        Assert.Equal("Council approves budget", Extract(html).Title);
    }

    [Fact]
    public void Without_a_title_or_heading_the_first_sentence_is_the_title()
    {
        var html = "<html><body><p>Dr. Smith said the river bridge reopened to traffic on Monday. Engineers had found corroded cables in the spring. The repairs cost 40 million.</p></body></html>";

        Assert.Equal("Dr. Smith said the river bridge reopened to traffic on Monday.", Extract(html).Title);
    }

    [Fact]
    public void A_derived_title_is_capped_at_a_word_boundary()
    {
        var sentence = string.Join(' ', Enumerable.Repeat("The committee examined every line item of the proposal", 8)) + ".";
        var html = $"<html><body><p>{sentence} Another sentence follows.</p></body></html>";

        var title = Extract(html).Title!;

        Assert.True(title.Length <= HtmlExtractor.MaxTitleLength, title);
        Assert.EndsWith("…", title, StringComparison.Ordinal);
        Assert.StartsWith(title[..^1], sentence, StringComparison.Ordinal);
        Assert.Equal(' ', sentence[title.Length - 1]);
    }

    [Fact]
    public void The_title_element_still_wins_when_present() =>
        Assert.Contains("Bridge reopens after repairs", Extract(RealisticPage).Title, StringComparison.Ordinal);
}
