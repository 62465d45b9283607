using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using LLama.Transformers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.ClaimTagging.Llm.Local;

/// <summary>
/// A GGUF model run in-process by llama.cpp (LLamaSharp), as a Microsoft.Extensions.AI chat client: Semantic Kernel
/// sees it as a chat-completion service (<see cref="LlmConnection.CreateChatService"/>). The messages are formatted by
/// the model's own chat template; generation is greedy unless a temperature is asked for, bounded by
/// <see cref="LocalModelOptions.MaxTokens"/>, and (by default) constrained by the claim list's grammar, so the answer
/// always parses. The model loads on the first request; a file that is missing or does not load fails that request
/// (and the requests of the next <see cref="LoadRetryInterval"/>) with a non-retryable <see cref="LlmFailedException"/>
/// naming the cause, and the tagger falls back to the offline tagger. Each request gets its own llama.cpp context, so
/// requests can run side by side (the tagger bounds how many).
/// </summary>
public sealed class LocalChatClient : IChatClient
{
    /// <summary>How long a failed load is remembered before the file is tried again (it may have been fixed).</summary>
    public static readonly TimeSpan LoadRetryInterval = TimeSpan.FromSeconds(30);

    static int nativeLogConfigured;

    readonly string modelPath;
    readonly LocalModelOptions options;
    readonly ILogger logger;
    readonly TimeProvider time;
    readonly SemaphoreSlim loading = new(1, 1);
    readonly Lazy<Grammar> grammar;
    readonly ModelParams parameters;
    LLamaWeights? weights;
    (LlmFailedException Failure, DateTimeOffset At)? loadFailure;

    public LocalChatClient(string modelPath, LocalModelOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        this.modelPath = modelPath;
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        this.time = time ?? TimeProvider.System;
        grammar = new(() => new Grammar(LlmClaimSchema.Grammar(options.MaxClaims, options.MaxClaimCharacters), "root"));
        parameters = new ModelParams(modelPath)
        {
            ContextSize = options.ContextSize,
            Threads = options.EffectiveThreads,
            BatchThreads = options.EffectiveThreads,
            GpuLayerCount = 0,
        };
        ConfigureNativeLog(this.logger);
    }

    public string ModelId => Path.GetFileNameWithoutExtension(modelPath);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        var model = await LoadAsync(cancellationToken);
        var history = new ChatHistory();
        foreach (var message in messages)
        {
            history.AddMessage(message.Role == ChatRole.System ? AuthorRole.System : message.Role == ChatRole.Assistant ? AuthorRole.Assistant : AuthorRole.User, message.Text);
        }

        var prompt = new PromptTemplateTransformer(model, withAssistant: true).HistoryToText(history);
        var inference = new InferenceParams
        {
            MaxTokens = Math.Min(chatOptions?.MaxOutputTokens ?? options.MaxTokens, options.MaxTokens),
            AntiPrompts = [],
            SamplingPipeline = new DefaultSamplingPipeline
            {
                Temperature = chatOptions?.Temperature ?? 0,
                Seed = chatOptions?.Seed is { } seed ? (uint)seed : 42,
                Grammar = options.Grammar ? grammar.Value : null,
            },
        };

        var executor = new StatelessExecutor(model, parameters, logger);
        var answer = new StringBuilder();
        var outputTokens = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            await foreach (var piece in executor.InferAsync(prompt, inference, cancellationToken))
            {
                answer.Append(piece);
                outputTokens++;
            }

            // LLamaSharp ends the generation quietly when the token is cancelled: a cut-off answer is the caller's
            // timeout, not a malformed answer.
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or LlmFailedException))
        {
            // Cancelled mid-generation, llama.cpp's wrapper may fail in its own way: that is still the caller's cancellation.
            cancellationToken.ThrowIfCancellationRequested();
            throw new LlmFailedException("error", $"llama.cpp: {exception.Message}");
        }

        var inputTokens = model.Tokenize(prompt, add_bos: true, special: true, Encoding.UTF8).Length;
        LlmTelemetry.RecordGeneration(ModelId, outputTokens, clock.Elapsed);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.ToString()))
        {
            ModelId = ModelId,
            CreatedAt = time.GetUtcNow(),
            FinishReason = outputTokens >= inference.MaxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The tagger needs the whole answer; streaming is offered for completeness, as one update.
        var response = await GetResponseAsync(messages, chatOptions, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("llama.cpp", null, ModelId)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>Loads the model once; a failure is remembered for <see cref="LoadRetryInterval"/>.</summary>
    async Task<LLamaWeights> LoadAsync(CancellationToken cancellationToken)
    {
        if (weights is { } loaded)
        {
            return loaded;
        }

        await loading.WaitAsync(cancellationToken);
        try
        {
            if (weights is not null)
            {
                return weights;
            }

            if (loadFailure is { } failed && time.GetUtcNow() - failed.At < LoadRetryInterval)
            {
                throw failed.Failure;
            }

            try
            {
                if (!File.Exists(modelPath))
                {
                    throw new FileNotFoundException("the file does not exist", modelPath);
                }

                var clock = Stopwatch.StartNew();
                weights = await LLamaWeights.LoadFromFileAsync(parameters, cancellationToken);
                logger.LogInformation("Local model {Path} loaded in {Seconds:F1} s ({Parameters:N0} parameters, context {Context} tokens, {Threads} threads).",
                    modelPath, clock.Elapsed.TotalSeconds, weights.ParameterCount, options.ContextSize, options.EffectiveThreads);
                loadFailure = null;
                return weights;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A load cut short by the caller's cancellation (a timeout) says nothing about the file.
                cancellationToken.ThrowIfCancellationRequested();
                var failure = new LlmFailedException("model", $"the local model {modelPath} cannot be loaded: {exception.Message}", retryable: false);
                loadFailure = (failure, time.GetUtcNow());
                logger.LogError("The local model {Path} cannot be loaded ({Cause}); claims are tagged by the offline tagger until it loads.", modelPath, exception.Message);
                throw failure;
            }
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>llama.cpp logs every load step to stderr; only its warnings and errors go to the service's log.</summary>
    static void ConfigureNativeLog(ILogger logger)
    {
        if (Interlocked.Exchange(ref nativeLogConfigured, 1) == 1)
        {
            return;
        }

        NativeLogConfig.llama_log_set((level, message) =>
        {
            if (level is LLamaLogLevel.Warning)
            {
                logger.LogWarning("llama.cpp: {Message}", message.TrimEnd());
            }
            else if (level is LLamaLogLevel.Error)
            {
                logger.LogError("llama.cpp: {Message}", message.TrimEnd());
            }
        });
    }

    public void Dispose()
    {
        weights?.Dispose();
        loading.Dispose();
    }
}
