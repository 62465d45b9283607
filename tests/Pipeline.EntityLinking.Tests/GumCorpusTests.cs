using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;
using Pipeline.Testing;

namespace Pipeline.EntityLinking.Tests;

public sealed class GumCorpusTests
{
    // Three sentences in two paragraphs: a titled person, a place named in an of-complement of a noun-headed mention,
    // an organisation with a place nested in it and an appositive place in parentheses (SpaceAfter=No), a pronoun, a
    // multiword token ("Goldsmith's") and a noun-headed mention with a person nested in it.
    const string Conllu = """
        # newdoc id = GUM_test_doc
        # newpar
        # newpar_block = p (2 s)
        # sent_id = GUM_test_doc-1
        # text = Professor Cres Eastman visited the Danish island of Funen.
        1	Professor	Professor	PROPN	NNP	_	3	compound	_	Entity=(1-person-new-sssss-cf1-3-coref-Cres_Eastman
        2	Cres	Cres	PROPN	NNP	_	3	flat	_	_
        3	Eastman	Eastman	PROPN	NNP	_	4	nsubj	_	Entity=1)
        4	visited	visit	VERB	VBD	_	0	root	_	_
        5	the	the	DET	DT	_	7	det	_	Entity=(2-place-new-nnnnn-cf2-3-sgl
        6	Danish	Danish	ADJ	JJ	_	7	amod	_	_
        7	island	island	NOUN	NN	_	4	obj	_	_
        8	of	of	ADP	IN	_	9	case	_	_
        9	Funen	Funen	PROPN	NNP	_	7	nmod	_	Entity=2)|SpaceAfter=No
        10	.	.	PUNCT	.	_	4	punct	_	_

        # sent_id = GUM_test_doc-2
        # text = He joined Durham University (UK).
        1	He	he	PRON	PRP	_	2	nsubj	_	Entity=(1-person-giv:act-sssss-cf1-1-ana)
        2	joined	join	VERB	VBD	_	0	root	_	_
        3	Durham	Durham	PROPN	NNP	_	4	compound	_	Entity=(3-organization-new-nnnnn-cf2-1,2-coref-Durham_University(4-place-new-nnnnn-cf3-1-coref-Durham)
        4	University	University	PROPN	NNP	_	2	obj	_	Entity=3)
        5	(	(	PUNCT	-LRB-	_	6	punct	_	SpaceAfter=No
        6	UK	UK	PROPN	NNP	_	4	appos	_	Entity=(5-place-new-nnnnn-cf4-1-coref-United_Kingdom)|SpaceAfter=No
        7	)	)	PUNCT	-RRB-	_	6	punct	_	SpaceAfter=No
        8	.	.	PUNCT	.	_	2	punct	_	_

        # newpar
        # sent_id = GUM_test_doc-3
        # text = Goldsmith's camera broke.
        1-2	Goldsmith's	_	_	_	_	_	_	_	_
        1	Goldsmith	Goldsmith	PROPN	NNP	_	3	nmod:poss	_	Entity=(6-object-new-nnnnn-cf1-2-coref(7-person-new-nnnnn-cf2-1-coref-Oliver_Goldsmith
        2	's	's	PART	POS	_	1	case	_	Entity=7)
        3	camera	camera	NOUN	NN	_	4	nsubj	_	Entity=6)
        4	broke	break	VERB	VBD	_	0	root	_	SpaceAfter=No
        5	.	.	PUNCT	.	_	4	punct	_	_

        """;

    static GumDocument Parse() => GumCorpus.Parse("GUM_test_doc", Conllu.Replace("\r\n", "\n"));

    static List<(string Text, EntityType Type)> Named(GumDocument document) =>
        document.NamedMentions.Select(m => (document.Text[m.Start..m.End], m.Type)).ToList();

    [Fact]
    public void Text_is_rebuilt_with_spaces_as_annotated_and_a_line_per_paragraph()
    {
        var document = Parse();

        Assert.Equal("Professor Cres Eastman visited the Danish island of Funen. He joined Durham University (UK).\nGoldsmith's camera broke.", document.Text);
        Assert.Equal(["Professor Cres Eastman visited the Danish island of Funen.", "He joined Durham University (UK).", "Goldsmith's camera broke."],
            document.Sentences.Select(s => document.Text[s.Start..s.End]));
    }

