using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tests;

public sealed class ClaimRulesTests
{
    [Theory]
    [InlineData("China promised it would not interfere in the elections.", ClaimTypes.PromiseOrPolicy)]
    [InlineData("The senator accused the agency of hiding the report.", ClaimTypes.Accusation)]
    [InlineData("Beijing is trying to undermine confidence in the vote.", ClaimTypes.AttributionOfIntent)]
    [InlineData("Prices rose because the central bank printed money.", ClaimTypes.Causal)]
    [InlineData("Inflation will fall below 2 percent by 2026.", ClaimTypes.Prediction)]
    [InlineData("Unemployment was 3.7 percent in December.", ClaimTypes.Quantitative)]
    [InlineData("The president met the prime minister in Paris.", ClaimTypes.EventOrAction)]
    public void Type_follows_the_strongest_cue(string sentence, string expected) =>
        Assert.Equal(expected, ClaimRules.TypeOf(sentence).Type);

    [Theory]
    [InlineData("Taxes rose, according to a declassified U.S. intelligence report from December.", "a declassified U.S. intelligence report from December", ClaimAttribution.Document)]
    [InlineData("Taxes rose, Senator Elizabeth Warren said on Monday.", "Senator Elizabeth Warren", ClaimAttribution.NamedPerson)]
    [InlineData("Taxes rose, a senior official said.", "a senior official", ClaimAttribution.Anonymous)]
    [InlineData("Taxes rose, the Treasury Department said.", "the Treasury Department", ClaimAttribution.Organisation)]
    [InlineData("Taxes rose sharply last year.", "the author", ClaimAttribution.Author)]
    public void Attribution_keeps_the_source_as_written_and_classifies_its_kind(string sentence, string source, string kind) =>
        Assert.Equal(new ClaimAttribution(source, kind), ClaimRules.AttributionOf(sentence));

    [Theory]
    [InlineData("He allegedly took bribes.", EvidenceLevels.Alleged)]
    [InlineData("The plant may have leaked, officials said.", EvidenceLevels.Hedged)]
    [InlineData("The plant leaked, officials said.", EvidenceLevels.Reported)]
    [InlineData("The plant leaked.", EvidenceLevels.Asserted)]
    public void Evidence_level_distinguishes_allegation_hedge_report_and_assertion(string sentence, string expected) =>
        Assert.Equal(expected, ClaimRules.EvidenceLevelOf(sentence, ClaimRules.AttributionOf(sentence)));

    [Fact]
    public void Sentences_do_not_break_after_initials_or_titles()
    {
        var text = "China will not interfere in the U.S. 2024 elections, Mr. Wang said. Biden agreed.";
        var spans = Sentences.Split(text).Select(s => text[s.Start..s.End]).ToList();

        Assert.Equal(["China will not interfere in the U.S. 2024 elections, Mr. Wang said.", "Biden agreed."], spans);
    }
}
