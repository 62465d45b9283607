using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

static class LlmExtensions
{
    /// <summary>
    /// Hands the claim tagger the language model, when the AppHost has a <c>llm</c> connection string
    /// (<c>ConnectionStrings:llm</c>, e.g. <c>Endpoint=http://localhost:11434/v1;Model=llama3.1</c>; see docs/claims.md).
    /// Without one the tagger runs offline.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOptionalLlm(this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder) =>
        string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("llm"))
            ? project
            : project.WithReference(builder.AddConnectionString("llm"));
}
