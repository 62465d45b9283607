namespace Pipeline.Contracts;

/// <summary>The claim taxonomy shared by every claim tagger.</summary>
public static class ClaimTypes
{
    public const string Quantitative = "quantitative";
    public const string Causal = "causal";
    public const string EventOrAction = "event";
    public const string AttributionOfIntent = "intent";
    public const string Prediction = "prediction";
    public const string PromiseOrPolicy = "promise";
    public const string Accusation = "accusation";

    public static IReadOnlyList<string> All { get; } =
        [Quantitative, Causal, EventOrAction, AttributionOfIntent, Prediction, PromiseOrPolicy, Accusation];
}
