using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Linking;

namespace Pipeline.EntityLinking.Tests;

/// <summary>Mention regions, candidate spans and match kinds over a small KB (no shared data, no trained model needed).</summary>
public sealed class CandidateGenerationTests
{
    static readonly EntityKnowledgeBase Kb = EntityKnowledgeBase.Build(
    [
        new EntityRecord("Q30", "United States of America", ["U.S.", "United States", "US"], "country in North America", "United States", EntityType.Loc, 1f, IsCountry: true),
        new EntityRecord("Q953944", "United States Securities and Exchange Commission", [], "government agency", null, EntityType.Org, 0.4f),
        new EntityRecord("Q21637", "American Civil Liberties Union", [], "civil rights organization", null, EntityType.Org, 0.5f),
        new EntityRecord("Q57100", "Maria Goeppert Mayer", [], "physicist", null, EntityType.Per, 0.5f),
        new EntityRecord("Q207", "George W. Bush", ["George Walker Bush"], "president of the United States", null, EntityType.Per, 0.9f),
        new EntityRecord("Q15031", "Xi Jinping", [], "President of China", null, EntityType.Per, 0.9f),
        new EntityRecord("Q8333", "Federal Bureau of Investigation", ["FBI"], "federal law enforcement agency", null, EntityType.Org, 0.8f),
        new EntityRecord("Q1553390", "United States Department of Justice", ["Department of Justice"], "federal executive department", null, EntityType.Org, 0.7f),
        new EntityRecord("Q43788", "Madison", ["Madison, Wisconsin"], "capital city of Wisconsin", "Madison, Wisconsin", EntityType.Loc, 0.6f),
        new EntityRecord("Q1537", "Wisconsin", [], "state of the United States", null, EntityType.Loc, 0.7f),
        new EntityRecord("Q1351061", "Salk Institute for Biological Studies", [], "research institute", null, EntityType.Org, 0.4f),
        new EntityRecord("Q40469", "Associated Press", ["AP"], "American news agency", null, EntityType.Org, 0.8f),
        new EntityRecord("Q1357316", "Union Carbide", [], "chemical company", null, EntityType.Org, 0.5f),
        new EntityRecord("Q36312", "Carbide", [], "chemical compound", null, EntityType.Misc, 0.5f),
        new EntityRecord("Q3", "Union", [], "village in Iowa", null, EntityType.Loc, 0.2f),
    ]);

    sealed class FixedTagger(params (string Text, EntityType Type)[] names) : IMentionTagger
    {
        public IReadOnlyList<TaggedMention> Tag(LinkingDocument document)
        {
            var found = new List<TaggedMention>();
            foreach (var (text, type) in names)
            {
                var start = document.Text.IndexOf(text, StringComparison.Ordinal);
                var first = document.Tokens.FindIndex(t => t.Start == start);
                var last = document.Tokens.FindIndex(t => t.End == start + text.Length);
                found.Add(new TaggedMention(first, last, type));
            }

            return found;
        }
    }

    static List<MentionRegion> Regions(string text, IMentionTagger? tagger = null)
    {
        var linker = new EntityLinker(Kb, new LinkerSettings(), model: null, tagger);
        return linker.Prepare(text).Regions;
    }

    static IEnumerable<(string Span, string Qid, MatchKind Kind)> Candidates(string text, IMentionTagger? tagger = null)
    {
        var document = new LinkingDocument(text);
        return Regions(text, tagger).SelectMany(r => r.Spans).SelectMany(s => s.Candidates.Select(c => (document.SpanText(s.FirstToken, s.LastToken), Kb.Qids[c.Entity], c.Kind)));
    }

    [Fact]
    public void Derived_forms_family_names_first_and_last_names_and_acronyms_are_candidates_of_their_kind()
    {
        var found = Candidates("The Securities and Exchange Commission met Goeppert Mayer, George Bush and the ACLU. Bush left.").ToList();

        Assert.Contains(("Securities and Exchange Commission", "Q953944", MatchKind.Derived), found);
        Assert.Contains(("Goeppert Mayer", "Q57100", MatchKind.FamilyName), found);
        Assert.Contains(("George Bush", "Q207", MatchKind.ShortName), found);
        Assert.Contains(("ACLU", "Q21637", MatchKind.Initials), found);
        Assert.Contains(("Bush", "Q207", MatchKind.FamilyName), found);
    }

