using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>How a candidate entity was found for a span of text; each kind is a feature of the ranker.</summary>
public enum MatchKind : byte
{
    /// <summary>The span is the entity's label.</summary>
    Label,

    /// <summary>The span is one of the entity's aliases or its Wikipedia title.</summary>
    Alias,

    /// <summary>The span is a form derived from a listed one (legal form dropped, country qualifier dropped or abbreviated).</summary>
    Derived,

    /// <summary>The span is a person's family name.</summary>
    FamilyName,

    /// <summary>The span is a person's first and last name without the middle names ("George Bush").</summary>
    ShortName,

    /// <summary>The span is an acronym of the entity's name ("ACLU").</summary>
    Initials,

    /// <summary>The span is a company's name followed by a legal form the KB does not list with it ("Union Carbide Corp").</summary>
    LegalForm,

    /// <summary>The span is a short form of a longer name elsewhere in the document ("Xi" after "Xi Jinping"), or an acronym defined in parentheses.</summary>
    Coreference,
}

/// <summary>A mention region: a span the named-entity tagger found (with its type), or a run of capitalised words the KB has names in.</summary>
public sealed class MentionRegion(int firstToken, int lastToken, EntityType taggedType, bool fromTagger, float? taggedScore = null)
{
    public int FirstToken { get; } = firstToken;

    public int LastToken { get; } = lastToken;

    /// <summary>The tagger's type; <see cref="EntityType.Unknown"/> for a region the tagger did not find.</summary>
    public EntityType TaggedType { get; } = taggedType;

    public bool FromTagger { get; } = fromTagger;

    /// <summary>The tagger's calibrated score of the name this region is (part of); null for a capitalised run or a joined region.</summary>
    public float? TaggedScore { get; } = taggedScore;

    /// <summary>The region and the spans inside it that have candidates: the linker picks non-overlapping ones.</summary>
    public List<CandidateSpan> Spans { get; } = [];
}

/// <summary>A span of tokens inside a region, with the entities it may refer to.</summary>
public sealed class CandidateSpan(MentionRegion region, int firstToken, int lastToken, string? key)
{
    public MentionRegion Region { get; } = region;

    public int FirstToken { get; } = firstToken;

    public int LastToken { get; } = lastToken;

    /// <summary>The alias-index key of the span's text.</summary>
    public string? Key { get; } = key;

    public List<LinkCandidate> Candidates { get; } = [];

    public int TokenCount => LastToken - FirstToken + 1;

    /// <summary>The most probable candidate after scoring, or -1.</summary>
    public int Best { get; set; } = -1;

    public float BestProbability => Best < 0 ? 0 : Candidates[Best].Probability;
}

/// <summary>One entity a span may refer to, how it was found, and the ranker's probabilities.</summary>
public sealed class LinkCandidate(int entity, float prior, MatchKind kind, bool upperCaseForm)
{
    public int Entity { get; } = entity;

    /// <summary>P(entity | surface form) from the alias index (0 for coreference candidates).</summary>
    public float Prior { get; set; } = prior;

    public MatchKind Kind { get; set; } = kind;

    /// <summary>Every spelling of the alias in the KB is upper case (an acronym).</summary>
    public bool UpperCaseForm { get; } = upperCaseForm;

    /// <summary>For a coreference candidate: the first-pass probability of the longer mention it comes from.</summary>
    public float CoreferenceSource { get; set; }

    /// <summary>For a coreference candidate: the span is the longer name's last word ("Biden"), not its first ("Xi") or its initials.</summary>
    public bool CoreferenceByLastWord { get; set; }

    /// <summary>The first pass's probability (no document coherence).</summary>
    public float FirstPass { get; set; }

    /// <summary>The final probability that the span refers to this entity.</summary>
    public float Probability { get; set; }
}
