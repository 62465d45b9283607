using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.ServiceDefaults.Security;

public static class ApiKeyRegistration
{
    /// <summary>
    /// API-key authentication, with one authorization policy per role (<see cref="ApiKeyRoles"/>). The service names the
    /// roles its endpoints need: a start without keys for one of them stops with a message naming the setting, unless
    /// <c>Auth:Disabled</c> is true.
    /// </summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, params string[] rolesUsed)
    {
        services.AddOptions<ApiKeyOptions>()
            .BindConfiguration(ApiKeyOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.Disabled || rolesUsed.All(role => o.KeysFor(role).Any()),
                $"No API keys are configured for {string.Join(", ", rolesUsed.Select(ApiKeyOptions.KeyName).Distinct())} (or {ApiKeyOptions.SectionName}:AdminKeys). " +
                $"The AppHost (./run) generates and passes them; to run without authentication set {ApiKeyOptions.SectionName}:Disabled=true.")
            .Validate(
                o => o.Disabled || ApiKeyRoles.All.SelectMany(o.KeysFor).All(k => k.Length >= o.MinimumKeyLength),
                $"Every key in {ApiKeyOptions.SectionName}:IngestKeys, ReadKeys and AdminKeys must have at least {ApiKeyOptions.SectionName}:MinimumKeyLength characters.")
            .ValidateOnStart();
        services.AddProblemDetails();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(authorization =>
        {
            foreach (var role in ApiKeyRoles.All)
            {
                authorization.AddPolicy(role, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(role));
            }
        });
        return services;
    }

    /// <summary>Authentication and authorization in the pipeline; a warning when they are switched off.</summary>
    public static WebApplication UseApiKeyAuthentication(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Disabled)
        {
            app.Logger.LogWarning("{Setting}=true: authentication is off, every request may do everything. Use it for local experiments only.", $"{ApiKeyOptions.SectionName}:Disabled");
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
