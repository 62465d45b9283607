using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Llm;

/// <summary>
/// Claim tagging by any chat model behind Semantic Kernel's <see cref="IChatCompletionService"/>. The text goes in
/// chunks of whole sentences (offsets kept); each answer must be JSON of <see cref="LlmClaimList"/>'s schema, and
/// each item is checked against the text (its span must be found verbatim) and the taxonomy; invalid items are
/// dropped and counted. Every request has a timeout and is retried with exponential back-off; when a chunk still
/// fails, the whole article is tagged by the offline tagger and flagged as a fallback. Answers are cached by a hash
/// of model, prompt version and chunk text, so the same text is never paid for twice.
/// </summary>
public sealed partial class LlmClaimTagger : IClaimTagger, IDisposable
{
    public const string TaggerName = "llm";

    readonly IChatCompletionService chat;
    readonly string modelId;
    readonly ClaimPrompt prompt;
    readonly IClaimTagger fallback;
    readonly ClaimTaggingOptions options;
    readonly ILogger logger;
    readonly TimeProvider time;
    readonly SemaphoreSlim concurrency;
    readonly ConcurrentDictionary<string, ChunkResult> cache = new();
    readonly bool sendResponseFormat;

    /// <param name="sendResponseFormat">
    /// Send the claim list's schema as the response format (OpenAI structured outputs). Off for a service that enforces
    /// the schema itself (a local model's grammar) and cannot take a CLR type as its response format.
    /// </param>
    public LlmClaimTagger(IChatCompletionService chat, string modelId, IClaimTagger fallback, ClaimTaggingOptions options,
        ClaimPrompt? prompt = null, ILogger<LlmClaimTagger>? logger = null, TimeProvider? time = null, bool sendResponseFormat = true)
    {
        this.sendResponseFormat = sendResponseFormat;
        this.chat = chat;
        this.modelId = modelId;
        this.fallback = fallback;
        this.options = options;
        this.prompt = prompt ?? ClaimPrompt.LoadEmbedded();
        this.logger = logger ?? NullLogger<LlmClaimTagger>.Instance;
        this.time = time ?? TimeProvider.System;
        concurrency = new SemaphoreSlim(options.LlmMaxConcurrency);
    }

    public string Version => $"{TaggerName}-{modelId}-{prompt.Version}";

    public async Task<ClaimsPayload> TagAsync(string text, CancellationToken cancellationToken)
    {
        var chunks = Chunk(text, options.LlmChunkCharacters);
        ChunkResult[] results;
        try
        {
            results = await Task.WhenAll(chunks.Select(c => TagChunkAsync(c.Text, cancellationToken)));
        }
        catch (LlmFailedException failure) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("LLM tagging failed ({Reason}: {Detail}); using the offline tagger.", failure.Reason, failure.Message);
            LlmTelemetry.RecordFallback(failure.Reason);
            var offline = await fallback.TagAsync(text, cancellationToken);
            return offline with { IsFallback = true };
        }

        var provenance = new ClaimProvenance(TaggerName, modelId, prompt.Version);
        var claims = new List<TaggedClaim>();
        for (var i = 0; i < chunks.Count; i++)
        {
            foreach (var claim in results[i].Claims)
            {
                var shifted = claim with { Start = claim.Start + chunks[i].Start, End = claim.End + chunks[i].Start, Provenance = provenance };
                if (text.AsSpan(shifted.Start, shifted.End - shifted.Start).SequenceEqual(shifted.Text) && !claims.Any(c => c.Start == shifted.Start && c.End == shifted.End))
                {
                    claims.Add(shifted);
                }
            }
        }

