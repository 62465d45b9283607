using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Pipeline.EntityLinking.Tests;

public sealed class EntityLinkingOptionsTests
{
    static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddEntityLinker();
        return builder.Build();
    }

    [Fact]
    public async Task A_knowledge_base_path_that_does_not_exist_stops_the_start_naming_the_key()
    {
        using var host = Build(("EntityLinking:KnowledgeBasePath", "/nonexistent/kb"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("EntityLinking:KnowledgeBasePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_entry_in_the_knowledge_base_paths_stops_the_start_naming_the_setting_and_the_entry()
    {
        var kb = Directory.CreateTempSubdirectory("el-options-");
        try
        {
            using var host = Build(("EntityLinking:KnowledgeBasePaths:0", kb.FullName), ("EntityLinking:KnowledgeBasePaths:1", "/nonexistent/second.kb"));

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains("EntityLinking:KnowledgeBasePaths:1", error.Message, StringComparison.Ordinal);
            Assert.Contains("/nonexistent/second.kb", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            kb.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_threshold_outside_zero_to_one_stops_the_start_naming_the_key()
    {
        var kb = Directory.CreateTempSubdirectory("el-options-");
        try
        {
            File.WriteAllText(Path.Combine(kb.FullName, "kb.tsv"), "qid\tlabel\nQ1\tUniverse\n");
            using var host = Build(("EntityLinking:KnowledgeBasePath", kb.FullName), ("EntityLinking:MinConfidence", "1.5"));

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains("MinConfidence", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            kb.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_linker_model_file_that_does_not_exist_stops_the_start_naming_the_key()
    {
        var kb = Directory.CreateTempSubdirectory("el-options-");
        try
        {
            File.WriteAllText(Path.Combine(kb.FullName, "kb.tsv"), "qid\tlabel\nQ1\tUniverse\n");
            using var host = Build(("EntityLinking:KnowledgeBasePath", kb.FullName), ("EntityLinking:LinkerModelPath", "/nonexistent/linker-model.json"));

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains("EntityLinking:LinkerModelPath", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            kb.Delete(recursive: true);
        }
    }
}
