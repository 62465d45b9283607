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

    static readonly byte[] Magic = "NER1"u8.ToArray();

    static readonly Lazy<NerTagger> BuiltIn = new(() =>
    {
        using var stream = typeof(NerTagger).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no embedded {ResourceName}; run `pipeline train ner` to write src/Pipeline.EntityLinking/Mentions/ner-model.bin and rebuild.");
        return Load(stream);
    });

    readonly NerModel _model;
    readonly KnowledgeBaseWords _words;

    internal NerTagger(NerModel model, KnowledgeBaseWords words)
    {
        _model = model;
        _words = words;
    }

    /// <summary>The feature groups the weights were trained with.</summary>
    public NerFeatureSet FeatureSet => _model.FeatureSet;

    /// <summary>How many feature ids have weights.</summary>
    public int FeatureCount => _model.FeatureCount;

    /// <summary>How many words the KB word-type table holds (<see cref="NerFeatureSet.KnowledgeBaseWords"/>).</summary>
    public int KnowledgeBaseWordCount => _words.Count;

    /// <summary>The tagger with the weights embedded in this assembly (loaded once).</summary>
    public static NerTagger LoadBuiltIn() => BuiltIn.Value;

    /// <summary>Reads weights written by <see cref="Write"/>: "NER1", the model, the KB word table.</summary>
    public static NerTagger Load(Stream weights)
    {
        using var memory = new MemoryStream();
        weights.CopyTo(memory);
        var data = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        if (data.Length < 8 || !data[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a named-entity tagger weights file (no NER1 header).");
        }

        try
        {
            var at = 4;
            var model = NerModel.Read(data, ref at);
            var words = KnowledgeBaseWords.Read(data, ref at);
            if (at != data.Length)
            {
                throw new InvalidDataException($"The weights file has {data.Length - at} bytes after its end.");
            }

            return new NerTagger(model, words);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException("The weights file is truncated.", e);
        }
    }

    /// <summary>Writes the weights in the format <see cref="Load"/> reads.</summary>
    public void Write(Stream weights)
    {
        using var writer = new BinaryWriter(weights, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        _model.Write(writer);
        _words.Write(writer);
    }

    /// <summary>
    /// The tagger with the score of O lowered by <paramref name="penalty"/> at every token (on top of the penalty chosen
    /// in training): more names found, fewer of them right. Negative values do the opposite.
    /// </summary>
    public NerTagger WithOutsidePenalty(float penalty) => new(_model.WithOutsidePenalty(penalty), _words);

    internal NerTagger WithCalibration(float slope, float intercept) => new(_model.WithCalibration(slope, intercept), _words);

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
            NerFeatures.Extract(text, tokens, gazetteer, _words, _model.FeatureSet, features);
            _model.Emissions(features, n, emissions);
            foreach (var (first, last) in NerLines.Of(text, tokens))
            {
                var length = last - first + 1;
                NerDecoder.Decode(emissions.AsSpan(first * NerLabels.Count, length * NerLabels.Count), length, _model.Transitions, labels.AsSpan(first, length), margins.AsSpan(first, length));
            }

            var spans = NerLabels.Decode(labels.AsSpan(0, n));
            var result = new List<(int First, int Last, EntityType Type, float Margin)>(spans.Count);
            foreach (var (tagged, last, type) in spans)
            {
                // A person is named without the titles before the name, as in training; the tagger has seen few
                // titles with qualifiers ("Chinese Foreign Minister"), which news texts are full of.
                var first = type == EntityType.Per ? PersonTitles.NameStart(text, tokens, tagged, last) : tagged;
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
