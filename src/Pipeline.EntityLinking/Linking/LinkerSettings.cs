namespace Pipeline.EntityLinking.Linking;

/// <summary>The tunable weights of disambiguation (tuned on the oke-*-train benchmarks, see docs/entity-linking.md).</summary>
public sealed record LinkerSettings
{
    public const double DefaultMinConfidence = 0.5;

    public double MinConfidence { get; init; } = DefaultMinConfidence;

    /// <summary>Candidates of one surface form considered, most probable first.</summary>
    public int MaxCandidates { get; init; } = 12;

    /// <summary>Tokens on each side of a mention that make up its context.</summary>
    public int ContextWindow { get; init; } = 60;

    public double PriorWeight { get; init; } = 1.0;

    public double ContextWeight { get; init; } = 3.0;

    public double CoherenceWeight { get; init; } = 2.0;

    public double TypeWeight { get; init; } = 1.0;
}
