using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.EntityLinking.Tests;

public sealed class GazetteerMatchesTests
{
    static EntityKnowledgeBase SmallKb() => EntityKnowledgeBase.Build(
    [
        new EntityRecord("Q15031", "Xi Jinping", [], "President of China", null, EntityType.Per, 0.8f),
        new EntityRecord("Q956", "Beijing", ["Peking"], "capital of China", null, EntityType.Loc, 0.6f),
        new EntityRecord("Q30", "United States", ["US", "U.S."], "country", null, EntityType.Loc, 0.9f, IsCountry: true),
    ]);

    static List<string> Codes(string text)
    {
        var tokens = new List<(int Start, int End)>();
        SurfaceForms.Tokenize(text, tokens);
        var codes = new byte[tokens.Count];
        GazetteerMatches.Find(text, tokens, SmallKb(), codes);
        return codes.Select(c => c == 0 ? "-" : $"{"BILU"[c & 3]}-{((EntityType)((c >> 2) & 7)).ToLabel()}").ToList();
    }

    [Fact]
    public void Tokens_are_marked_with_their_place_in_the_longest_kb_match_and_its_type()
    {
        Assert.Equal(["B-PER", "L-PER", "-", "U-LOC", "-"], Codes("Xi Jinping visited Beijing."));
    }

    [Fact]
    public void An_acronym_matches_only_in_upper_case_with_its_dots_and_a_full_stop_is_not_part_of_a_name()
    {
        Assert.Equal(["-", "B-LOC", "I-LOC", "I-LOC", "L-LOC", "-"], Codes("In U.S. history"));
        Assert.Equal(["-", "-", "-"], Codes("Tell us more"));
        Assert.Equal(["-", "U-LOC", "-"], Codes("In Peking."));
    }
}
