namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>One entity a normalised surface form may refer to, with the prior P(entity | surface form).</summary>
public readonly record struct AliasCandidate(int Entity, float Prior, AliasFlags Flags);

[Flags]
public enum AliasFlags : byte
{
    None = 0,

    /// <summary>The surface form is the entity's label (not only an alias).</summary>
    Label = 1,

    /// <summary>Every spelling of the form in the KB is upper case (an acronym such as NSA): it must be upper case in the text too.</summary>
    UpperCase = 2,

    /// <summary>The form is only the family name of a person ("Hollande"): weak evidence on its own.</summary>
    FamilyName = 4,

    /// <summary>The form is derived from a listed one ("Securities and Exchange Commission" from "U.S. Securities and Exchange Commission").</summary>
    Derived = 8,

    /// <summary>The form is an acronym of the entity's name, made from the initials of its capitalised words ("aclu").</summary>
    Initials = 16,

    /// <summary>The form is a person's first and last name without the middle names ("george bush" for George W. Bush).</summary>
    ShortName = 32,
}