        return new ClaimsPayload
        {
            Claims = [.. claims.OrderBy(c => c.Start)],
            Tagger = $"{TaggerName}:{modelId}",
            InvalidItemsDropped = results.Sum(r => r.Dropped),
        };
    }

    async Task<ChunkResult> TagChunkAsync(string chunk, CancellationToken cancellationToken)
    {
        var key = CacheKey(chunk);
        if (cache.TryGetValue(key, out var cached))
        {
            LlmTelemetry.RecordCacheHit();
            return cached;
        }

        var user = await prompt.RenderUserAsync(chunk, cancellationToken);
        LlmFailedException? last = null;
        for (var attempt = 1; attempt <= options.LlmMaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                var delay = options.LlmRetryDelay * Math.Pow(2, attempt - 2);
                await Task.Delay(delay, time, cancellationToken);
            }

            try
            {
                var answer = await AskAsync(user, cancellationToken);
                var result = Validate(chunk, answer);
                LlmTelemetry.RecordRequest(modelId, "ok");
                LlmTelemetry.RecordDropped(result.Dropped);
                if (options.LlmCacheEntries > 0)
                {
                    if (cache.Count >= options.LlmCacheEntries)
                    {
                        cache.Clear();
                    }

                    cache[key] = result;
                }

                return result;
            }
            catch (LlmFailedException failure) when (!failure.Retryable)
            {
                LlmTelemetry.RecordRequest(modelId, failure.Reason);
                throw;
            }
            catch (LlmFailedException failure)
            {
                last = failure;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = new LlmFailedException("timeout", $"no answer within {options.LlmTimeout.TotalSeconds:F0} s");
            }
            catch (Exception exception) when (exception is HttpRequestException or HttpOperationException or KernelException or InvalidOperationException or IOException)
            {
                last = new LlmFailedException("error", exception.Message);
            }

            LlmTelemetry.RecordRequest(modelId, last.Reason);
            logger.LogInformation("LLM attempt {Attempt} of {Attempts} failed: {Reason}: {Detail}", attempt, options.LlmMaxAttempts, last.Reason, last.Message);
        }

        throw last!;
    }

    async Task<string> AskAsync(string user, CancellationToken cancellationToken)
    {
        var history = new ChatHistory();
        history.AddSystemMessage(prompt.System);
        history.AddUserMessage(user);
        var settings = new OpenAIPromptExecutionSettings
        {
            Temperature = prompt.Temperature,
            MaxTokens = prompt.MaxTokens,
            ResponseFormat = sendResponseFormat ? typeof(LlmClaimList) : null,
        };

        await concurrency.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.LlmTimeout);
            var message = await chat.GetChatMessageContentAsync(history, settings, kernel: null, timeout.Token);
            RecordUsage(message);
            if (message.Metadata?.TryGetValue("Refusal", out var refusal) == true && refusal is string { Length: > 0 } refusalText)
            {
                throw new LlmFailedException("refused", refusalText);
            }

            return message.Content ?? throw new LlmFailedException("malformed", "the answer has no content");
        }
        finally
        {
            concurrency.Release();
        }
    }

    /// <summary>Parses an answer and keeps the items whose text is found verbatim in the chunk and whose fields are valid.</summary>
    public ChunkResult Validate(string chunk, string answer)
    {
        var json = Fence().Match(answer) is { Success: true } fenced ? fenced.Groups["json"].Value : answer.Trim();
        JsonElement items;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("claims", out var claimsElement) || claimsElement.ValueKind != JsonValueKind.Array)
            {
                throw new LlmFailedException("malformed", "the answer is JSON but has no \"claims\" array");
            }

            items = claimsElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new LlmFailedException(Refusal().IsMatch(answer) ? "refused" : "malformed", $"the answer is not valid JSON ({exception.Message})");
        }

        var claims = new List<TaggedClaim>();
        var dropped = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (ToClaim(chunk, item, claims) is { } claim)
            {
                claims.Add(claim);
            }
            else
            {
                dropped++;
            }
        }

        return new ChunkResult(claims, dropped);
    }

    TaggedClaim? ToClaim(string chunk, JsonElement item, List<TaggedClaim> found)
    {
        LlmClaim? claim;
        try
        {
            claim = item.Deserialize<LlmClaim>(ItemJson);
        }
        catch (JsonException)
        {
            return null;
        }

        if (claim is null || string.IsNullOrWhiteSpace(claim.Text) || !ClaimTypes.All.Contains(claim.Type)
            || !InUnitRange(claim.CheckWorthiness) || !InUnitRange(claim.Confidence))
        {
            return null;
        }

        if (claim.CheckWorthiness < options.LlmMinCheckWorthiness)
        {
            return null;
        }

        var text = claim.Text.Trim();
        var start = chunk.IndexOf(text, StringComparison.Ordinal);
        // The same words may occur twice: take the first occurrence not already claimed.
        while (start >= 0 && found.Any(c => c.Start == start))
        {
            start = chunk.IndexOf(text, start + 1, StringComparison.Ordinal);
        }

        if (start < 0)
        {
            return null;
        }

        var source = string.IsNullOrWhiteSpace(claim.AttributionSource) ? "the author" : claim.AttributionSource.Trim();
        var kind = ClaimAttribution.Kinds.Contains(claim.AttributionKind) ? claim.AttributionKind : ClaimRules.KindOf(source);
        var attribution = new ClaimAttribution(source, kind);
        return new TaggedClaim
        {
            Text = text,
            Start = start,
            End = start + text.Length,
            Type = claim.Type,
            CheckWorthiness = Math.Round(claim.CheckWorthiness, 3),
            Attribution = attribution,
            EvidenceLevel = EvidenceLevels.All.Contains(claim.EvidenceLevel) ? claim.EvidenceLevel : ClaimRules.EvidenceLevelOf(text, attribution),
            Confidence = Math.Round(claim.Confidence, 3),
        };
    }

    static bool InUnitRange(double value) => value is >= 0 and <= 1;

    string CacheKey(string chunk) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{modelId}\n{prompt.Version}\n{chunk}")));

    void RecordUsage(ChatMessageContent message)
    {
        if (message.Metadata?.TryGetValue("Usage", out var usage) != true || usage is null)
        {
            return;
        }

        // OpenAI's ChatTokenUsage (InputTokenCount/OutputTokenCount); other connectors name them Prompt/Completion.
        long Read(params string[] names) =>
            names.Select(n => usage.GetType().GetProperty(n)?.GetValue(usage)).OfType<IConvertible>().Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        LlmTelemetry.RecordTokens(modelId, Read("InputTokenCount", "PromptTokens", "InputTokens"), Read("OutputTokenCount", "CompletionTokens", "OutputTokens"));
    }

    /// <summary>Whole sentences, packed into chunks of at most about <paramref name="maxCharacters"/>, with their start offsets.</summary>
    public static IReadOnlyList<(int Start, string Text)> Chunk(string text, int maxCharacters)
    {
        var chunks = new List<(int, string)>();
        int? chunkStart = null;
        var chunkEnd = 0;
        foreach (var (start, end) in Sentences.Split(text))
        {
            if (chunkStart is { } s && end - s > maxCharacters)
            {
                chunks.Add((s, text[s..chunkEnd]));
                chunkStart = null;
            }

            chunkStart ??= start;
            chunkEnd = end;
        }

        if (chunkStart is { } last)
        {
            chunks.Add((last, text[last..chunkEnd]));
        }

        return chunks;
    }

    static readonly JsonSerializerOptions ItemJson = new(JsonSerializerDefaults.Web);

    [GeneratedRegex(@"```(?:json)?\s*(?<json>[\s\S]*?)\s*```")]
    private static partial Regex Fence();

    [GeneratedRegex(@"\b(sorry|can't|cannot|unable to|not able to|won't)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Refusal();

    public void Dispose() => concurrency.Dispose();
}

/// <summary>The validated claims of one chunk (offsets relative to the chunk) and how many items were dropped.</summary>
public sealed record ChunkResult(IReadOnlyList<TaggedClaim> Claims, int Dropped);

/// <summary>An LLM request that did not give a usable answer: timeout, refused, malformed, error.</summary>
public sealed class LlmFailedException(string reason, string message, bool retryable = true) : Exception(message)
{
    public string Reason { get; } = reason;

    /// <summary>False when another attempt cannot help (a local model file that does not load): the tagger falls back at once.</summary>
    public bool Retryable { get; } = retryable;
}