    [Fact]
    public void Named_mentions_are_proper_noun_headed_trimmed_and_flat()
    {
        var named = Named(Parse());

        Assert.Equal(
            [("Cres Eastman", EntityType.Per), ("Funen", EntityType.Loc), ("Durham University", EntityType.Org), ("UK", EntityType.Loc), ("Goldsmith", EntityType.Per)],
            named);
    }

    [Fact]
    public void Noun_headed_and_pronoun_mentions_are_not_named()
    {
        var named = Named(Parse()).Select(n => n.Text).ToList();

        Assert.DoesNotContain("Goldsmith's camera", named);
        Assert.DoesNotContain("the Danish island of Funen", named);
        Assert.DoesNotContain("He", named);
        Assert.DoesNotContain("Durham", named); // nested in the organisation: the outer span is kept
    }

    [Fact]
    public void A_mention_that_closes_without_opening_is_rejected()
    {
        const string broken = "# sent_id = x-1\n1\tParis\tParis\tPROPN\tNNP\t_\t0\troot\t_\tEntity=9)\n\n";

        Assert.Throws<InvalidDataException>(() => GumCorpus.Parse("x", broken));
    }

    [Fact]
    public void The_shared_corpus_has_the_official_split_with_named_mentions_of_every_type()
    {
        var directory = Path.GetDirectoryName(RepositoryPaths.RequireSharedFile("ner/gum/splits.md"))!;

        var dev = GumCorpus.ReadSplit(directory, "dev");

        Assert.Equal(12, dev.Count);
        var mentions = dev.SelectMany(d => d.NamedMentions.Select(m => (Document: d, Mention: m))).ToList();
        Assert.All([EntityType.Per, EntityType.Org, EntityType.Loc, EntityType.Misc], t => Assert.Contains(mentions, m => m.Mention.Type == t));
        Assert.All(mentions, m =>
        {
            var text = m.Document.Text[m.Mention.Start..m.Mention.End];
            Assert.False(text.StartsWith("the ", StringComparison.OrdinalIgnoreCase), text);
            Assert.False(text.EndsWith("'s", StringComparison.Ordinal), text);
            Assert.DoesNotContain('\n', text);
        });
        Assert.All(dev, d => Assert.All(d.NamedMentions.Zip(d.NamedMentions.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start)));
    }

    [Fact]
    public void Named_mentions_carry_their_wikipedia_identity_and_nested_names_are_kept_for_linking()
    {
        var document = Parse();

        var nested = document.NestedNamedMentions.Select(m => (document.Text[m.Start..m.End], m.Identity)).ToList();

        Assert.Contains(("Cres Eastman", "Cres_Eastman"), nested);
        Assert.Contains(("Durham University", "Durham_University"), nested);
        Assert.Contains(("Durham", "Durham"), nested);
        Assert.Contains(("UK", "United_Kingdom"), nested);
        Assert.Contains(("Funen", (string?)null), nested);
        Assert.DoesNotContain(Named(document), m => m.Text == "Durham");
    }

    [Fact]
    public void Linking_documents_map_identities_to_qids_through_wikipedia_titles_and_names_without_one_are_nil()
    {
        var directory = Directory.CreateTempSubdirectory("gum-linking-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "conllu"));
            File.WriteAllText(Path.Combine(directory.FullName, "splits.md"), "## train\n\n  * GUM_test_doc\n");
            File.WriteAllText(Path.Combine(directory.FullName, "conllu", "GUM_test_doc.conllu"), Conllu.Replace("\r\n", "\n"));
            var titles = new Dictionary<string, string> { ["Durham University"] = "Q1", ["United Kingdom"] = "Q145", ["Durham"] = "Q179815" };

            var training = Assert.Single(Pipeline.EntityLinking.Training.GumLinkingDocuments.Read(directory.FullName, "train", titles));

            var labels = training.Document.Labels.ToDictionary(l => training.Document.Text[l.Start..l.End], l => l.EntityId);
            Assert.True(training.Exhaustive);
            Assert.Equal("Q1", labels["Durham University"]);
            Assert.Equal("Q179815", labels["Durham"]);
            Assert.Equal("Q145", labels["UK"]);
            Assert.Equal("<NIL>", labels["Funen"]);
            Assert.Equal("<NO_MAPPING>", labels["Cres Eastman"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
