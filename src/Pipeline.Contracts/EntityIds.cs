namespace Pipeline.Contracts;

/// <summary>
/// The two kinds of id in <see cref="EntitiesPayload.EntityIds"/> and <see cref="EntityMention.Qid"/>: a Wikidata item
/// (Q and a number without leading zeros) and an emerging entity the knowledge base does not know, a corpus id of the
/// form <c>nil:</c> and 12 lower-case hex digits (the entity linker makes it from the entity's normalised name and
/// type, the same in every article and process; see docs/entity-linking.md, "Emerging entities"). Whatever validates
/// an entity id (the search API, the stores) accepts exactly these two forms.
/// </summary>
public static class EntityIds
{
    public const string EmergingPrefix = "nil:";

    /// <summary>Hex digits of the name hash after <see cref="EmergingPrefix"/>.</summary>
    public const int EmergingHashLength = 12;

    /// <summary>A Wikidata item id: Q and a number without leading zeros.</summary>
    public static bool IsQid(string? value) =>
        value is { Length: >= 2 } && value[0] == 'Q' && value[1] is >= '1' and <= '9' && value.AsSpan(2).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>An emerging entity's corpus id exactly as the linker writes it: "nil:" and 12 lower-case hex digits.</summary>
    public static bool IsEmerging(string? value) =>
        value is { Length: 4 + EmergingHashLength } && value.StartsWith(EmergingPrefix, StringComparison.Ordinal) &&
        value.AsSpan(EmergingPrefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>An id an entity filter, facet or page may name.</summary>
    public static bool IsValid(string? value) => IsQid(value) || IsEmerging(value);

    /// <summary>
    /// Whether a mention's entity is in Wikidata: <see cref="EntityMention.InKb"/> when the linker wrote it; payloads
    /// written before emerging entities existed have none, and then a Q-id is in the KB and nothing else is.
    /// </summary>
    public static bool InKnowledgeBase(EntityMention mention) => mention.InKb ?? IsQid(mention.Qid);
}
