using System.Diagnostics.Metrics;
using Pipeline.ClaimTagging.Llm;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tests;

public sealed class LlmClaimTaggerTests
{
    const string Article =
        "China recently promised the Biden administration that it would not interfere in the U.S. 2024 presidential elections, CNN reported on Tuesday. " +
        "Meta shut down thousands of Chinese bot accounts, the company reported. The weather was nice.";

    const string RecordedAnswer = """
        {"claims": [
          {"text": "China recently promised the Biden administration that it would not interfere in the U.S. 2024 presidential elections, CNN reported on Tuesday.",
           "type": "promise", "checkWorthiness": 0.9, "attributionSource": "CNN", "attributionKind": "organisation", "evidenceLevel": "reported", "confidence": 0.8},
          {"text": "Meta shut down thousands of Chinese bot accounts", "type": "event", "checkWorthiness": 0.85,
           "attributionSource": "the company", "attributionKind": "organisation", "evidenceLevel": "reported", "confidence": 0.9}
        ]}
        """;

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static ClaimTaggingOptions FastOptions() => new() { LlmRetryDelay = TimeSpan.FromMilliseconds(1), LlmTimeout = TimeSpan.FromSeconds(5), LlmMaxAttempts = 3 };

    sealed class StubOffline : IClaimTagger
    {
        public string Version => "offline-stub";

        public Task<ClaimsPayload> TagAsync(string text, CancellationToken cancellationToken) =>
            Task.FromResult(new ClaimsPayload { Claims = [], Tagger = "offline:stub" });
    }

    static LlmClaimTagger Tagger(RecordedChatCompletion chat, ClaimTaggingOptions? options = null) =>
        new(chat, "recorded-model", new StubOffline(), options ?? FastOptions());

    [Fact]
    public async Task Recorded_answer_becomes_claims_whose_spans_match_the_article()
    {
        using var tagger = Tagger(new RecordedChatCompletion(RecordedAnswer));

        var payload = await tagger.TagAsync(Article, Cancel);

        Assert.False(payload.IsFallback);
        Assert.Equal("llm:recorded-model", payload.Tagger);
        Assert.Equal(2, payload.Claims.Count);
        Assert.All(payload.Claims, c => Assert.Equal(c.Text, Article[c.Start..c.End]));
        var meta = payload.Claims[1];
        Assert.Equal(new ClaimAttribution("the company", ClaimAttribution.Organisation), meta.Attribution);
        Assert.Equal(new ClaimProvenance("llm", "recorded-model", "tag-claims-v1"), meta.Provenance);
        Assert.Equal(0, payload.InvalidItemsDropped);
    }

    [Fact]
    public async Task Items_not_found_verbatim_or_outside_the_taxonomy_are_dropped_and_counted()
    {
        var answer = """
            {"claims": [
              {"text": "China promised not to meddle.", "type": "promise", "checkWorthiness": 0.9, "attributionSource": "CNN", "attributionKind": "organisation", "evidenceLevel": "reported", "confidence": 0.8},
              {"text": "Meta shut down thousands of Chinese bot accounts", "type": "rumour", "checkWorthiness": 0.9, "attributionSource": "Meta", "attributionKind": "organisation", "evidenceLevel": "reported", "confidence": 0.8},
              {"text": "Meta shut down thousands of Chinese bot accounts", "type": "event", "checkWorthiness": 7, "attributionSource": "Meta", "attributionKind": "organisation", "evidenceLevel": "reported", "confidence": 0.8},
              {"text": 42},
              {"text": "Meta shut down thousands of Chinese bot accounts", "type": "event", "checkWorthiness": 0.8, "attributionSource": "the company", "attributionKind": "company", "evidenceLevel": "rumoured", "confidence": 0.8}
            ]}
            """;
        using var tagger = Tagger(new RecordedChatCompletion(answer));

        var payload = await tagger.TagAsync(Article, Cancel);

        var claim = Assert.Single(payload.Claims);
        Assert.Equal(4, payload.InvalidItemsDropped);
        Assert.Equal(ClaimAttribution.Organisation, claim.Attribution?.Kind);
        Assert.Equal(EvidenceLevels.Reported, claim.EvidenceLevel);
    }

    [Fact]
    public async Task Malformed_answer_is_retried_and_a_later_good_answer_is_used()
    {
        var chat = new RecordedChatCompletion("Sure! Here are the claims: [claim 1, claim 2", RecordedAnswer);
        using var tagger = Tagger(chat);

        var payload = await tagger.TagAsync(Article, Cancel);

        Assert.False(payload.IsFallback);
        Assert.Equal(2, chat.Requests);
        Assert.Equal(2, payload.Claims.Count);
    }

