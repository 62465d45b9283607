using System.Buffers.Text;
using System.Text.Json;

namespace Pipeline.SearchStore;

/// <summary>
/// The opaque search_after token: the sort the page was made with, the last hit's sort value (score or publication
/// time in ms) and its article id, the tiebreak. Base64url of a small JSON object; a token that does not decode, or was
/// made with another sort, is an invalid <c>cursor</c>.
/// </summary>
public sealed record SearchCursor(SearchSort Sort, double Value, string ArticleId)
{
    sealed record Token(SearchSort S, double V, string Id);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Token(Sort, Value, ArticleId)));

    public static SearchCursor Decode(string token, SearchSort expectedSort)
    {
        Token? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize<Token>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidSearchRequestException("cursor", "cursor is not a token returned as nextCursor by a previous search.", e);
        }

        if (decoded is null || string.IsNullOrEmpty(decoded.Id))
        {
            throw new InvalidSearchRequestException("cursor", "cursor is not a token returned as nextCursor by a previous search.");
        }

        if (decoded.S != expectedSort)
        {
            throw new InvalidSearchRequestException("cursor", $"cursor was made for sort '{decoded.S}', not '{expectedSort}'.");
        }

        return new SearchCursor(decoded.S, decoded.V, decoded.Id);
    }
}
