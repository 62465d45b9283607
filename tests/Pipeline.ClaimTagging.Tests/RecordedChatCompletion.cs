using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Pipeline.ClaimTagging.Tests;

/// <summary>
/// A fake chat model that answers with recorded responses, one per request, in order (the last one repeats).
/// A null response never answers (it waits for cancellation), which is how a hung model looks to the tagger.
/// </summary>
public sealed class RecordedChatCompletion(params string?[] responses) : IChatCompletionService
{
    int requests;

    public int Requests => requests;

    public List<string> UserMessages { get; } = [];

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        var index = Interlocked.Increment(ref requests) - 1;
        lock (UserMessages)
        {
            UserMessages.Add(chatHistory.Last().Content ?? "");
        }

        var response = responses[Math.Min(index, responses.Length - 1)];
        if (response is null)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var metadata = new Dictionary<string, object?> { ["Usage"] = new { InputTokenCount = 120, OutputTokenCount = 40 } };
        return [new ChatMessageContent(AuthorRole.Assistant, response, modelId: "recorded", metadata: metadata)];
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The tagger does not stream.");
}
