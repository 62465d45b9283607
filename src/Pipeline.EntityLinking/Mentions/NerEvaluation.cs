using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// Exact-span scores of named mentions: untyped (the span alone), typed (span and type) and per type (a predicted span
/// of type T is right when a gold span of type T has the same tokens).
/// </summary>
public sealed class NerEvaluation
{
    static readonly EntityType[] Types = [EntityType.Per, EntityType.Org, EntityType.Loc, EntityType.Misc];

    readonly Dictionary<EntityType, MatchCounts> _perType = Types.ToDictionary(t => t, _ => new MatchCounts());

    public MatchCounts Untyped { get; } = new();

    public MatchCounts Typed { get; } = new();

    public IReadOnlyDictionary<EntityType, MatchCounts> PerType => _perType;

    public void Add(IReadOnlyCollection<(int First, int Last, EntityType Type)> gold, IReadOnlyCollection<(int First, int Last, EntityType Type)> predicted)
    {
        var goldSpans = gold.Select(g => (g.First, g.Last)).ToHashSet();
        var goldTyped = gold.ToHashSet();
        var untyped = predicted.Select(p => (p.First, p.Last)).Distinct().Count(goldSpans.Contains);
        var typed = predicted.Distinct().Count(goldTyped.Contains);
        Untyped.Add(untyped, predicted.Count, gold.Count);
        Typed.Add(typed, predicted.Count, gold.Count);
        foreach (var type in Types)
        {
            _perType[type].Add(
                predicted.Where(p => p.Type == type).Distinct().Count(goldTyped.Contains),
                predicted.Count(p => p.Type == type),
                gold.Count(g => g.Type == type));
        }
    }

    /// <summary>Tags every example (its whole text at once, as the linker will) and scores the spans against its gold ones.</summary>
    public static NerEvaluation Of(NerTagger tagger, IEnumerable<NerExample> examples, EntityKnowledgeBase? gazetteer)
    {
        var evaluation = new NerEvaluation();
        foreach (var example in examples)
        {
            var predicted = tagger.Tag(example.Text, example.Tokens, gazetteer).Select(s => (s.FirstToken, s.LastToken, s.Type)).ToList();
            evaluation.Add([.. example.Gold], predicted);
        }

        return evaluation;
    }
}