    [Fact]
    public void A_name_with_a_legal_form_the_kb_does_not_list_is_a_candidate_span_of_the_company()
    {
        var found = Candidates("Shares of Union Carbide Corp. fell, and Union Carbide Co Inc said nothing.").ToList();

        Assert.Contains(("Union Carbide Corp", "Q1357316", MatchKind.LegalForm), found);
        Assert.Contains(("Union Carbide Co Inc", "Q1357316", MatchKind.LegalForm), found);
        Assert.DoesNotContain(found, c => c.Kind == MatchKind.LegalForm && c.Qid == "Q3");
    }

    [Fact]
    public void An_acronym_in_the_kb_is_only_a_candidate_where_the_text_writes_it_in_capitals()
    {
        var found = Candidates("The FBI said so. Then the Fbi left, and us too.").ToList();

        Assert.Contains(found, c => c.Span == "FBI" && c.Qid == "Q8333");
        Assert.DoesNotContain(found, c => c.Span == "Fbi");
        Assert.DoesNotContain(found, c => c.Qid == "Q30");
    }

    [Fact]
    public void A_leading_article_starts_no_span_and_nested_spans_are_all_kept()
    {
        var found = Candidates("Reporters from The Associated Press asked the Salk Institute.").ToList();

        Assert.Contains(("Associated Press", "Q40469", MatchKind.Label), found);
        Assert.DoesNotContain(found, c => c.Span.StartsWith("The ", StringComparison.Ordinal));
        Assert.Contains(("Salk Institute", "Q1351061", MatchKind.Derived), found);
    }

    [Fact]
    public void Names_joined_by_a_comma_form_one_region_when_the_kb_knows_the_whole()
    {
        var regions = Regions("She moved to Madison, Wisconsin in 1990 and to Paris, Texas later.");
        var document = new LinkingDocument("She moved to Madison, Wisconsin in 1990 and to Paris, Texas later.");

        Assert.Contains(regions, r => document.SpanText(r.FirstToken, r.LastToken) == "Madison, Wisconsin" &&
            r.Spans.Exists(s => document.SpanText(s.FirstToken, s.LastToken) == "Wisconsin") && r.Spans.Exists(s => document.SpanText(s.FirstToken, s.LastToken) == "Madison"));
        Assert.DoesNotContain(regions, r => document.SpanText(r.FirstToken, r.LastToken) == "Paris, Texas");
    }

    [Fact]
    public void A_tagged_name_of_two_known_names_joined_by_and_is_split_in_two()
    {
        const string Text = "The FBI and Department of Justice have acted.";
        var document = new LinkingDocument(Text);

        var regions = Regions(Text, new FixedTagger(("FBI and Department of Justice", EntityType.Org)));

        Assert.Equal(["FBI", "Department of Justice"], regions.Select(r => document.SpanText(r.FirstToken, r.LastToken)));
        Assert.All(regions, r => Assert.True(r.FromTagger));
    }

    [Fact]
    public void A_tagged_name_the_kb_lacks_is_a_region_with_its_whole_span_and_no_candidates()
    {
        const string Text = "Zorblat Quenting spoke to Xi Jinping.";
        var document = new LinkingDocument(Text);

        var regions = Regions(Text, new FixedTagger(("Zorblat Quenting", EntityType.Per), ("Xi Jinping", EntityType.Per)));

        var unknown = regions.Single(r => document.SpanText(r.FirstToken, r.LastToken) == "Zorblat Quenting");
        Assert.Equal(EntityType.Per, unknown.TaggedType);
        Assert.Contains(unknown.Spans, s => s.FirstToken == unknown.FirstToken && s.LastToken == unknown.LastToken);
        Assert.All(unknown.Spans, s => Assert.Empty(s.Candidates));
    }
}
