using System.IO.Hashing;
using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Ingestion.Deduplication;

/// <summary>
/// What the duplicate index keeps of an article: 64-bit keys of its canonical URL and text, its MinHash signature
/// (null for texts too short to judge), its id.
/// </summary>
public sealed record ArticleFingerprint(ulong UrlKey, ulong ContentKey, uint[]? Signature, string ArticleId)
{
    /// <summary>Texts with fewer shingles than this are only checked for exact duplicates: a few words say too little.</summary>
    public const int MinShingles = 24;

    public static ArticleFingerprint Of(ArticleIngested article)
    {
        var (signature, shingles) = MinHash.Compute(article.Text);
        var urlKey = article.CanonicalUrl is null ? 0UL : XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(article.CanonicalUrl)) | 1UL;
        // The content hash is already a SHA-256; its first 64 bits are as good a key as any.
        var contentKey = Convert.ToUInt64(article.ContentHash.Substring("sha256:".Length, 16), 16) | 1UL;
        return new(urlKey, contentKey, shingles >= MinShingles ? signature : null, article.ArticleId);
    }
}
