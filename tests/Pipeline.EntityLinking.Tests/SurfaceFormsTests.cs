using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Tests;

public sealed class SurfaceFormsTests
{
    [Theory]
    [InlineData("U.S.", "us")]
    [InlineData("U.S", "us")]
    [InlineData("US", "us")]
    [InlineData("N.J.", "nj")]
    [InlineData("J. P. Morgan", "jp morgan")]
    [InlineData("George W. Bush", "george w bush")]
    [InlineData("Rolls-Royce", "rolls royce")]
    [InlineData("Rolls Royce", "rolls royce")]
    [InlineData("Merck & Co.", "merck and co")]
    [InlineData("Tenn.", "tenn")]
    [InlineData("The Boeing Company", "boeing co")]
    [InlineData("General Electric Co.", "general electric co")]
    [InlineData("Beijing’s", "beijing ' s")]
    public void Spelling_variants_of_a_name_share_one_key(string surface, string key) =>
        Assert.Equal(key, SurfaceForms.Key(surface));

    [Fact]
    public void A_form_without_letters_or_digits_has_no_key()
    {
        Assert.Null(SurfaceForms.Key("-"));
        Assert.Null(SurfaceForms.Key("..."));
    }
}
