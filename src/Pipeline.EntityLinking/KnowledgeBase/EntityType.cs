namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>The coarse entity types of the knowledge base; <see cref="Unknown"/> is a KB row that is not a named entity type.</summary>
public enum EntityType : byte
{
    Unknown = 0,
    Per = 1,
    Org = 2,
    Loc = 3,
    Misc = 4,
}

public static class EntityTypes
{
    public static EntityType Parse(ReadOnlySpan<char> text) => text switch
    {
        "PER" => EntityType.Per,
        "ORG" => EntityType.Org,
        "LOC" => EntityType.Loc,
        "MISC" => EntityType.Misc,
        _ => EntityType.Unknown,
    };

    /// <summary>The name in the payload: PER, ORG, LOC or MISC (an unknown KB type is reported as MISC).</summary>
    public static string ToLabel(this EntityType type) => type switch
    {
        EntityType.Per => "PER",
        EntityType.Org => "ORG",
        EntityType.Loc => "LOC",
        _ => "MISC",
    };

    public static string ToTsv(this EntityType type) => type == EntityType.Unknown ? "UNKNOWN" : type.ToLabel();
}
