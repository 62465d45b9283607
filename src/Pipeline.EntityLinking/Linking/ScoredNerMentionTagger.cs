using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// The trained named-entity tagger as the linker's mention tagger, with the KB's names as its gazetteer; each name keeps
/// the tagger's calibrated score, which <see cref="EmergingEntities"/> weighs for a name no entity was linked to.
/// </summary>
public sealed class ScoredNerMentionTagger(NerTagger tagger, EntityKnowledgeBase gazetteer) : IMentionTagger
{
    public IReadOnlyList<TaggedMention> Tag(LinkingDocument document) =>
        [.. tagger.Tag(document.Text, document.Tokens, gazetteer).Select(s => new TaggedMention(s.FirstToken, s.LastToken, s.Type, s.Score))];
}
