using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Pipeline.ClaimTagging.Llm;
using Pipeline.ClaimTagging.Llm.Local;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tests;

/// <summary>A tiny random-weight Llama model in GGUF, written once for the class (a few hundred KB).</summary>
public sealed class RandomModelFile : IDisposable
{
    public RandomModelFile()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pipeline-local-model-").FullName;
        Path = System.IO.Path.Combine(Directory, "random-llama.gguf");
        RandomLlamaModel.Write(Path);
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>
/// The LLM tagger through llama.cpp for real (LLamaSharp, CPU backend) with a generated random-weight model: the
/// grammar makes every answer parse, whatever the weights say; items are validated against the text; a timeout, a
/// missing or corrupt model file and an unconstrained model's nonsense each end in the offline result flagged as a
/// fallback, with a log line naming the cause. No assertion depends on what the random weights happen to generate.
/// </summary>
public sealed class LlmClaimTaggerLocalModelTests(RandomModelFile model) : IClassFixture<RandomModelFile>
{
    static readonly string[] Articles =
    [
        "Unemployment fell to 3.5 percent last year, the minister said. The weather was nice.",
        "Meta shut down thousands of Chinese bot accounts, the company reported on Tuesday.",
        "The senator claimed the new law would double taxes for families. Critics disagreed.",
        "Officials said 40 people were killed in the flooding. Rescue teams arrived on Monday.",
    ];

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Small bounds, so the longest answer the grammar allows fits in MaxTokens: generation always completes.</summary>
    static LocalModelOptions Local(bool grammar = true) => new() { ContextSize = 8192, Threads = 2, MaxTokens = 4096, MaxClaims = 2, MaxClaimCharacters = 40, Grammar = grammar };

    [Fact]
    public void The_test_bounds_let_every_grammatical_answer_finish_within_the_token_limit()
    {
        var local = Local();
        Assert.InRange(LlmClaimSchema.MaxAnswerLength(local.MaxClaims, local.MaxClaimCharacters), 1, local.MaxTokens);
    }

    static ClaimTaggingOptions Options(TimeSpan? timeout = null) => new()
    {
        LlmTimeout = timeout ?? TimeSpan.FromMinutes(2),
        LlmMaxAttempts = 2,
        LlmRetryDelay = TimeSpan.FromMilliseconds(1),
        LlmMaxConcurrency = 1,
        LlmMinCheckWorthiness = 0,
    };

    string ConnectionString => $"Provider=Local;Model={model.Path}";

    sealed class OfflineMarker : IClaimTagger
    {
        public string Version => "offline-marker";

        public Task<ClaimsPayload> TagAsync(string text, CancellationToken cancellationToken) =>
            Task.FromResult(new ClaimsPayload { Claims = [], Tagger = "offline:marker" });
    }

    LlmClaimTagger Tagger(string connectionString, LocalModelOptions local, ClaimTaggingOptions options, ILoggerFactory loggers) =>
        ClaimTaggers.CreateLlm(connectionString, new OfflineMarker(), options, local, loggers);

    static async Task<string> AskAsync(IChatCompletionService chat, string article)
    {
        var prompt = ClaimPrompt.LoadEmbedded();
        var history = new ChatHistory();
        history.AddSystemMessage(prompt.System);
        history.AddUserMessage(await prompt.RenderUserAsync(article, Cancel));
        var answer = await chat.GetChatMessageContentAsync(history, new PromptExecutionSettings(), kernel: null, Cancel);
        return answer.Content ?? "";
    }

    [Fact]
    public async Task Grammar_constrained_answers_always_parse_and_follow_the_claim_schema()
    {
        var local = Local();
        var chat = LlmConnection.Parse(ConnectionString).CreateChatService(TimeSpan.FromMinutes(2), local);

        foreach (var article in Articles)
        {
            var answer = await AskAsync(chat, article);

            using var json = JsonDocument.Parse(answer);
            var claims = json.RootElement.GetProperty("claims");
            Assert.InRange(claims.GetArrayLength(), 0, local.MaxClaims);
            foreach (var item in claims.EnumerateArray())
            {
                // The grammar bounds code points as llama.cpp decodes them; random byte tokens can form invalid UTF-8,
                // which .NET decodes into several U+FFFD, so the bound is checked in bytes (at most 4 per code point).
                var text = item.GetProperty("text").GetString()!;
                Assert.NotEmpty(text);
                Assert.True(System.Text.Encoding.UTF8.GetByteCount(text) <= 4 * local.MaxClaimCharacters, answer);
                Assert.Contains(item.GetProperty("type").GetString(), ClaimTypes.All);
                Assert.Contains(item.GetProperty("attributionKind").GetString(), ClaimAttribution.Kinds);
                Assert.Contains(item.GetProperty("evidenceLevel").GetString(), EvidenceLevels.All);
                Assert.InRange(item.GetProperty("checkWorthiness").GetDouble(), 0, 1);
                Assert.InRange(item.GetProperty("confidence").GetDouble(), 0, 1);
            }
        }
    }

