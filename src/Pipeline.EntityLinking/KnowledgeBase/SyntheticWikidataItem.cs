namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// One item of a synthetic dump as the synthesizer made it, so a test can say what reading it should give.
/// Term lists are in the order written (language, value).
/// </summary>
public sealed record SyntheticWikidataItem(
    string Qid,
    IReadOnlyList<(string Language, string Value)> Labels,
    IReadOnlyList<(string Language, string Value)> Descriptions,
    IReadOnlyList<(string Language, string Value)> Aliases,
    IReadOnlyList<int> InstanceOf,
    IReadOnlyList<int> SubclassOf,
    IReadOnlyList<(string Site, string Title)> Sitelinks,
    EntityType Type,
    bool IsCountry,
    bool NotAnEntity)
{
    public string? Term(IReadOnlyList<(string Language, string Value)> terms, string language) =>
        terms.FirstOrDefault(t => t.Language == language).Value;

    public string? EnwikiTitle => Sitelinks.FirstOrDefault(s => s.Site == "enwiki").Title;
}
