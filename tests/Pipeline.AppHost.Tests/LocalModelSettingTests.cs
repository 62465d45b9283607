using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Pipeline.AppHost.Tests;

/// <summary><c>Llm:ModelPath</c> as the AppHost hands it to claim-tagging (its application model, nothing started).</summary>
public sealed class LocalModelSettingTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_model_path_becomes_claim_taggings_local_llm_connection_and_no_other_service_gets_it()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-model-").FullName;
        try
        {
            var model = Path.Combine(dataDirectory, "model.gguf");
            await File.WriteAllBytesAsync(model, [1, 2, 3], Cancel);
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
                ["DOTNET_LAUNCH_PROFILE=http", $"--Pipeline:DataDirectory={dataDirectory}", $"--Pipeline:KeysFile={PipelineAppHostTests.KeysFile(dataDirectory)}", $"--Llm:ModelPath={model}"],
                Cancel);

            // The environment callbacks as declared, unresolved
            // (resolving the broker endpoint would wait for a started app).
            async Task<Dictionary<string, object>> EnvironmentOf(string name)
            {
                var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
                foreach (var callback in builder.Resources.Single(r => r.Name == name).Annotations.OfType<EnvironmentCallbackAnnotation>())
                {
                    try
                    {
                        await callback.Callback(context);
                    }
                    catch (InvalidOperationException)
                    {
                        // A callback that needs the running app's services; not the one under test.
                    }
                }

                return context.EnvironmentVariables;
            }

            var value = (await EnvironmentOf("claim-tagging"))["ConnectionStrings__llm"];
            Assert.Equal($"Provider=Local;Model={model}", value is IValueProvider provider ? await provider.GetValueAsync(Cancel) : value);
            Assert.False((await EnvironmentOf("entity-linking")).ContainsKey("ConnectionStrings__llm"));
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }

    [Fact]
    public async Task A_model_path_that_does_not_exist_stops_the_apphost_with_a_message_naming_the_setting()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-model-").FullName;
        try
        {
            var missing = Path.Combine(dataDirectory, "missing.gguf");
            var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
                    ["DOTNET_LAUNCH_PROFILE=http", $"--Pipeline:DataDirectory={dataDirectory}", $"--Pipeline:KeysFile={PipelineAppHostTests.KeysFile(dataDirectory)}", $"--Llm:ModelPath={missing}"],
                    Cancel);
            });

            var message = error.ToString();
            Assert.Contains("Llm:ModelPath", message, StringComparison.Ordinal);
            Assert.Contains(missing, message, StringComparison.Ordinal);
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }
}
