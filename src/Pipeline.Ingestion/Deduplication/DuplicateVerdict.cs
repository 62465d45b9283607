namespace Pipeline.Ingestion.Deduplication;

/// <summary>The outcome of a duplicate check: new (with the reservation to commit or release), a duplicate of an earlier article, or waiting for an in-flight one.</summary>
public sealed record DuplicateVerdict(DuplicateReservation? Reservation, string? DuplicateOf, string? Reason, Task? InFlight)
{
    public bool IsDuplicate => DuplicateOf is not null;
}

/// <summary>A slot held for an article while it is being published; committed once the broker confirmed it, released otherwise.</summary>
public sealed class DuplicateReservation(int slot, ArticleFingerprint fingerprint)
{
    readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Slot { get; } = slot;

    public ArticleFingerprint Fingerprint { get; } = fingerprint;

    /// <summary>Completes when the reservation is committed or released; a duplicate of an in-flight article waits for it.</summary>
    public Task Settled => _settled.Task;

    internal void Settle() => _settled.TrySetResult();
}
