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
    [InlineData("Taxes rose, according to the company, which analysts said was wrong.", "the company", ClaimAttribution.Organisation)]
    public void Attribution_keeps_the_source_as_written_and_classifies_its_kind(string sentence, string source, string kind) =>
        Assert.Equal(new ClaimAttribution(source, kind), ClaimRules.AttributionOf(sentence));

    [Theory]
    [InlineData("A senior intelligence official said last week that the National Security Agency (NSA) had not seen any recent signs of foreign meddling ahead of the U.S. elections in November, according to CNN.",
        "A senior intelligence official, according to CNN")]
    [InlineData("According to CNN, two officials said the talks had failed.", "two officials, according to CNN")]
    public void A_speaker_relayed_by_an_outlet_is_the_source_and_the_outlet_stays_in_its_text(string sentence, string source) =>
        Assert.Equal(new ClaimAttribution(source, ClaimAttribution.Anonymous), ClaimRules.AttributionOf(sentence));

    [Theory]
    [InlineData("China will not meddle in the elections, two people with knowledge of the talks told CNN.", true)]
    [InlineData("Meta shut down thousands of accounts, the company reported.", true)]
    [InlineData("The plant may have leaked 300 tonnes, officials said.", false)]
    [InlineData("Well, I said we would cut taxes by 10 percent.", false)]
    [InlineData("Taxes rose by 10 percent last year.", false)]
    public void Reported_claims_are_cued_statements_attributed_to_a_source_without_hedging(string sentence, bool expected) =>
        Assert.Equal(expected, ClaimRules.IsReportedClaim(sentence));

    [Theory]
    [InlineData("Jake Smith on January 30, 2024 (Daily Caller News Foundation)")]
    [InlineData("By Jane Doe and John Roe, Reuters")]
    [InlineData("By JANE DOE | January 30, 2024")]
    [InlineData("Updated 5:30 PM ET, Tue January 30, 2024")]
    [InlineData("Published 30 Jan 2024")]
    public void Bylines_and_datelines_are_recognised(string line) =>
        Assert.True(ClaimRules.IsByline(line));

    [Theory]
    [InlineData("The White House did not immediately respond to a request for comment.", true)]
    [InlineData("Meta declined to comment.", true)]
    [InlineData("A spokesman for the ministry could not be reached for comment on Tuesday.", true)]
    [InlineData("The company has not responded to several emails.", true)]
    [InlineData("China did not respond to the sanctions with tariffs of its own, which cost farmers $2 billion.", false)]
    [InlineData("The senator declined to support the bill, which would have cut taxes by 10 percent.", false)]
    public void A_source_declining_to_comment_is_recognised(string sentence, bool expected) =>
        Assert.Equal(expected, ClaimRules.IsNoComment(sentence));

    [Theory]
    [InlineData("Biden won 306 electoral votes on November 3, 2020.")]
    [InlineData("By 2030, China will have 1,000 nuclear warheads.")]
    [InlineData("By Monday, Congress must pass the bill.")]
    [InlineData("Jake Smith said on January 30, 2024 that taxes rose.")]
    [InlineData("Unemployment was 3.7 percent in December.")]
    public void Statements_with_names_and_dates_are_not_bylines(string sentence) =>
        Assert.False(ClaimRules.IsByline(sentence));

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
