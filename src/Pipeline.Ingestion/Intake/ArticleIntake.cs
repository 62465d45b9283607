using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Deduplication;
using Pipeline.Ingestion.Html;
using Pipeline.Messaging;

namespace Pipeline.Ingestion.Intake;

/// <summary>
/// The one way into the pipeline, used by every channel (single article, NDJSON batch, raw HTML, feeds): normalise,
/// check for duplicates, publish with the broker's confirm, and only then count the article as accepted. A gate on
/// intake (pausing, throttling) belongs here and nowhere else.
/// </summary>
public sealed class ArticleIntake(
    ArticleNormalizer normalizer,
    HtmlExtractor extractor,
    DuplicateIndex duplicates,
    IBus bus,
    IOptions<MessagingOptions> messaging,
    ILogger<ArticleIntake> logger)
{
    /// <summary>
    /// Normalises and publishes one submission. Everything up to the publish runs synchronously on the caller's thread,
    /// so a caller can start many submissions and await their confirms together.
    /// </summary>
    public Task<IntakeResult> SubmitAsync(ArticleSubmission submission, string channel, CancellationToken cancellationToken)
    {
        if (FieldWithNul(submission) is { } field)
        {
            return Task.FromResult(Reject(new(field, $"{field} contains a NUL character (U+0000); no text of an article does."), channel));
        }

        if (string.IsNullOrWhiteSpace(submission.Text) && !string.IsNullOrWhiteSpace(submission.Html))
        {
            if (!extractor.TryExtract(submission.Html, submission.Url, out var extracted, out var invalidHtml))
            {
                return Task.FromResult(Reject(invalidHtml, channel));
            }

            submission = submission with
            {
                Text = extracted.Text,
                Html = null,
                Title = string.IsNullOrWhiteSpace(submission.Title) ? extracted.Title : submission.Title,
                Authors = submission.Authors is { Count: > 0 } || extracted.Byline is null ? submission.Authors : [extracted.Byline],
                Language = string.IsNullOrWhiteSpace(submission.Language) ? ShortLanguage(extracted.Language) : submission.Language,
                Published = submission.Published ?? extracted.Published,
            };
        }

        if (!normalizer.TryNormalize(submission, out var article, out var rejection))
        {
            return Task.FromResult(Reject(rejection, channel));
        }

        return PublishAsync(article, channel, cancellationToken);
    }

    /// <summary>
    /// The first field holding U+0000: no text has one, so it is hostile or broken input, refused rather than silently
    /// dropped (it would cut strings short in C libraries, databases and logs further down).
    /// </summary>
    static string? FieldWithNul(ArticleSubmission s) =>
        HasNul(s.Url) ? "url"
        : HasNul(s.Title) ? "title"
        : HasNul(s.Text) ? "text"
        : HasNul(s.Html) ? "html"
        : HasNul(s.Source) ? "source"
        : HasNul(s.Language) ? "language"
        : s.Authors?.Any(HasNul) == true ? "authors"
        : null;

    static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);

    /// <summary>"en-US" -> "en"; pages declare all sorts of things in lang.</summary>
    static string? ShortLanguage(string? language) =>
        language is { Length: >= 2 } && char.IsAsciiLetter(language[0]) && char.IsAsciiLetter(language[1]) && (language.Length == 2 || language[2] is '-' or '_')
            ? language[..2].ToLowerInvariant()
            : null;

    public static IntakeResult Reject(ArticleRejection rejection, string channel)
    {
        IngestionTelemetry.Rejected.Add(1, IngestionTelemetry.Channel(channel), new KeyValuePair<string, object?>("field", rejection.Field));
        return IntakeResult.Rejected(rejection);
    }

    async Task<IntakeResult> PublishAsync(ArticleIngested article, string channel, CancellationToken cancellationToken)
    {
        var fingerprint = ArticleFingerprint.Of(article);
        DuplicateReservation reservation;
        while (true)
        {
            var verdict = duplicates.Check(fingerprint);
            if (verdict.InFlight is { } inFlight)
            {
                // The same article is being published right now: its outcome decides whether this one is a duplicate.
                await inFlight.WaitAsync(cancellationToken);
                continue;
            }

            if (verdict.IsDuplicate)
            {
                IngestionTelemetry.Duplicates.Add(1, IngestionTelemetry.Channel(channel));
                return new IntakeResult(IntakeStatus.Duplicate)
                {
                    ArticleId = article.ArticleId,
                    ContentHash = article.ContentHash,
                    CanonicalUrl = article.CanonicalUrl,
                    DuplicateOf = verdict.DuplicateOf,
                    Reason = verdict.Reason,
                };
            }

            reservation = verdict.Reservation!;
            break;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(messaging.Value.PublishTimeout);
        try
        {
            // With publisher confirms on, this completes only once the broker has the message.
            await bus.Publish(article, timeout.Token);
        }
        catch (Exception e)
        {
            duplicates.Release(reservation);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            // Whatever failed (timeout, connection, channel), the broker does not have the article: nothing was accepted.
            logger.LogWarning(e, "Publishing article {ArticleId} failed", article.ArticleId);
            IngestionTelemetry.Unavailable.Add(1, IngestionTelemetry.Channel(channel));
            return new IntakeResult(IntakeStatus.Unavailable)
            {
                ArticleId = article.ArticleId,
                Reason = e is OperationCanceledException
                    ? $"The broker did not confirm the article within {messaging.Value.PublishTimeout.TotalSeconds:0.#} s."
                    : e.Message,
            };
        }

        duplicates.Commit(reservation);
        IngestionTelemetry.Accepted.Add(1, IngestionTelemetry.Channel(channel));
        return new IntakeResult(IntakeStatus.Accepted) { ArticleId = article.ArticleId, ContentHash = article.ContentHash, CanonicalUrl = article.CanonicalUrl };
    }
}
