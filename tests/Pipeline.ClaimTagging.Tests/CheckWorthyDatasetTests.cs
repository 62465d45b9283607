using Pipeline.ClaimTagging.Offline;

namespace Pipeline.ClaimTagging.Tests;

public sealed class CheckWorthyDatasetTests
{
    [Fact]
    public void Merged_records_and_doubled_quotes_are_read_as_the_sentences_they_are()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path,
            [
                "Sentence_id\tText\tclass_label",
                "1\t\"He said \"\"read my lips\"\" twice.\"\tYes",
                "24098\tWe've got to invest and grow.\tNo29286\tYou can't bring back jobs.\tNo",
            ]);

            var sentences = CheckWorthyDataset.Read(path);

            Assert.Equal(
            [
                new LabelledSentence(1, "He said \"read my lips\" twice.", true),
                new LabelledSentence(24098, "We've got to invest and grow.", false),
                new LabelledSentence(29286, "You can't bring back jobs.", false),
            ], sentences);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_label_other_than_yes_or_no_is_reported_with_its_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["Sentence_id\tText\tclass_label", "1\tText\tMaybe"]);

            var error = Assert.Throws<FormatException>(() => CheckWorthyDataset.Read(path));
            Assert.Contains(":2:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
