using System.Buffers;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// Finds named mentions (PER, ORG, LOC, MISC) in text: a structured averaged perceptron over BILOU labels trained on
/// GUM by <c>pipeline train ner</c> (see <see cref="GumCorpus"/> for what counts as a named mention and
/// docs/entity-linking.md for the features and the scores). Immutable and thread-safe.
/// </summary>
public sealed class NerTagger
{
    /// <summary>The manifest name of the weights embedded in this assembly (written by <c>pipeline train ner</c>).</summary>
    public const string ResourceName = "Pipeline.EntityLinking.Mentions.ner-model.bin";

    static readonly Lazy<NerTagger> BuiltIn = new(() =>
    {
        using var stream = typeof(NerTagger).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no embedded {ResourceName}; run `pipeline train ner` to write src/Pipeline.EntityLinking/Mentions/ner-model.bin and rebuild.");
        return Load(stream);
    });

    readonly NerModel _model;

    internal NerTagger(NerModel model) => _model = model;

    internal NerModel Model => _model;

    /// <summary>The feature groups the weights were trained with.</summary>
    public NerFeatureSet FeatureSet => _model.FeatureSet;

    /// <summary>How many feature ids have weights.</summary>
    public int FeatureCount => _model.FeatureCount;

    /// <summary>The tagger with the weights embedded in this assembly (loaded once).</summary>
    public static NerTagger LoadBuiltIn() => BuiltIn.Value;

    public static NerTagger Load(Stream weights) => new(NerModel.Read(weights));

    /// <summary>Writes the weights in the format <see cref="Load"/> reads.</summary>
    public void Write(Stream weights) => _model.Write(weights);

    /// <summary>
    /// The named mentions of <paramref name="text"/>, given its tokens as <see cref="SurfaceForms.Tokenize"/> cuts them
    /// (the tagger was trained on that tokenisation). <paramref name="gazetteer"/> is the KB whose surface forms are
    /// features; without it the tagger still works, a little less well (it was trained with the bundled KB).
    /// </summary>
    public IReadOnlyList<NamedSpan> Tag(string text, IReadOnlyList<(int Start, int End)> tokens, EntityKnowledgeBase? gazetteer)
    {
        var spans = TagWithMargins(text, tokens, gazetteer);
        var result = new NamedSpan[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            var (first, last, type, margin) = spans[i];
            result[i] = new NamedSpan(first, last, type, _model.Confidence(margin));
        }

        return result;
    }

    /// <summary>The spans with their raw margins (the smallest over the span's tokens of the score lost by labelling the token O).</summary>
    internal List<(int First, int Last, EntityType Type, float Margin)> TagWithMargins(string text, IReadOnlyList<(int Start, int End)> tokens, EntityKnowledgeBase? gazetteer)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokens);
        var n = tokens.Count;
        if (n == 0)
        {
            return [];
        }

        var features = ArrayPool<ulong>.Shared.Rent(n * NerFeatures.PerToken);
        var emissions = ArrayPool<float>.Shared.Rent(n * NerLabels.Count);
        var labels = ArrayPool<int>.Shared.Rent(n);
        var margins = ArrayPool<float>.Shared.Rent(n);
        try
        {
            NerFeatures.Extract(text, tokens, gazetteer, _model.FeatureSet, features);
            _model.Emissions(features, n, emissions);
            foreach (var (first, last) in NerLines.Of(text, tokens))
            {
                var length = last - first + 1;
                NerDecoder.Decode(emissions.AsSpan(first * NerLabels.Count, length * NerLabels.Count), length, _model.Transitions, labels.AsSpan(first, length), margins.AsSpan(first, length));
            }

            var spans = NerLabels.Decode(labels.AsSpan(0, n));
            var result = new List<(int First, int Last, EntityType Type, float Margin)>(spans.Count);
            foreach (var (first, last, type) in spans)
            {
                var margin = float.PositiveInfinity;
                for (var t = first; t <= last; t++)
                {
                    margin = Math.Min(margin, margins[t]);
                }

                result.Add((first, last, type, margin));
            }

            return result;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(emissions);
            ArrayPool<int>.Shared.Return(labels);
            ArrayPool<float>.Shared.Return(margins);
        }
    }
}
