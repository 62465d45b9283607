using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.EntityLinking.Tests;

public sealed class NerLabelsTests
{
    [Fact]
    public void Spans_survive_encoding_as_bilou_labels()
    {
        (int, int, EntityType)[] spans = [(0, 0, EntityType.Per), (2, 4, EntityType.Org), (5, 6, EntityType.Misc)];
        var labels = new int[8];

        NerLabels.Encode(spans, labels);

        Assert.Equal(["U-PER", "O", "B-ORG", "I-ORG", "L-ORG", "B-MISC", "L-MISC", "O"], labels.Select(NerLabels.Name));
        Assert.Equal(spans, NerLabels.Decode(labels));
    }

    [Fact]
    public void A_name_can_only_go_on_with_its_own_type_and_must_be_closed()
    {
        var begin = Label("B-PER");

        Assert.False(NerLabels.IsAllowed(NerLabels.Outside, Label("I-PER")));
        Assert.False(NerLabels.IsAllowed(begin, Label("L-ORG")));
        Assert.False(NerLabels.IsAllowed(begin, NerLabels.Outside));
        Assert.True(NerLabels.IsAllowed(begin, Label("L-PER")));
        Assert.False(NerLabels.CanEnd(begin));
    }

    static int Label(string name) => Enumerable.Range(0, NerLabels.Count).Single(l => NerLabels.Name(l) == name);
}
