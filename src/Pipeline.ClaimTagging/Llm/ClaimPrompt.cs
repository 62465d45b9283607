using System.Reflection;
using Microsoft.SemanticKernel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Pipeline.ClaimTagging.Llm;

/// <summary>A versioned prompt, read from a YAML file embedded in this assembly (Llm/Prompts/).</summary>
public sealed class ClaimPrompt
{
    public const string DefaultResource = "tag-claims-v1.yaml";

    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    public string Description { get; set; } = "";

    public double Temperature { get; set; }

    public int MaxTokens { get; set; } = 4096;

    public string System { get; set; } = "";

    public string User { get; set; } = "";

    public static ClaimPrompt LoadEmbedded(string resource = DefaultResource)
    {
        var name = "Pipeline.ClaimTagging.Llm.Prompts." + resource;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The prompt {name} is not embedded.");
        using var reader = new StreamReader(stream);
        var prompt = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<ClaimPrompt>(reader);
        return string.IsNullOrWhiteSpace(prompt.Version) || string.IsNullOrWhiteSpace(prompt.User)
            ? throw new InvalidDataException($"The prompt {name} needs a version and a user template.")
            : prompt;
    }

    /// <summary>The user message for one chunk, rendered with Semantic Kernel's template engine (the text is escaped).</summary>
    public async Task<string> RenderUserAsync(string text, CancellationToken cancellationToken)
    {
        var template = new KernelPromptTemplateFactory().Create(new PromptTemplateConfig(User) { AllowDangerouslySetContent = false });
        return await template.RenderAsync(new Kernel(), new KernelArguments { ["text"] = text }, cancellationToken);
    }
}
