using System.Data.Common;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.AzureOpenAI;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Pipeline.ClaimTagging.Llm;

/// <summary>
/// The <c>llm</c> connection string: <c>Endpoint=http://localhost:11434/v1;Model=llama3.1;Key=...</c>, optionally
/// <c>Provider=openai|azure|compatible</c> (default: openai without an endpoint, azure for *.openai.azure.com,
/// compatible otherwise) and <c>Deployment=</c> (Azure; default: the model).
/// </summary>
public sealed record LlmConnection(string Provider, Uri? Endpoint, string Model, string? Key, string? Deployment)
{
    public const string ConnectionStringName = "llm";

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
        var provider = (Get("Provider") ?? (endpoint is null ? "openai" : endpoint.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase) ? "azure" : "compatible")).ToLowerInvariant();
        if (provider is not ("openai" or "azure" or "compatible"))
        {
            throw new FormatException($"ConnectionStrings:{ConnectionStringName}: Provider must be openai, azure or compatible, got '{provider}'.");
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
    public IChatCompletionService CreateChatService(TimeSpan requestTimeout)
    {
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
