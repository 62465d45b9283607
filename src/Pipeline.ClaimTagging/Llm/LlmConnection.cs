using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.AzureOpenAI;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Pipeline.ClaimTagging.Llm.Local;

namespace Pipeline.ClaimTagging.Llm;

/// <summary>
/// The <c>llm</c> connection string: <c>Endpoint=http://localhost:11434/v1;Model=llama3.1;Key=...</c>, optionally
/// <c>Provider=openai|azure|compatible|local</c> (default: local for a <c>.gguf</c> model file, openai without an
/// endpoint, azure for *.openai.azure.com, compatible otherwise) and <c>Deployment=</c> (Azure; default: the model).
/// <c>Provider=Local;Model=/path/model.gguf</c> runs the model file in-process (<see cref="LocalChatClient"/>).
/// </summary>
public sealed record LlmConnection(string Provider, Uri? Endpoint, string Model, string? Key, string? Deployment)
{
    public const string ConnectionStringName = "llm";

    /// <summary>Whether the tagger sends the claim list's schema as the response format (a local model's grammar enforces it instead).</summary>
    public bool SendsResponseFormat => Provider != "local";

    /// <summary>The model's name as telemetry and provenance show it (a local model: its file name without the extension).</summary>
    public string ModelName => Provider == "local" ? Path.GetFileNameWithoutExtension(Model) : Model;

    public static LlmConnection Parse(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Get(string key) => builder.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } text ? text : null;

        var endpointText = Get("Endpoint");
        Uri? endpoint = null;
        if (endpointText is not null && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new FormatException($"ConnectionStrings:{ConnectionStringName}: Endpoint '{endpointText}' is not an absolute http(s) URL.");
        }

        var model = Get("Model") ?? Get("Deployment")
            ?? throw new FormatException($"ConnectionStrings:{ConnectionStringName}: Model is required, e.g. \"Endpoint=http://localhost:11434/v1;Model=llama3.1\".");
        var provider = (Get("Provider") ?? (endpoint is null
            ? model.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? "local" : "openai"
            : endpoint.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase) ? "azure" : "compatible")).ToLowerInvariant();
        if (provider is not ("openai" or "azure" or "compatible" or "local"))
        {
            throw new FormatException($"ConnectionStrings:{ConnectionStringName}: Provider must be openai, azure, compatible or local, got '{provider}'.");
        }

        if (provider == "local")
        {
            if (endpoint is not null)
            {
                throw new FormatException($"ConnectionStrings:{ConnectionStringName}: the local provider runs a model file in-process and takes no Endpoint.");
            }

            // The file itself is checked when the model loads: a missing file makes the tagger fall back, not the service fail.
            return new LlmConnection(provider, null, Path.GetFullPath(model), null, null);
        }

        var key = Get("Key") ?? Get("ApiKey");
        if (provider is "openai" or "azure" && key is null)
        {
            throw new FormatException($"ConnectionStrings:{ConnectionStringName}: Key is required for the {provider} provider.");
        }

        if (provider is "azure" or "compatible" && endpoint is null)
        {
            throw new FormatException($"ConnectionStrings:{ConnectionStringName}: Endpoint is required for the {provider} provider.");
        }

        return new LlmConnection(provider, endpoint, model, key, Get("Deployment"));
    }

    /// <summary>
    /// The chat service. The HttpClient timeout is only a backstop: the tagger enforces its own per-request timeout,
    /// and passing our own HttpClient also turns off the OpenAI client's built-in retries (the tagger retries).
    /// </summary>
    public IChatCompletionService CreateChatService(TimeSpan requestTimeout, LocalModelOptions? local = null, ILoggerFactory? loggers = null)
    {
        if (Provider == "local")
        {
            var logger = loggers?.CreateLogger<LocalChatClient>();
            return new LocalChatClient(Model, local ?? new LocalModelOptions(), logger).AsChatCompletionService();
        }

        var http = new HttpClient { Timeout = requestTimeout + TimeSpan.FromSeconds(10) };
        return Provider switch
        {
            "azure" => new AzureOpenAIChatCompletionService(Deployment ?? Model, Endpoint!.ToString(), Key!, Model, http),
            "openai" => new OpenAIChatCompletionService(Model, Key!, httpClient: http),
#pragma warning disable SKEXP0010 // A custom endpoint (Ollama, vLLM, llama.cpp, LM Studio) is the point of this provider.
            _ => new OpenAIChatCompletionService(Model, Endpoint!, Key ?? "none", httpClient: http),
#pragma warning restore SKEXP0010
        };
    }
}
