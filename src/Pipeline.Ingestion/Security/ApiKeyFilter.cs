using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Pipeline.Ingestion.Security;

/// <summary>
/// Every ingestion endpoint (not /health, /alive or the OpenAPI document) needs one of the configured
/// <see cref="IngestionOptions.ApiKeys"/> in the <c>X-Api-Key</c> header; 401 problem details otherwise. With no keys
/// configured the API is open.
/// </summary>
public sealed class ApiKeyFilter(IOptions<IngestionOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    readonly byte[][] _keys = [.. options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Encoding.UTF8.GetBytes(k))];

    public bool IsOpen => _keys.Length == 0;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (IsOpen || IsKnown(context.HttpContext.Request.Headers[HeaderName].ToString()))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = HeaderName;
        return ValueTask.FromResult<object?>(Results.Problem(
            title: "An API key is required",
            detail: $"Send one of the configured keys (Ingestion:ApiKeys) in the {HeaderName} header.",
            statusCode: StatusCodes.Status401Unauthorized));
    }

    bool IsKnown(string presented)
    {
        if (presented.Length == 0)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var known = false;
        foreach (var key in _keys)
        {
            // Constant time per key, and every key compared, so timing tells nothing about which prefix matched.
            known |= CryptographicOperations.FixedTimeEquals(bytes, key);
        }

        return known;
    }
}
