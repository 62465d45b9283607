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
    [InlineData("http://[::1]:5101/", "http://[::1]:5101")]
    [InlineData("HTTP://[2001:DB8:0:0::1]/Story/?utm_medium=x", "http://[2001:db8::1]/Story")]
    [InlineData("https://[::FFFF:127.0.0.1]:443/a#x", "https://[::ffff:127.0.0.1]/a")]
    [InlineData("http://[FE80::1%25eth0]:8080/a", "http://[fe80::1%25eth0]:8080/a")]
    [InlineData("http://[fe80::1%eth0]/a", "http://[fe80::1%25eth0]/a")]
    [InlineData("http://192.168.000.001/a", "http://192.168.0.1/a")]
    public void Canonical_url_drops_tracking_fragment_default_port_and_sorts_the_query(string url, string expected)
    {
        Assert.True(ArticleNormalizer.TryCanonicalizeUrl(url, out var canonical));
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("http://[::1]:5101/story", "[::1]")]
    [InlineData("http://[::ffff:127.0.0.1]:5102/story", "[::ffff:127.0.0.1]")]
    [InlineData("http://[fe80::1%25eth0]/story", "[fe80::1]")]
    public void An_ipv6_literal_url_is_accepted_and_its_canonical_form_is_a_uri_again(string url, string source)
    {
        Assert.True(Normalizer().TryNormalize(new ArticleSubmission { Url = url, Text = "Text at an IPv6 address." }, out var article, out var rejection), rejection?.Message);

        Assert.True(Uri.TryCreate(article.CanonicalUrl, UriKind.Absolute, out var canonical));
        Assert.True(ArticleNormalizer.TryCanonicalizeUrl(canonical.OriginalString, out var again));
        Assert.Equal(article.CanonicalUrl, again);
        Assert.Equal(source, article.Source);
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
