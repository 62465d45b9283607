using System.Runtime.CompilerServices;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.EntityLinking.Linking;

/// <summary>How sure the mention tagger was of the name it found at tokens first..last of a document it tagged.</summary>
public interface IMentionConfidence
{
    /// <summary>The calibrated score of the tagged name that covers first..last; null when no tagged name covers it.</summary>
    float? Confidence(LinkingDocument document, int first, int last);
}

/// <summary>
/// The trained named-entity tagger as the linker's mention tagger, with the KB's names as its gazetteer, that also
/// keeps each document's span scores (for as long as the document lives) so the linker can ask how confident the
/// tagger was of a name no entity was linked to (<see cref="EmergingEntities"/>).
/// </summary>
public sealed class ScoredNerMentionTagger(NerTagger tagger, EntityKnowledgeBase gazetteer) : IMentionTagger, IMentionConfidence
{
    readonly ConditionalWeakTable<LinkingDocument, IReadOnlyList<NamedSpan>> _spans = [];

    public IReadOnlyList<TaggedMention> Tag(LinkingDocument document)
    {
        var spans = tagger.Tag(document.Text, document.Tokens, gazetteer);
        _spans.AddOrUpdate(document, spans);
        return [.. spans.Select(s => new TaggedMention(s.FirstToken, s.LastToken, s.Type))];
    }

    public float? Confidence(LinkingDocument document, int first, int last)
    {
        float? best = null;
        if (_spans.TryGetValue(document, out var spans))
        {
            foreach (var span in spans)
            {
                if (span.FirstToken <= first && last <= span.LastToken && (best is null || span.Score > best))
                {
                    best = span.Score;
                }
            }
        }

        return best;
    }
}
