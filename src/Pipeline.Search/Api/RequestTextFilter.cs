using System.Text;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// Checks the text of every search endpoint's request before it is bound: each query parameter must be percent-encoded
/// UTF-8 (ASP.NET would silently turn <c>%FF</c> into U+FFFD), and no query or route value may hold a control
/// character (<c>%00</c>) or be longer than <see cref="MaxValueLength"/>. Anything else is a 400 naming the parameter.
/// </summary>
public sealed class RequestTextFilter : IEndpointFilter
{
    /// <summary>Longest value of any parameter, the query text included (Kestrel refuses request lines over 8 KB anyway).</summary>
    public const int MaxValueLength = 4_096;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Check(context.HttpContext.Request) is { } invalid ? SearchEndpoints.Invalid(invalid) : await next(context);

    static InvalidSearchRequestException? Check(HttpRequest request)
    {
        var query = request.QueryString.Value;
        foreach (var pair in (query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var rawName = separator < 0 ? pair : pair[..separator];
            // worthiness>=0.5 arrives as the key "worthiness>": the parameter is worthiness.
            var name = Decode(rawName)?.TrimEnd('>');
            var value = separator < 0 ? "" : Decode(pair[(separator + 1)..]);
            if (name is null || value is null)
            {
                var named = name ?? rawName;
                return new InvalidSearchRequestException(named, $"{named} is not percent-encoded UTF-8.");
            }

            if (Invalid(name, value) is { } invalid)
            {
                return invalid;
            }
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && Invalid(name, text) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    static InvalidSearchRequestException? Invalid(string name, string value) =>
        name.Any(char.IsControl) || value.Any(char.IsControl)
            ? new InvalidSearchRequestException(name, $"{name} must not contain control characters.")
            : value.Length > MaxValueLength
                ? new InvalidSearchRequestException(name, $"{name} is longer than {MaxValueLength} characters.")
                : null;

    /// <summary>The percent-decoded text ('+' is a space, a '%' without two hex digits stays as it is), or null when its bytes are not UTF-8.</summary>
    static string? Decode(string raw)
    {
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && Uri.IsHexDigit(raw[i + 1]) && Uri.IsHexDigit(raw[i + 2]))
            {
                bytes.Add((byte)((Uri.FromHex(raw[i + 1]) << 4) | Uri.FromHex(raw[i + 2])));
                i += 2;
            }
            else if (raw[i] == '+')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(raw[i].ToString()));
            }
        }

        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
