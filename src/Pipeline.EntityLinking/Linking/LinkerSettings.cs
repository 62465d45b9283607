namespace Pipeline.EntityLinking.Linking;

/// <summary>The linker's settings that are not trained: how much it looks at, and an optional override of the trained threshold.</summary>
public sealed record LinkerSettings
{
    /// <summary>Links below this probability are NIL; null: the threshold the model was trained with (chosen on held-out documents).</summary>
    public double? MinConfidence { get; init; }

    /// <summary>Candidates of one surface form considered, most probable first.</summary>
    public int MaxCandidates { get; init; } = 20;

    /// <summary>First-pass probability from which a link is an anchor for coherence.</summary>
    public double AnchorProbability { get; init; } = 0.8;

    /// <summary>First-pass probability from which a longer name lends its entity to its short forms (coreference candidates).</summary>
    public double CoreferenceSourceProbability { get; init; } = 0.5;

    /// <summary>First-pass probability from which a person's full name makes a one-word short form of it a link of its own.</summary>
    public double CoreferenceAdoptProbability { get; init; } = 0.8;
}