    [Fact]
    public async Task The_tagger_runs_through_llama_cpp_and_keeps_only_items_found_in_the_text()
    {
        var logs = new CapturedLogs();
        var local = Local();
        using var tagger = Tagger(ConnectionString, local, Options(), logs);
        var chat = LlmConnection.Parse(ConnectionString).CreateChatService(TimeSpan.FromMinutes(2), local);

        foreach (var article in Articles)
        {
            var payload = await tagger.TagAsync(article, Cancel);
            // Greedy decoding: asking the same prompt again gives the answer the tagger validated.
            using var answer = JsonDocument.Parse(await AskAsync(chat, article));
            var items = answer.RootElement.GetProperty("claims").GetArrayLength();

            Assert.False(payload.IsFallback, logs.Text);
            Assert.Equal("llm:random-llama", payload.Tagger);
            Assert.All(payload.Claims, c => Assert.Equal(c.Text, article[c.Start..c.End]));
            Assert.All(payload.Claims, c => Assert.Equal(new ClaimProvenance("llm", "random-llama", "tag-claims-v1"), c.Provenance));
            Assert.Equal(items, payload.Claims.Count + payload.InvalidItemsDropped);
        }

        Assert.DoesNotContain("offline tagger", logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_outlives_the_timeout_ends_in_the_offline_result_flagged_as_fallback()
    {
        var logs = new CapturedLogs();
        // Not reachable through configuration (at least 1 s there); the tiny model answers faster than that.
        using var tagger = Tagger(ConnectionString, Local(), Options(timeout: TimeSpan.FromMilliseconds(1)), logs);

        var payload = await tagger.TagAsync(Articles[0], Cancel);

        Assert.True(payload.IsFallback);
        Assert.Equal("offline:marker", payload.Tagger);
        Assert.True(logs.Text.Contains("(timeout: ", StringComparison.Ordinal), logs.Text);
    }

    [Fact]
    public async Task A_missing_model_file_ends_in_the_fallback_with_a_log_line_naming_it_and_is_not_retried()
    {
        var logs = new CapturedLogs();
        var missing = Path.Combine(model.Directory, "no-such-model.gguf");
        using var tagger = Tagger($"Provider=Local;Model={missing}", Local(), Options(), logs);

        var first = await tagger.TagAsync(Articles[0], Cancel);
        var second = await tagger.TagAsync(Articles[1], Cancel);

        Assert.True(first.IsFallback);
        Assert.True(second.IsFallback);
        Assert.Contains($"{missing} cannot be loaded: the file does not exist", logs.Text, StringComparison.Ordinal);
        // Not retried: one load attempt, remembered for the next article.
        Assert.Equal(1, logs.Count("cannot be loaded ("));
        Assert.DoesNotContain("attempt 1 of", logs.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public async Task A_corrupt_model_file_ends_in_the_fallback_with_a_log_line_naming_the_cause(string damage)
    {
        var logs = new CapturedLogs();
        var corrupt = Path.Combine(model.Directory, $"{damage}.gguf");
        var bytes = damage == "garbage"
            ? [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]
            : File.ReadAllBytes(model.Path)[..(int)(new FileInfo(model.Path).Length / 2)];
        await File.WriteAllBytesAsync(corrupt, bytes, Cancel);
        using var tagger = Tagger($"Provider=Local;Model={corrupt}", Local(), Options(), logs);

        var payload = await tagger.TagAsync(Articles[0], Cancel);

        Assert.True(payload.IsFallback);
        Assert.Equal("offline:marker", payload.Tagger);
        Assert.Contains($"{corrupt} cannot be loaded", logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unconstrained_random_output_is_malformed_and_ends_in_the_fallback()
    {
        var logs = new CapturedLogs();
        var local = Local(grammar: false);
        local.MaxTokens = 64;
        using var tagger = Tagger(ConnectionString, local, Options(), logs);

        var payload = await tagger.TagAsync(Articles[2], Cancel);

        Assert.True(payload.IsFallback);
        Assert.Contains("malformed", logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_connection_string_selects_the_local_provider_for_a_model_file()
    {
        Assert.Equal("local", LlmConnection.Parse("Provider=Local;Model=/models/qwen.gguf").Provider);
        Assert.Equal("local", LlmConnection.Parse("Model=/models/qwen2.5-3b-instruct-q4_k_m.gguf").Provider);
        Assert.Equal("qwen2.5-3b-instruct-q4_k_m", LlmConnection.Parse("Model=/models/qwen2.5-3b-instruct-q4_k_m.gguf").ModelName);
        var error = Assert.Throws<FormatException>(() => LlmConnection.Parse("Provider=Local;Endpoint=http://localhost:1/v1;Model=x.gguf"));
        Assert.Contains("takes no Endpoint", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Log lines of every category, as text.</summary>
    sealed class CapturedLogs : ILoggerFactory, ILogger
    {
        readonly ConcurrentQueue<string> lines = new();

        public string Text => string.Join('\n', lines);

        public int Count(string fragment) => lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

        public void Dispose()
        {
        }
    }
}
