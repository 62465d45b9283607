namespace Pipeline.ClaimTagging.Offline;

/// <summary>
/// The cheap stage in front of the transformer: a classifier over the lexical cues and hashed word n-grams only (no
/// embedding), which settles the sentences it is sure of. A sentence scored below <see cref="Below"/> is not
/// check-worthy and at or above <see cref="Above"/> it is, without embedding it; only the rest go through the sentence
/// models. Both limits are chosen by <c>pipeline train claims</c> on out-of-fold predictions of the train file
/// (<see cref="Below"/>: at most 1% of the check-worthy sentences below it).
/// </summary>
public sealed class CheckWorthinessScreen
{
    public required int NGramBuckets { get; init; }

    public required IReadOnlyList<NetworkWeights> Members { get; init; }

    /// <summary>Screen probability under which a sentence is settled as not check-worthy.</summary>
    public required double Below { get; init; }

    /// <summary>Screen probability at or above which a sentence is settled as check-worthy (above 1: never).</summary>
    public required double Above { get; init; }

    public int Inputs => LexicalFeatures.Count + NGramBuckets;

    /// <summary>The screen's features: the lexical cues, then the hashed n-grams.</summary>
    public static float[] Features(string sentence, int ngramBuckets)
    {
        var row = new float[LexicalFeatures.Count + ngramBuckets];
        LexicalFeatures.Write(sentence, row.AsSpan(0, LexicalFeatures.Count));
        if (ngramBuckets > 0)
        {
            WordNGrams.Write(sentence, row.AsSpan(LexicalFeatures.Count));
        }

        return row;
    }

    public double Probability(string sentence) => CheckWorthinessModel.Average(Members, Inputs, Features(sentence, NGramBuckets));

    /// <summary>Whether a screen probability settles the sentence (either way).</summary>
    public bool Settles(double probability) => probability < Below || probability >= Above;
}