    [Theory]
    [InlineData("{\"claims\": [{\"text\": \"China recently promised the Biden administration\", \"type\": \"prom")]
    [InlineData("I'm sorry, but I can't help with that request.")]
    [InlineData("{\"items\": []}")]
    [InlineData("```json\n{\"claims\": [\n```")]
    public async Task Truncated_refused_or_wrongly_shaped_answers_end_in_the_flagged_offline_result(string answer)
    {
        var chat = new RecordedChatCompletion(answer);
        using var tagger = Tagger(chat);

        var payload = await tagger.TagAsync(Article, Cancel);

        Assert.True(payload.IsFallback);
        Assert.Equal("offline:stub", payload.Tagger);
        Assert.Equal(3, chat.Requests);
    }

    [Fact]
    public async Task A_model_that_never_answers_times_out_and_falls_back_to_the_offline_result()
    {
        var chat = new RecordedChatCompletion([null]);
        var options = FastOptions();
        options.LlmTimeout = TimeSpan.FromMilliseconds(200);
        options.LlmMaxAttempts = 2;
        using var tagger = Tagger(chat, options);

        var payload = await tagger.TagAsync(Article, Cancel);

        Assert.True(payload.IsFallback);
        Assert.Equal(2, chat.Requests);
    }

    [Fact]
    public async Task The_same_text_is_sent_to_the_model_only_once()
    {
        var chat = new RecordedChatCompletion(RecordedAnswer);
        using var tagger = Tagger(chat);

        var first = await tagger.TagAsync(Article, Cancel);
        var second = await tagger.TagAsync(Article, Cancel);

        Assert.Equal(1, chat.Requests);
        Assert.Equal(first.Claims, second.Claims);
    }

    [Fact]
    public async Task Long_articles_are_sent_in_sentence_chunks_and_offsets_point_into_the_whole_text()
    {
        var filler = string.Concat(Enumerable.Range(0, 40).Select(i => $"Filler sentence number {i} says nothing much at all. "));
        var text = filler + Article;
        var chat = new RecordedChatCompletion(RecordedAnswer);
        var options = FastOptions();
        options.LlmChunkCharacters = 600;
        using var tagger = Tagger(chat, options);

        var payload = await tagger.TagAsync(text, Cancel);

        Assert.True(chat.Requests > 3);
        Assert.All(chat.UserMessages, m => Assert.True(m.Length < 900, $"a chunk of {m.Length} characters"));
        Assert.Equal(2, payload.Claims.Count);
        Assert.All(payload.Claims, c => Assert.Equal(c.Text, text[c.Start..c.End]));
        Assert.All(payload.Claims, c => Assert.True(c.Start >= filler.Length));
    }

    [Fact]
    public void Chunks_are_whole_sentences_that_cover_the_text_in_order()
    {
        var text = string.Concat(Enumerable.Range(0, 30).Select(i => $"Sentence {i} is here. "));

        var chunks = LlmClaimTagger.Chunk(text, 100);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.Equal(c.Text, text.Substring(c.Start, c.Text.Length)));
        Assert.All(chunks, c => Assert.EndsWith(".", c.Text, StringComparison.Ordinal));
        Assert.Equal(text.TrimEnd(), string.Join(" ", chunks.Select(c => c.Text)));
    }

    [Fact]
    public async Task Token_usage_is_reported_as_metrics()
    {
        long input = 0, output = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LlmTelemetry.MeterName && instrument.Name == "pipeline.llm.tokens")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var model = tags.ToArray().FirstOrDefault(t => t.Key == "model").Value as string;
            var type = tags.ToArray().FirstOrDefault(t => t.Key == "type").Value as string;
            if (model == "token-test-model")
            {
                _ = type == "input" ? Interlocked.Add(ref input, value) : Interlocked.Add(ref output, value);
            }
        });
        listener.Start();
        using var tagger = new LlmClaimTagger(new RecordedChatCompletion(RecordedAnswer), "token-test-model", new StubOffline(), FastOptions());

        await tagger.TagAsync(Article, Cancel);

        Assert.Equal(120, input);
        Assert.Equal(40, output);
    }

    [Theory]
    [InlineData("Endpoint=http://localhost:11434/v1;Model=llama3.1", "compatible", "llama3.1")]
    [InlineData("Model=gpt-4o-mini;Key=sk-test", "openai", "gpt-4o-mini")]
    [InlineData("Endpoint=https://contoso.openai.azure.com/;Model=gpt-4o;Deployment=claims;Key=k", "azure", "gpt-4o")]
    public void Connection_string_chooses_the_provider(string connectionString, string provider, string model)
    {
        var connection = LlmConnection.Parse(connectionString);

        Assert.Equal(provider, connection.Provider);
        Assert.Equal(model, connection.Model);
        Assert.NotNull(connection.CreateChatService(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("Endpoint=http://localhost:11434/v1", "Model is required")]
    [InlineData("Model=gpt-4o", "Key is required")]
    [InlineData("Endpoint=ftp://x;Model=m", "not an absolute http(s) URL")]
    public void A_bad_connection_string_is_rejected_with_a_message_naming_the_key(string connectionString, string message)
    {
        var error = Assert.Throws<FormatException>(() => LlmConnection.Parse(connectionString));

        Assert.Contains("ConnectionStrings:llm", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
