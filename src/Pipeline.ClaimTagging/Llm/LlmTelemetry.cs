using System.Diagnostics.Metrics;

namespace Pipeline.ClaimTagging.Llm;

/// <summary>Metrics of the LLM tagger (meter <see cref="MeterName"/>): tokens paid for, requests by outcome, cache hits, fallbacks.</summary>
public static class LlmTelemetry
{
    public const string MeterName = "Pipeline.ClaimTagging.Llm";

    static readonly Meter Meter = new(MeterName);
    static readonly Counter<long> Tokens = Meter.CreateCounter<long>("pipeline.llm.tokens", "{token}", "Tokens used by LLM requests, by model and type (input/output).");
    static readonly Counter<long> Requests = Meter.CreateCounter<long>("pipeline.llm.requests", "{request}", "LLM requests by outcome (ok, timeout, malformed, refused, error).");
    static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("pipeline.llm.cache_hits", "{chunk}", "Chunks answered from the content-hash cache.");
    static readonly Counter<long> Dropped = Meter.CreateCounter<long>("pipeline.claims.invalid_items", "{item}", "Claims the LLM returned that failed validation.");
    static readonly Histogram<double> GenerationSeconds = Meter.CreateHistogram<double>("pipeline.llm.generation.duration", "s", "Time a local model spent answering one request (prompt processing and generation).");
    static readonly Counter<long> GeneratedTokens = Meter.CreateCounter<long>("pipeline.llm.generated_tokens", "{token}", "Tokens a local model generated; with pipeline.llm.generation.duration, its tokens per second.");
    static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("pipeline.claims.fallbacks", "{article}", "Articles tagged by the offline tagger because the LLM failed.");

    public static void RecordTokens(string model, long input, long output)
    {
        Tokens.Add(input, new("model", model), new("type", "input"));
        Tokens.Add(output, new("model", model), new("type", "output"));
    }

    public static void RecordRequest(string model, string outcome) => Requests.Add(1, new("model", model), new("outcome", outcome));

    public static void RecordGeneration(string model, int outputTokens, TimeSpan elapsed)
    {
        GeneratedTokens.Add(outputTokens, new KeyValuePair<string, object?>("model", model));
        GenerationSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("model", model));
    }

    public static void RecordCacheHit() => CacheHits.Add(1);

    public static void RecordDropped(int count) => Dropped.Add(count);

    public static void RecordFallback(string reason) => Fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
