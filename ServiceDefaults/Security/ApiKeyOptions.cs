using System.ComponentModel.DataAnnotations;

namespace Pipeline.ServiceDefaults.Security;

/// <summary>
/// Section <c>Auth</c>: the API keys a service accepts in the <c>X-Api-Key</c> header, by what they may do. An ingest key
/// submits articles and manages feeds; a read key searches and reads; an admin key does both and runs the
/// <c>/admin</c> operations. The AppHost generates one of each on the first run and passes them to the services.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Auth";

    /// <summary>No authentication at all (every request may do everything): for local experiments only, warned about at start.</summary>
    public bool Disabled { get; set; }

    public string[] IngestKeys { get; set; } = [];

    public string[] ReadKeys { get; set; } = [];

    public string[] AdminKeys { get; set; } = [];

    /// <summary>The shortest key accepted: a short key is guessable, whatever the comparison.</summary>
    [Range(8, 1024)]
    public int MinimumKeyLength { get; set; } = 16;

    /// <summary>The keys that grant a role: its own, and the admin keys (which grant every role).</summary>
    public IEnumerable<string> KeysFor(string role) => (role switch
    {
        ApiKeyRoles.Ingest => IngestKeys.Concat(AdminKeys),
        ApiKeyRoles.Read => ReadKeys.Concat(AdminKeys),
        ApiKeyRoles.Admin => AdminKeys,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Roles are ingest, read and admin."),
    }).Where(k => !string.IsNullOrWhiteSpace(k));

    /// <summary>The keys configured for exactly this role (admin keys only for admin).</summary>
    public IEnumerable<string> OwnKeys(string role) => (role switch
    {
        ApiKeyRoles.Ingest => IngestKeys,
        ApiKeyRoles.Read => ReadKeys,
        _ => AdminKeys,
    }).Where(k => !string.IsNullOrWhiteSpace(k));

    public static string KeyName(string role) => role switch
    {
        ApiKeyRoles.Ingest => $"{SectionName}:IngestKeys",
        ApiKeyRoles.Read => $"{SectionName}:ReadKeys",
        _ => $"{SectionName}:AdminKeys",
    };
}

/// <summary>What a key may do; each role is also the name of the authorization policy that requires it.</summary>
public static class ApiKeyRoles
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";

    public static readonly string[] All = [Ingest, Read, Admin];
}
