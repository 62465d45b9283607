namespace Pipeline.Contracts;

/// <summary>Who a claim is attributed to: the source as written, and its kind (named-person, organisation, anonymous, document, author).</summary>
public sealed record ClaimAttribution(string Source, string Kind)
{
    public const string NamedPerson = "named-person";
    public const string Organisation = "organisation";
    public const string Anonymous = "anonymous";
    public const string Document = "document";
    public const string Author = "author";

    public static IReadOnlyList<string> Kinds { get; } = [NamedPerson, Organisation, Anonymous, Document, Author];
}
