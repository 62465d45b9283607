using Pipeline.Contracts;

namespace Pipeline.Contracts.Tests;

public sealed class ArticleIdentityTests
{
    [Fact]
    public void Content_hash_is_the_sha256_of_the_utf8_text()
    {
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ArticleIdentity.ContentHash("abc"));
    }

    [Fact]
    public void Content_hash_distinguishes_texts_that_differ_in_one_character()
    {
        Assert.NotEqual(ArticleIdentity.ContentHash("Biden met Xi."), ArticleIdentity.ContentHash("Biden met Xi!"));
    }

    [Fact]
    public void Article_id_is_deterministic_and_32_lower_case_hex_characters()
    {
        var hash = ArticleIdentity.ContentHash("text");
        var id = ArticleIdentity.ArticleId("https://example.com/a", hash);

        Assert.Equal(id, ArticleIdentity.ArticleId("https://example.com/a", hash));
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public void Article_id_follows_the_canonical_url_when_there_is_one_so_an_edited_story_keeps_its_id()
    {
        var before = ArticleIdentity.ArticleId("https://example.com/a", ArticleIdentity.ContentHash("first version"));
        var after = ArticleIdentity.ArticleId("https://example.com/a", ArticleIdentity.ContentHash("corrected version"));
        var other = ArticleIdentity.ArticleId("https://example.com/b", ArticleIdentity.ContentHash("first version"));

        Assert.Equal(before, after);
        Assert.NotEqual(before, other);
    }

    [Fact]
    public void Article_id_without_url_follows_the_text()
    {
        var a = ArticleIdentity.ArticleId(null, ArticleIdentity.ContentHash("one"));
        var b = ArticleIdentity.ArticleId("", ArticleIdentity.ContentHash("one"));
        var c = ArticleIdentity.ArticleId(null, ArticleIdentity.ContentHash("two"));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Article_id_of_a_url_never_collides_with_an_id_of_a_text()
    {
        var hash = ArticleIdentity.ContentHash("x");
        Assert.NotEqual(ArticleIdentity.ArticleId(null, hash), ArticleIdentity.ArticleId(hash, hash));
    }
}
