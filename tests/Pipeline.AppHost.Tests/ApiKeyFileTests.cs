using Pipeline.ServiceDefaults.Security;

namespace Pipeline.AppHost.Tests;

/// <summary>The keys file the AppHost generates on the first run and reuses after.</summary>
public sealed class ApiKeyFileTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-keys-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Keys_are_generated_once_readable_by_the_user_only_and_read_back_the_same()
    {
        var path = Path.Combine(_directory.FullName, "config", "api-keys.json");

        var first = ApiKeys.LoadOrCreate(path, out var created);
        var second = ApiKeys.LoadOrCreate(path, out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first, second);
        Assert.Equal(3, new[] { first.Ingest, first.Read, first.Admin }.Distinct().Count());
        Assert.All(new[] { first.Ingest, first.Read, first.Admin }, k => Assert.True(k.Length >= 40, k));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(first, ApiKeys.TryLoad(path));
        Assert.Null(ApiKeys.TryLoad(Path.Combine(_directory.FullName, "absent.json")));
    }

    [Fact]
    public void A_keys_file_without_all_three_keys_is_an_error_naming_the_file()
    {
        var path = Path.Combine(_directory.FullName, "api-keys.json");
        File.WriteAllText(path, """{ "ingest": "x" }""");

        var error = Assert.Throws<InvalidOperationException>(() => ApiKeys.LoadOrCreate(path, out _));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
