using System.Buffers.Binary;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// The weights of the tagger: for each kept feature id one weight per label, the label transitions (plus a
/// start row), and the two numbers that turn a span's margin into a confidence.
/// <para>
/// Layout (little-endian): the feature set, the label count, the calibration slope and intercept, the quantisation
/// step, the transitions as floats, the feature count, then per feature (ascending id) the 64-bit id, a 3-byte mask of
/// the labels with a non-zero weight and one 16-bit weight (in quantisation steps) per set bit. Weights are stored as
/// multiples of one step (the largest weight / 32767): a quarter of the float size, and a weight's rounding error is
/// below 1/65534 of the largest.
/// </para>
/// </summary>
internal sealed class NerModel
{
    const int Labels = NerLabels.Count;

    readonly Dictionary<ulong, int> _rows;
    readonly float[] _weights;

    NerModel(NerFeatureSet featureSet, Dictionary<ulong, int> rows, float[] weights, float[] transitions, float slope, float intercept)
    {
        FeatureSet = featureSet;
        _rows = rows;
        _weights = weights;
        Transitions = transitions;
        CalibrationSlope = slope;
        CalibrationIntercept = intercept;
    }

    public NerFeatureSet FeatureSet { get; }

    /// <summary>(Labels + 1) × Labels: row p is the score of label p followed by each label; the last row is the start of a text.</summary>
    public float[] Transitions { get; }

    public float CalibrationSlope { get; }

    public float CalibrationIntercept { get; }

    public int FeatureCount => _rows.Count;

    /// <summary>Adds each token's feature weights to its row of <paramref name="scores"/> (n × labels, cleared first).</summary>
    public void Emissions(ReadOnlySpan<ulong> features, int n, Span<float> scores)
    {
        scores[..(n * Labels)].Clear();
        for (var t = 0; t < n; t++)
        {
            var row = scores.Slice(t * Labels, Labels);
            foreach (var id in features.Slice(t * NerFeatures.PerToken, NerFeatures.PerToken))
            {
                if (id == 0 || !_rows.TryGetValue(id, out var at))
                {
                    continue;
                }

                var weights = _weights.AsSpan(at * Labels, Labels);
                for (var y = 0; y < Labels; y++)
                {
                    row[y] += weights[y];
                }
            }
        }
    }

    /// <summary>The confidence of a span whose margin (best path score minus the best with one of its tokens O) is <paramref name="margin"/>.</summary>
    public float Confidence(float margin) => (float)(1 / (1 + Math.Exp(-((CalibrationSlope * MarginFeature(margin)) + CalibrationIntercept))));

    /// <summary>Margins spread over orders of magnitude; their logarithm is what the calibration is linear in.</summary>
    public static double MarginFeature(float margin) => Math.Log(1 + Math.Clamp(margin, 0, 1e6));

