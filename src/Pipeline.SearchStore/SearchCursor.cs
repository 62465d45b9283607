using System.Buffers.Text;
using System.Text.Json;

namespace Pipeline.SearchStore;

/// <summary>
/// The opaque search_after token: the sort the page was made with, the last hit's sort value and its article id, the
/// tiebreak (both stores sort by the value, then the id). The value is exact: a score is a single-precision float and a
/// publication time whole milliseconds (a missing date sorts as 0), and a double holds either without loss. Base64url
/// of a small JSON object; a token that does not decode, holds a value no hit can have, or was made with another sort
/// is an invalid <c>cursor</c>.
/// </summary>
public sealed record SearchCursor(SearchSort Sort, double Value, string ArticleId)
{
    /// <summary>Longer ids than any article has are refused before they reach a store.</summary>
    public const int MaxArticleIdLength = 1_024;

    static readonly double EarliestMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    static readonly double LatestMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    sealed record Token(SearchSort S, double V, string Id);

    /// <summary>The cursor after <paramref name="hit"/>: its sort value exactly as the store sorted by it.</summary>
    public static SearchCursor After(SearchSort sort, SearchHit hit) =>
        new(sort, SortValue(sort, hit), hit.ArticleId);

    /// <summary>
    /// The hit's value of the sort's first field. Kept as two typed branches: a conditional mixing the float score with
    /// the long time is a float, which rounded times to ~65 seconds and made cursors repeat and skip tied dates.
    /// </summary>
    public static double SortValue(SearchSort sort, SearchHit hit)
    {
        if (sort == SearchSort.Relevance)
        {
            return (float)hit.Score;
        }

        long time = hit.PublishedAt?.ToUnixTimeMilliseconds() ?? 0;
        return time;
    }

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Token(Sort, Value, ArticleId)));

    public static SearchCursor Decode(string token, SearchSort expectedSort)
    {
        Token? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize<Token>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            throw NotAToken(e);
        }

        if (decoded is null || string.IsNullOrEmpty(decoded.Id) || decoded.Id.Length > MaxArticleIdLength || !Enum.IsDefined(decoded.S))
        {
            throw NotAToken();
        }

        if (decoded.S != expectedSort)
        {
            throw new InvalidSearchRequestException("cursor", $"cursor was made for sort '{decoded.S.ToString().ToLowerInvariant()}', not '{expectedSort.ToString().ToLowerInvariant()}'.");
        }

        var possible = decoded.S == SearchSort.Relevance
            ? double.IsFinite(decoded.V) && (float)decoded.V == decoded.V
            : double.IsInteger(decoded.V) && decoded.V >= EarliestMs && decoded.V <= LatestMs;
        if (!possible)
        {
            throw NotAToken();
        }

        return new SearchCursor(decoded.S, decoded.V, decoded.Id);
    }

    static InvalidSearchRequestException NotAToken(Exception? inner = null) =>
        new("cursor", "cursor is not a token returned as nextCursor by a previous search.", inner);
}
