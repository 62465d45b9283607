using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>An entity whose label starts (at a word) with the typed prefix, and how many articles mention it.</summary>
public sealed record EntitySuggestion(string Qid, string Label, long Articles)
{
    /// <summary>False for an emerging entity (a <c>nil:</c> id the linker made for a name no knowledge base knows).</summary>
    public bool InKb => EntityIds.IsQid(Qid);
}
