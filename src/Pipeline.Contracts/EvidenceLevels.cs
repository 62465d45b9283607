namespace Pipeline.Contracts;

/// <summary>How a claim is put forward in the text: as fact, as reported by a source, as an allegation, or hedged.</summary>
public static class EvidenceLevels
{
    public const string Asserted = "asserted";
    public const string Reported = "reported";
    public const string Alleged = "alleged";
    public const string Hedged = "hedged";

    public static IReadOnlyList<string> All { get; } = [Asserted, Reported, Alleged, Hedged];
}
