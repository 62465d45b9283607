using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

static class LlmExtensions
{
    /// <summary>AppHost key of a local GGUF model file for the claim tagger (run in-process by llama.cpp).</summary>
    public const string ModelPathKey = "Llm:ModelPath";

    /// <summary>
    /// Hands the claim tagger its language model: a local GGUF file (<c>Llm:ModelPath</c>, e.g.
    /// <c>./run --Llm:ModelPath=/models/qwen2.5-3b-instruct-q4_k_m.gguf</c>), which becomes the service's
    /// <c>ConnectionStrings:llm</c> = <c>Provider=Local;Model=...</c>; or a model server's <c>llm</c> connection string
    /// (<c>ConnectionStrings:llm</c>, e.g. <c>Endpoint=http://localhost:11434/v1;Model=llama3.1</c>; see docs/claims.md).
    /// Without either the tagger runs offline. Setting both is refused at start.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOptionalLlm(this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder)
    {
        var modelPath = builder.Configuration[ModelPathKey];
        var connectionString = builder.Configuration.GetConnectionString("llm");
        if (!string.IsNullOrWhiteSpace(modelPath))
        {
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"Set either {ModelPathKey} (a local model file) or ConnectionStrings:llm (a model server), not both.");
            }

            var fullPath = Path.GetFullPath(modelPath);
            if (!File.Exists(fullPath))
            {
                throw new InvalidOperationException($"{ModelPathKey}: {fullPath} does not exist (a GGUF model file; `pipeline llm random-model --out FILE` writes a tiny one to try the path).");
            }

            return project.WithEnvironment("ConnectionStrings__llm", $"Provider=Local;Model={fullPath}");
        }

        return string.IsNullOrWhiteSpace(connectionString)
            ? project
            : project.WithReference(builder.AddConnectionString("llm"));
    }
}
