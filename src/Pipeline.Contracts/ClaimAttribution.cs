namespace Pipeline.Contracts;

/// <summary>Who a claim is attributed to: the source as written, and its kind (named-person, organisation, anonymous, document, author).</summary>
public sealed record ClaimAttribution(string Source, string Kind);
