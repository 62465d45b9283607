namespace Pipeline.Testing;

/// <summary>
/// The API keys every service started by a test accepts (authentication is on in the tests as in production): one per
/// role, so a test can show what each may do. <see cref="LoopbackWebApp"/>'s client sends the admin key.
/// </summary>
public static class TestApiKeys
{
    public const string Header = "X-Api-Key";
    public const string Ingest = "test-ingest-key-0123456789";
    public const string Read = "test-read-key-0123456789ab";
    public const string Admin = "test-admin-key-0123456789a";

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Auth:IngestKeys:0"] = Ingest,
        ["Auth:ReadKeys:0"] = Read,
        ["Auth:AdminKeys:0"] = Admin,
    };
}
