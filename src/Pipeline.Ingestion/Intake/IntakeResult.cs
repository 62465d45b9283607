using Pipeline.Ingestion.Articles;

namespace Pipeline.Ingestion.Intake;

/// <summary>What became of one submitted article.</summary>
public enum IntakeStatus
{
    /// <summary>Published and confirmed by the broker: it will be analysed and indexed.</summary>
    Accepted,

    /// <summary>An exact or near duplicate of an article already accepted; not published again.</summary>
    Duplicate,

    /// <summary>Invalid; <see cref="IntakeResult.Rejection"/> names the field and the reason.</summary>
    Rejected,

    /// <summary>The broker did not confirm it (down, or too slow): not accepted, the client should retry.</summary>
    Unavailable,
}

/// <summary>The outcome of <see cref="ArticleIntake"/> for one article.</summary>
public sealed record IntakeResult(IntakeStatus Status)
{
    public string? ArticleId { get; init; }

    public string? ContentHash { get; init; }

    public string? CanonicalUrl { get; init; }

    /// <summary>For a duplicate: the id of the article it duplicates.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>Why it is a duplicate, or why the broker did not take it.</summary>
    public string? Reason { get; init; }

    public ArticleRejection? Rejection { get; init; }

    public static IntakeResult Rejected(ArticleRejection rejection) => new(IntakeStatus.Rejected) { Rejection = rejection, Reason = rejection.Message };
}
