using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.EntityLinking.Tests;

public sealed class NerTaggerTests
{
    const string Sentence = "Joe Biden met Xi Jinping in Beijing on Tuesday.";

    static (List<(int Start, int End)> Tokens, IReadOnlyList<NamedSpan> Spans) Tag(NerTagger tagger, string text, EntityKnowledgeBase? gazetteer = null)
    {
        var tokens = new List<(int Start, int End)>();
        SurfaceForms.Tokenize(text, tokens);
        return (tokens, tagger.Tag(text, tokens, gazetteer));
    }

    static List<(string Text, EntityType Type)> Named(NerTagger tagger, string text, EntityKnowledgeBase? gazetteer = null)
    {
        var (tokens, spans) = Tag(tagger, text, gazetteer);
        return spans.Select(s => (text[tokens[s.FirstToken].Start..tokens[s.LastToken].End], s.Type)).ToList();
    }

    static readonly string[] FirstNames = ["Alice", "Bruno", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemal", "Lena"];
    static readonly string[] LastNames = ["Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Sato", "Tanaka", "Ulrich", "Varga", "Weber", "Yilmaz"];

    /// <summary>A person's name in two frames, and capitalised words that are not names (sentence starts, a heading).</summary>
    static List<NerExample> ToyCorpus()
    {
        var examples = new List<NerExample>();
        for (var i = 0; i < FirstNames.Length; i++)
        {
            var name = $"{FirstNames[i]} {LastNames[(i * 5) % LastNames.Length]}";
            var text = $"Reports\nYesterday {name} said that the plan works. The plan was written by {name} last year.";
            var first = text.IndexOf(name, StringComparison.Ordinal);
            var second = text.LastIndexOf(name, StringComparison.Ordinal);
            examples.Add(NerExample.Create($"toy-{i}", text, [(first, first + name.Length, EntityType.Per), (second, second + name.Length, EntityType.Per)]));
        }

        return examples;
    }

    static NerTagger TrainToy() => NerTrainer.Train(ToyCorpus(), new NerTrainingOptions { Features = NerFeatureSet.Core, Epochs = 5 }, gazetteer: null);

    [Fact]
    public void The_perceptron_learns_a_pattern_and_generalises_to_an_unseen_name_in_the_same_frame()
    {
        var tagger = TrainToy();

        Assert.Equal([("Alice Moreau", EntityType.Per), ("Alice Moreau", EntityType.Per)], Named(tagger, ToyCorpus()[0].Text));
        Assert.Equal([("Zoltan Quarrington", EntityType.Per)], Named(tagger, "Yesterday Zoltan Quarrington said that the plan works."));
        Assert.Empty(Named(tagger, "Reports\nThe plan works."));
    }

    [Fact]
    public void Training_twice_gives_identical_weight_bytes()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        TrainToy().Write(first);
        TrainToy().Write(second);

        Assert.True(first.Length > 0);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Weights_read_back_are_the_weights_written()
    {
        var tagger = TrainToy();
        using var written = new MemoryStream();
        tagger.Write(written);

        written.Position = 0;
        var loaded = NerTagger.Load(written);
        using var rewritten = new MemoryStream();
        loaded.Write(rewritten);

        Assert.Equal(written.ToArray(), rewritten.ToArray());
        Assert.Equal(Tag(tagger, "Yesterday Greta Sato said that the plan works.").Spans, Tag(loaded, "Yesterday Greta Sato said that the plan works.").Spans);
    }

    [Fact]
    public void A_file_that_is_not_weights_is_rejected()
    {
        using var junk = new MemoryStream("{\"not\": \"weights\"}"u8.ToArray());

        Assert.Throws<InvalidDataException>(() => NerTagger.Load(junk));
    }

    [Fact]
    public void The_built_in_model_with_the_bundled_kb_finds_people_and_places_and_not_weekdays()
    {
        var named = Named(NerTagger.LoadBuiltIn(), Sentence, SharedKnowledgeBase.Require());

        Assert.Equal([("Joe Biden", EntityType.Per), ("Xi Jinping", EntityType.Per), ("Beijing", EntityType.Loc)], named);
    }

    [Fact]
    public void The_built_in_model_without_a_kb_still_finds_the_names()
    {
        // Without the gazetteer the types are less sure (it was trained with the KB), the spans hold.
        var named = Named(NerTagger.LoadBuiltIn(), Sentence).Select(n => n.Text);

        Assert.Equal(["Joe Biden", "Xi Jinping", "Beijing"], named);
    }

    [Fact]
    public void Scores_are_confidences_and_a_title_is_left_out_of_a_name()
    {
        const string text = "Chinese Foreign Minister Wang Yi arrived.";

        var (tokens, spans) = Tag(NerTagger.LoadBuiltIn(), text);

        Assert.All(spans, s => Assert.InRange(s.Score, 0f, 1f));
        Assert.Equal(["Wang Yi"], spans.Select(s => text[tokens[s.FirstToken].Start..tokens[s.LastToken].End]));
    }

    [Theory]
    [InlineData("Chinese Foreign Minister Wang Yi", "Wang Yi")]
    [InlineData("Mr. Sullivan", "Sullivan")]
    [InlineData("U.S. President Joe Biden", "Joe Biden")]
    [InlineData("Lord Byron", "Lord Byron")]
    [InlineData("President", "President")]
    public void A_person_span_starts_after_its_titles(string span, string name)
    {
        var tokens = new List<(int Start, int End)>();
        SurfaceForms.Tokenize(span, tokens);

        var first = PersonTitles.NameStart(span, tokens, 0, tokens.Count - 1);

        Assert.Equal(name, span[tokens[first].Start..]);
    }

    [Fact]
    public void No_tokens_no_names()
    {
        Assert.Empty(NerTagger.LoadBuiltIn().Tag("", [], null));
    }
}
