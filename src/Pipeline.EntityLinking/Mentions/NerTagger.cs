using System.Buffers;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// Finds named mentions (PER, ORG, LOC, MISC) in text: a structured averaged perceptron over BILOU labels trained on
/// GUM by <c>pipeline train ner</c> (see <see cref="GumCorpus"/> for what counts as a named mention and
/// docs/entity-linking.md for the features and the scores), optionally in two stages (the second sees what the first
/// said about the whole document). Immutable and thread-safe.
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

    readonly NerModel _first;
    readonly NerModel? _second;
    readonly KnowledgeBaseWords _words;

    internal NerTagger(NerModel first, NerModel? second, KnowledgeBaseWords words)
    {
        if (second is not null && (second.FeatureSet & ~NerFeatureSet.DocumentLabels) != first.FeatureSet)
        {
            throw new ArgumentException("The second stage must read the first stage's features and the document labels.", nameof(second));
        }

        _first = first;
        _second = second;
        _words = words;
    }

    internal NerModel First => _first;

    internal KnowledgeBaseWords Words => _words;

    /// <summary>The stage whose labels are the result (and whose margins the scores come from).</summary>
    internal NerModel Last => _second ?? _first;

    /// <summary>The feature groups the weights were trained with.</summary>
    public NerFeatureSet FeatureSet => Last.FeatureSet;

    /// <summary>How many feature ids have weights (both stages).</summary>
    public int FeatureCount => _first.FeatureCount + (_second?.FeatureCount ?? 0);

    /// <summary>The tagger with the weights embedded in this assembly (loaded once).</summary>
    public static NerTagger LoadBuiltIn() => BuiltIn.Value;

    /// <summary>Reads weights written by <see cref="Write"/>: "NER1", the number of stages (1 or 2), each stage, the KB word table.</summary>
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
            var stages = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
            var at = 8;
            var first = NerModel.Read(data, ref at);
            var second = stages == 2 ? NerModel.Read(data, ref at) : null;
            var words = KnowledgeBaseWords.Read(data, ref at);
            if (stages is not (1 or 2) || at != data.Length)
            {
                throw new InvalidDataException($"The weights file has {stages} stages and {data.Length - at} bytes after its end.");
            }

            return new NerTagger(first, second, words);
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
        writer.Write(_second is null ? 1 : 2);
        _first.Write(writer);
        _second?.Write(writer);
        _words.Write(writer);
    }

    internal NerTagger WithOutsidePenalty(float penalty) =>
        _second is null ? new(_first.WithOutsidePenalty(penalty), null, _words) : new(_first, _second.WithOutsidePenalty(penalty), _words);

    internal NerTagger WithCalibration(float slope, float intercept) =>
        _second is null ? new(_first.WithCalibration(slope, intercept), null, _words) : new(_first, _second.WithCalibration(slope, intercept), _words);

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
            result[i] = new NamedSpan(first, last, type, Last.Confidence(margin));
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
            var words = NerFeatures.Extract(text, tokens, gazetteer, _words, _first.FeatureSet, features);
            var lines = NerLines.Of(text, tokens);
            Decode(_first, features, n, lines, emissions, labels, _second is null ? margins : null);
            if (_second is not null)
            {
                NerFeatures.AddDocumentLabels(text, tokens, words, labels.AsSpan(0, n), features);
                Decode(_second, features, n, lines, emissions, labels, margins);
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

    /// <summary>The first stage's labels for a whole text (the second stage of training reads them).</summary>
    internal int[] FirstStageLabels(string text, IReadOnlyList<(int Start, int End)> tokens, EntityKnowledgeBase? gazetteer)
    {
        var n = tokens.Count;
        var features = new ulong[n * NerFeatures.PerToken];
        var emissions = new float[n * NerLabels.Count];
        var labels = new int[n];
        NerFeatures.Extract(text, tokens, gazetteer, _words, _first.FeatureSet, features);
        Decode(_first, features, n, NerLines.Of(text, tokens), emissions, labels, null);
        return labels;
    }

    static void Decode(NerModel model, ulong[] features, int n, List<(int First, int Last)> lines, float[] emissions, int[] labels, float[]? margins)
    {
        model.Emissions(features, n, emissions);
        foreach (var (first, last) in lines)
        {
            var length = last - first + 1;
            NerDecoder.Decode(emissions.AsSpan(first * NerLabels.Count, length * NerLabels.Count), length, model.Transitions, labels.AsSpan(first, length), margins is null ? default : margins.AsSpan(first, length));
        }
    }
}
