using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Ingestion.Articles;

namespace Pipeline.Ingestion.Tests;

public sealed class ArticleNormalizerTests
{
    static ArticleNormalizer Normalizer() => new(Options.Create(new IngestionOptions()), TimeProvider.System);

    [Theory]
    [InlineData("HTTPS://WWW.Example.COM/News/Story/?utm_source=tw&b=2&a=1#comments", "https://www.example.com/News/Story?a=1&b=2")]
    [InlineData("http://example.com:80/", "http://example.com")]
    [InlineData("https://example.com:8443/a?fbclid=xyz", "https://example.com:8443/a")]
    public void Canonical_url_drops_tracking_fragment_default_port_and_sorts_the_query(string url, string expected)
    {
        Assert.True(ArticleNormalizer.TryCanonicalizeUrl(url, out var canonical));
        Assert.Equal(expected, canonical);
    }

    [Fact]
    public void Text_is_nfc_with_single_spaces_and_at_most_one_blank_line()
    {
        var text = "  Cafe\u0301  \t costs\u00A0 $3.\r\n\r\n\r\n\r\nSecond\u0007 paragraph.  ";
        Assert.Equal("Caf\u00e9 costs $3.\n\nSecond paragraph.", ArticleNormalizer.NormalizeText(text));
    }

    [Fact]
    public void Same_story_from_two_tracking_links_gets_one_id()
    {
        var normalizer = Normalizer();
        Assert.True(normalizer.TryNormalize(new ArticleSubmission { Url = "https://example.com/a?utm_campaign=x", Text = "Text" }, out var a, out _));
        Assert.True(normalizer.TryNormalize(new ArticleSubmission { Url = "https://example.com/a#top", Text = "Text" }, out var b, out _));
        Assert.Equal(a.ArticleId, b.ArticleId);
    }

    [Fact]
    public void Missing_title_and_source_are_derived_from_the_text_and_the_domain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-01-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var normalizer = new ArticleNormalizer(Options.Create(new IngestionOptions()), clock);

        Assert.True(normalizer.TryNormalize(new ArticleSubmission { Url = "https://www.cnn.com/x", Text = "Headline here\nBody text." }, out var article, out _));

        Assert.Equal("Headline here", article.Title);
        Assert.Equal("cnn.com", article.Source);
        Assert.Equal(clock.GetUtcNow(), article.IngestedAt);
    }

    [Fact]
    public void Text_over_the_limit_is_rejected_naming_the_field_and_the_limit()
    {
        var normalizer = new ArticleNormalizer(Options.Create(new IngestionOptions { MaxTextLength = 10 }), TimeProvider.System);

        Assert.False(normalizer.TryNormalize(new ArticleSubmission { Text = "This text is too long." }, out _, out var rejection));

        Assert.Equal("text", rejection.Field);
        Assert.Contains("at most 10", rejection.Message, StringComparison.Ordinal);
    }
}