    /// <summary>
    /// A model from trained weights (feature ids and their label rows), quantised as the file stores it: the model
    /// in memory is the one a later load gives. Rows with no weight left after quantisation are dropped.
    /// </summary>
    public static NerModel Create(NerFeatureSet featureSet, IReadOnlyList<ulong> ids, float[] weights, float[] transitions, float slope, float intercept)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Write(writer, featureSet, ids, weights, transitions, slope, intercept);
        }

        var at = 0;
        return Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ref at);
    }

    public NerModel WithCalibration(float slope, float intercept) => new(FeatureSet, _rows, _weights, Transitions, slope, intercept);

    /// <summary>
    /// The model with every transition into O lowered by <paramref name="penalty"/>: the same as lowering the O score of
    /// every token, so it trades precision for recall without touching the feature weights.
    /// </summary>
    public NerModel WithOutsidePenalty(float penalty)
    {
        var transitions = (float[])Transitions.Clone();
        for (var from = 0; from <= Labels; from++)
        {
            transitions[(from * Labels) + NerLabels.Outside] -= penalty;
        }

        return new(FeatureSet, _rows, _weights, transitions, CalibrationSlope, CalibrationIntercept);
    }

    public void Write(BinaryWriter writer)
    {
        var ids = new ulong[_rows.Count];
        foreach (var (id, row) in _rows)
        {
            ids[row] = id;
        }

        Write(writer, FeatureSet, ids, _weights, Transitions, CalibrationSlope, CalibrationIntercept);
    }

    static void Write(BinaryWriter writer, NerFeatureSet featureSet, IReadOnlyList<ulong> ids, float[] weights, float[] transitions, float slope, float intercept)
    {
        var maxAbs = 0f;
        foreach (var w in weights)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(w));
        }

        var step = maxAbs > 0 ? maxAbs / short.MaxValue : 1f;
        var order = Enumerable.Range(0, ids.Count).OrderBy(i => ids[i]).ToArray();
        var kept = new List<(int Row, int Mask)>(ids.Count);
        foreach (var row in order)
        {
            var mask = 0;
            for (var y = 0; y < Labels; y++)
            {
                if (Quantise(weights[(row * Labels) + y], step) != 0)
                {
                    mask |= 1 << y;
                }
            }

            if (mask != 0)
            {
                kept.Add((row, mask));
            }
        }

        writer.Write((int)featureSet);
        writer.Write(Labels);
        writer.Write(slope);
        writer.Write(intercept);
        writer.Write(step);
        foreach (var t in transitions)
        {
            writer.Write(t);
        }

        writer.Write(kept.Count);
        foreach (var (row, mask) in kept)
        {
            writer.Write(ids[row]);
            writer.Write((byte)mask);
            writer.Write((byte)(mask >> 8));
            writer.Write((byte)(mask >> 16));
            for (var y = 0; y < Labels; y++)
            {
                if ((mask & (1 << y)) != 0)
                {
                    writer.Write(Quantise(weights[(row * Labels) + y], step));
                }
            }
        }
    }

    static short Quantise(float weight, float step) => (short)Math.Clamp(MathF.Round(weight / step), -short.MaxValue, short.MaxValue);

    /// <summary>Reads one model written by <see cref="Write(BinaryWriter)"/> from <paramref name="data"/> at <paramref name="at"/>, and moves past it.</summary>
    public static NerModel Read(ReadOnlySpan<byte> data, ref int at)
    {
        var featureSet = (NerFeatureSet)ReadInt(data, ref at);
        var labels = ReadInt(data, ref at);
        if (labels != Labels)
        {
            throw new InvalidDataException($"The weights file has {labels} labels; this tagger has {Labels}.");
        }

        var slope = ReadFloat(data, ref at);
        var intercept = ReadFloat(data, ref at);
        var step = ReadFloat(data, ref at);
        var transitions = new float[(Labels + 1) * Labels];
        for (var i = 0; i < transitions.Length; i++)
        {
            transitions[i] = ReadFloat(data, ref at);
        }

        var count = ReadInt(data, ref at);
        var rows = new Dictionary<ulong, int>(count);
        var weights = new float[count * Labels];
        for (var row = 0; row < count; row++)
        {
            var id = BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
            at += 8;
            var mask = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16);
            at += 3;
            for (var y = 0; y < Labels; y++)
            {
                if ((mask & (1 << y)) != 0)
                {
                    weights[(row * Labels) + y] = BinaryPrimitives.ReadInt16LittleEndian(data[at..]) * step;
                    at += 2;
                }
            }

            rows.Add(id, row);
        }

        return new NerModel(featureSet, rows, weights, transitions, slope, intercept);
    }

    static int ReadInt(ReadOnlySpan<byte> data, ref int at)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        at += 4;
        return value;
    }

    static float ReadFloat(ReadOnlySpan<byte> data, ref int at)
    {
        var value = BinaryPrimitives.ReadSingleLittleEndian(data[at..]);
        at += 4;
        return value;
    }
}
