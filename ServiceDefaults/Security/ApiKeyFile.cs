using System.Security.Cryptography;
using System.Text.Json;
namespace Pipeline.ServiceDefaults.Security;

/// <summary>
/// The API keys the AppHost gives the services (<c>Auth</c> section of each): an ingest key for the ingestion API, a
/// read key for search and the analyst page, an admin key for every <c>/admin</c> endpoint and the dashboard commands.
/// Generated on the first run (32 random bytes each) and kept outside the repository, by default in
/// <c>~/.config/pipeline/api-keys.json</c> (readable by the user only), so they stay the same across runs; the
/// <c>import</c> command reads its ingest key from there too.
/// </summary>
public sealed record ApiKeys(string Ingest, string Read, string Admin)
{
    public const string HeaderName = ApiKeyAuthenticationHandler.HeaderName;

    /// <summary>The default keys file: <c>pipeline/api-keys.json</c> in the user's configuration folder.</summary>
    public static string DefaultFilePath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create), "pipeline", "api-keys.json");

    /// <summary>The keys in the file, or null when there is none.</summary>
    public static ApiKeys? TryLoad(string path) => File.Exists(path) ? LoadOrCreate(path, out _) : null;

    /// <summary>The keys in the file, or new ones written to it; <paramref name="created"/> says which.</summary>
    public static ApiKeys LoadOrCreate(string path, out bool created)
    {
        if (File.Exists(path))
        {
            created = false;
            var stored = JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(path));
            if (stored is { Ingest.Length: > 0, Read.Length: > 0, Admin.Length: > 0 })
            {
                return new ApiKeys(stored.Ingest, stored.Read, stored.Admin);
            }

            throw new InvalidOperationException($"The API keys file {path} is not valid: it must hold \"ingest\", \"read\" and \"admin\" keys. Delete it to have new keys generated.");
        }

        var keys = new ApiKeys(NewKey(), NewKey(), NewKey());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by the user only, from the moment it exists.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(file, new StoredKeys(keys.Ingest, keys.Read, keys.Admin), new JsonSerializerOptions { WriteIndented = true });
        }

        File.Move(temporary, path, overwrite: false);
        created = true;
        return keys;
    }

    static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    sealed record StoredKeys(
        [property: System.Text.Json.Serialization.JsonPropertyName("ingest")] string Ingest,
        [property: System.Text.Json.Serialization.JsonPropertyName("read")] string Read,
        [property: System.Text.Json.Serialization.JsonPropertyName("admin")] string Admin);
}
