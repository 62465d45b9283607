using System.Buffers;
using System.Text.Json;
using Pipeline.Ingestion.Articles;
using Pipeline.Ingestion.Intake;

namespace Pipeline.Ingestion.Batches;

/// <summary>
/// One NDJSON batch request: lines are read from the body pipe as they arrive, each is parsed and handed to
/// <see cref="ArticleIntake"/> without waiting for the previous ones' confirms (up to
/// <see cref="IngestionOptions.BatchWindow"/> in flight), and the answers are written in input order as their confirms
/// come in. Memory is bounded by the window and one line, whatever the size of the body.
/// </summary>
sealed class NdjsonBatch(HttpContext context, ArticleIntake intake, IngestionOptions limits)
{
    const string Channel = "batch";
    const int FlushEvery = 128;

    readonly Queue<(int Line, Task<IntakeResult> Result)> _window = new();
    readonly List<(int Line, IntakeResult Result)> _beforeStart = [];
    readonly Utf8JsonWriter _json = new(Stream.Null);
    int _line;
    int _accepted, _duplicates, _rejected, _unavailable;
    int _unflushed;
    bool _started;
    int? _brokerFailedAt;
    bool _skipping;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (TryReadLine(ref buffer, out var line, out var tailOfSkipped))
            {
                if (!tailOfSkipped)
                {
                    await HandleLineAsync(line, cancellationToken);
                }
            }

            if (_skipping)
            {
                buffer = buffer.Slice(buffer.End);
            }
            else if (buffer.Length > limits.MaxArticleBytes)
            {
                // A line longer than one article may be: answer it now and skip to its end without holding it.
                _line++;
                _skipping = true;
                await AddAsync(_line, Task.FromResult(TooLong()), cancellationToken);
                buffer = buffer.Slice(buffer.End);
            }

            if (read.IsCompleted)
            {
                if (!_skipping && buffer.Length > 0)
                {
                    await HandleLineAsync(buffer, cancellationToken);
                    buffer = buffer.Slice(buffer.End);
                }

                reader.AdvanceTo(buffer.End);
                break;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (_unflushed > 0 && _started)
            {
                await FlushAsync(cancellationToken);
            }
        }

        while (_window.Count > 0)
        {
            await WriteOldestAsync(cancellationToken);
        }

        if (!_started && _brokerFailedAt is not null && _accepted == 0)
        {
            // The broker was down from the start: nothing was accepted, the whole batch may simply be resent.
            await ArticleEndpoints.Unavailable(_beforeStart.First(r => r.Result.Status == IntakeStatus.Unavailable).Result.Reason).ExecuteAsync(context);
            return;
        }

        if (!_started && _beforeStart.Count == 0)
        {
            await ArticleEndpoints.ValidationProblem(new("body", "The batch has no lines: send one JSON article per line (application/x-ndjson).")).ExecuteAsync(context);
            return;
        }

