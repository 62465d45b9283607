using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Contracts;

/// <summary>
/// The deterministic identity of an article, part of the contract so that every producer (ingestion, CLI, third
/// parties) computes the same id and text hash. Pure functions over strings.
/// </summary>
public static class ArticleIdentity
{
    /// <summary>"sha256:" + lower-case hex SHA-256 of the UTF-8 text.</summary>
    public static string ContentHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// 32 hex characters: the truncated SHA-256 of the canonical URL when there is one (the same story re-fetched
    /// keeps its id), otherwise of the content hash (the same text always gets the same id).
    /// </summary>
    public static string ArticleId(string? canonicalUrl, string contentHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        var key = string.IsNullOrEmpty(canonicalUrl) ? "text:" + contentHash : "url:" + canonicalUrl;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }
}
