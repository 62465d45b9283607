using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Pipeline.AppHost.Tests;

/// <summary>The dashboard commands as the AppHost declares them (its application model, nothing started).</summary>
public sealed class DashboardCommandsModelTests
{
    [Fact]
    public async Task Commands_that_change_something_ask_for_confirmation_and_resume_does_not()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-apphost-model-").FullName;
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
                ["DOTNET_LAUNCH_PROFILE=http", $"--Pipeline:DataDirectory={dataDirectory}", $"--Pipeline:KeysFile={PipelineAppHostTests.KeysFile(dataDirectory)}"],
                TestContext.Current.CancellationToken);
            ResourceCommandAnnotation Command(string resource, string name) =>
                builder.Resources.Single(r => r.Name == resource).Annotations.OfType<ResourceCommandAnnotation>().Single(c => c.Name == name);

            (string Resource, string Command)[] confirmed =
            [
                ("ingestion", "pause-ingestion"),
                ("indexing", "rebuild-index"),
                ("indexing", "replay-errors"),
                ("claim-tagging", "rerun-enricher"), ("claim-tagging", "replay-errors"),
                ("entity-linking", "rerun-enricher"), ("entity-linking", "replay-errors"),
                ("fact-checking", "rerun-enricher"), ("fact-checking", "replay-errors"),
            ];
            Assert.All(confirmed, c => Assert.False(string.IsNullOrWhiteSpace(Command(c.Resource, c.Command).ConfirmationMessage), $"{c.Resource} {c.Command}"));
            Assert.Null(Command("ingestion", "resume-ingestion").ConfirmationMessage);
        }
        finally
        {
            PipelineAppHostTests.DeleteDirectory(dataDirectory);
        }
    }
}