        Start();
        WriteSummary();
        await FlushAsync(cancellationToken);
    }

    /// <summary>The next complete line; <paramref name="tailOfSkipped"/> when it ends an overlong line already answered.</summary>
    bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line, out bool tailOfSkipped)
    {
        tailOfSkipped = false;
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        if (_skipping)
        {
            _skipping = false;
            tailOfSkipped = true;
        }

        return true;
    }

    async ValueTask HandleLineAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        // Every physical line is numbered, blank ones too, so numbers match the client's file.
        _line++;
        if (IsBlank(line))
        {
            return;
        }

        Task<IntakeResult> result;
        if (_brokerFailedAt is { } failedAt)
        {
            // Read but not processed: the client resends it.
            result = Task.FromResult(new IntakeResult(IntakeStatus.Unavailable)
            {
                Reason = $"Not processed: the broker became unavailable at line {failedAt}.",
            });
        }
        else if (line.Length > limits.MaxArticleBytes)
        {
            result = Task.FromResult(TooLong());
        }
        else
        {
            var parsed = Parse(line, _line);
            result = parsed.Submission is { } submission
                ? intake.SubmitAsync(submission, Channel, cancellationToken)
                : Task.FromResult(parsed.Rejection!);
        }

        await AddAsync(_line, result, cancellationToken);
    }

    static ParsedLine Parse(ReadOnlySequence<byte> line, int number)
    {
        byte[]? rented = null;
        ReadOnlySpan<byte> span;
        if (line.IsSingleSegment)
        {
            span = line.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)line.Length);
            line.CopyTo(rented);
            span = rented.AsSpan(0, (int)line.Length);
        }

        try
        {
            var submission = JsonSerializer.Deserialize<ArticleSubmission>(span, ArticleEndpoints.Json);
            return submission is null ? new ParsedLine(null, Reject("line", $"Line {number} must be a JSON object.")) : new ParsedLine(submission, null);
        }
        catch (JsonException e)
        {
            // The parser counts lines within the one line it was given (always 1): the batch's own count is the one the client needs.
            var rejection = ArticleEndpoints.JsonRejection(e, number);
            return new ParsedLine(null, ArticleIntake.Reject(rejection.Field == "body" ? rejection with { Field = "line" } : rejection, Channel));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    sealed record ParsedLine(ArticleSubmission? Submission, IntakeResult? Rejection);

    static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    IntakeResult TooLong() => Reject("line", $"The line is longer than {limits.MaxArticleBytes} bytes (Ingestion:MaxArticleBytes).");

    static IntakeResult Reject(string field, string message) => ArticleIntake.Reject(new(field, message), Channel);

    async ValueTask AddAsync(int line, Task<IntakeResult> result, CancellationToken cancellationToken)
    {
        _window.Enqueue((line, result));
        while (_window.Count >= limits.BatchWindow || (_window.Count > 0 && _window.Peek().Result.IsCompleted))
        {
            await WriteOldestAsync(cancellationToken);
        }
    }

    async ValueTask WriteOldestAsync(CancellationToken cancellationToken)
    {
        var (line, task) = _window.Dequeue();
        var result = await task;
        switch (result.Status)
        {
            case IntakeStatus.Accepted:
                _accepted++;
                break;
            case IntakeStatus.Duplicate:
                _duplicates++;
                break;
            case IntakeStatus.Rejected:
                _rejected++;
                break;
            default:
                _unavailable++;
                _brokerFailedAt ??= line;
                break;
        }

        if (!_started)
        {
            _beforeStart.Add((line, result));
            if (_accepted > 0 || _beforeStart.Count >= FlushEvery)
            {
                Start();
            }

            return;
        }

        WriteResult(line, result);
        if (_unflushed >= FlushEvery)
        {
            await FlushAsync(cancellationToken);
        }
    }

    void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = BatchEndpoints.NdjsonContentType;
        foreach (var (line, result) in _beforeStart)
        {
            WriteResult(line, result);
        }

        _beforeStart.Clear();
    }

    void WriteResult(int line, IntakeResult result)
    {
        var output = context.Response.BodyWriter;
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteNumber("line", line);
        _json.WriteString("status", result.Status switch
        {
            IntakeStatus.Accepted => "accepted",
            IntakeStatus.Duplicate => "duplicate",
            IntakeStatus.Rejected => "rejected",
            _ => "unavailable",
        });
        if (result.ArticleId is not null)
        {
            _json.WriteString("articleId", result.ArticleId);
        }

        if (result.DuplicateOf is not null)
        {
            _json.WriteString("duplicateOf", result.DuplicateOf);
        }

        if (result.Rejection is not null)
        {
            _json.WriteString("field", result.Rejection.Field);
        }

        if (result.Reason is not null)
        {
            _json.WriteString("reason", result.Reason);
        }

        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n"u8);
        _unflushed++;
    }

    void WriteSummary()
    {
        var output = context.Response.BodyWriter;
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteStartObject("summary");
        _json.WriteNumber("lines", _accepted + _duplicates + _rejected + _unavailable);
        _json.WriteNumber("accepted", _accepted);
        _json.WriteNumber("duplicate", _duplicates);
        _json.WriteNumber("rejected", _rejected);
        _json.WriteNumber("unavailable", _unavailable);
        if (_brokerFailedAt is { } failedAt)
        {
            _json.WriteNumber("brokerFailedAtLine", failedAt);
            _json.WriteNumber("retryAfterSeconds", ArticleEndpoints.RetryAfterSeconds);
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n"u8);
        _unflushed++;
    }

    async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _unflushed = 0;
        await context.Response.BodyWriter.FlushAsync(cancellationToken);
    }
}
