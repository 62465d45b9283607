namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// Viterbi decoding over the BILOU labels, with the transitions <see cref="NerLabels.IsAllowed"/> forbids never taken
/// (so every decoded name is closed and of one type), and the max-marginals the span confidences come from.
/// </summary>
internal static class NerDecoder
{
    const int Labels = NerLabels.Count;

    static readonly bool[] Allowed = BuildAllowed();

    static bool[] BuildAllowed()
    {
        var allowed = new bool[(Labels + 1) * Labels];
        for (var p = 0; p < Labels; p++)
        {
            for (var y = 0; y < Labels; y++)
            {
                allowed[(p * Labels) + y] = NerLabels.IsAllowed(p, y);
            }
        }

        for (var y = 0; y < Labels; y++)
        {
            allowed[(Labels * Labels) + y] = NerLabels.CanStart(y);
        }

        return allowed;
    }

    /// <summary>
    /// The best label sequence for <paramref name="n"/> tokens. When <paramref name="outsideMargins"/> is given, it
    /// receives for each token the best score minus the best score of a sequence labelling that token O (0 for tokens
    /// decoded O): how much the tagger would lose by leaving the token out of a name.
    /// </summary>
    public static void Decode(ReadOnlySpan<float> emissions, int n, float[] transitions, Span<int> labels, Span<float> outsideMargins = default)
    {
        if (n == 0)
        {
            return;
        }

        var alpha = new float[n * Labels];
        var back = new int[n * Labels];
        for (var y = 0; y < Labels; y++)
        {
            alpha[y] = Allowed[(Labels * Labels) + y] ? emissions[y] + transitions[(Labels * Labels) + y] : float.NegativeInfinity;
        }

        for (var t = 1; t < n; t++)
        {
            var previous = alpha.AsSpan((t - 1) * Labels, Labels);
            for (var y = 0; y < Labels; y++)
            {
                var best = float.NegativeInfinity;
                var from = 0;
                for (var p = 0; p < Labels; p++)
                {
                    if (!Allowed[(p * Labels) + y])
                    {
                        continue;
                    }

                    var score = previous[p] + transitions[(p * Labels) + y];
                    if (score > best)
                    {
                        best = score;
                        from = p;
                    }
                }

                alpha[(t * Labels) + y] = best + emissions[(t * Labels) + y];
                back[(t * Labels) + y] = from;
            }
        }

        var last = 0;
        var bestFinal = float.NegativeInfinity;
        for (var y = 0; y < Labels; y++)
        {
            var score = alpha[((n - 1) * Labels) + y];
            if (NerLabels.CanEnd(y) && score > bestFinal)
            {
                bestFinal = score;
                last = y;
            }
        }

        labels[n - 1] = last;
        for (var t = n - 1; t > 0; t--)
        {
            labels[t - 1] = back[(t * Labels) + labels[t]];
        }

        if (outsideMargins.IsEmpty)
        {
            return;
        }

        // Backward pass: beta[t, y] is the best score of tokens t+1.. given label y at t.
        var beta = new float[n * Labels];
        for (var y = 0; y < Labels; y++)
        {
            beta[((n - 1) * Labels) + y] = NerLabels.CanEnd(y) ? 0 : float.NegativeInfinity;
        }

        for (var t = n - 2; t >= 0; t--)
        {
            for (var y = 0; y < Labels; y++)
            {
                var best = float.NegativeInfinity;
                for (var q = 0; q < Labels; q++)
                {
                    if (Allowed[(y * Labels) + q])
                    {
                        best = Math.Max(best, transitions[(y * Labels) + q] + emissions[((t + 1) * Labels) + q] + beta[((t + 1) * Labels) + q]);
                    }
                }

                beta[(t * Labels) + y] = best;
            }
        }

        for (var t = 0; t < n; t++)
        {
            var withOutside = alpha[(t * Labels) + NerLabels.Outside] + beta[(t * Labels) + NerLabels.Outside];
            outsideMargins[t] = labels[t] == NerLabels.Outside ? 0 : Math.Max(0, bestFinal - withOutside);
        }
    }
}
