using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.ServiceDefaults.Security;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header: every configured key is compared in constant time (and
/// all of them, so timing says nothing about which one nearly matched); the roles of the matching keys become role
/// claims. A missing key is no result (401 where a policy needs one), an unknown key a failure (401); a known key
/// without the needed role is forbidden (403). Both answers are problem details naming the header and the role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiKeyOptions> keys,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    readonly (string Role, byte[] Key)[] _keys = [.. ApiKeyRoles.All.SelectMany(role => keys.Value.OwnKeys(role).Select(k => (role, Encoding.UTF8.GetBytes(k))))];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.Value.Disabled)
        {
            return Task.FromResult(Success("authentication disabled", ApiKeyRoles.All));
        }

        var presented = Request.Headers[HeaderName].ToString();
        if (presented.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (role, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, key))
            {
                roles.Add(role);
            }
        }

        if (roles.Contains(ApiKeyRoles.Admin))
        {
            roles.UnionWith(ApiKeyRoles.All);
        }

        return Task.FromResult(roles.Count == 0 ? AuthenticateResult.Fail("The API key is not one of the configured keys.") : Success("api key", roles));
    }

    AuthenticateResult Success(string name, IEnumerable<string> roles)
    {
        var identity = new ClaimsIdentity(roles.Select(r => new Claim(ClaimTypes.Role, r)).Prepend(new Claim(ClaimTypes.Name, name)), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers[HeaderName].Count > 0;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await WriteProblemAsync(
            presented ? "The API key is not valid" : "An API key is required",
            presented
                ? $"The {HeaderName} header does not hold one of this service's keys."
                : $"Send an API key in the {HeaderName} header (the AppHost prints its keys at start; see the README).");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null) ?? "another";
        await WriteProblemAsync("The API key may not do this", $"This endpoint needs a key with the {needed} role ({ApiKeyOptions.KeyName(needed)}).");
    }

    Task WriteProblemAsync(string title, string detail) =>
        problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        }).AsTask();
}
