using Microsoft.Extensions.Configuration;
using Pipeline.ServiceDefaults.Security;

namespace Pipeline.AppHost.Security;

/// <summary>How the AppHost hands the services their keys (or switches authentication off for all of them).</summary>
static class AuthExtensions
{
    /// <summary>The keys (generated on the first run), or null when <c>Auth:Disabled</c> is true.</summary>
    public static ApiKeys? ApiKeysOf(IDistributedApplicationBuilder builder, out string path, out bool created)
    {
        path = builder.Configuration["Pipeline:KeysFile"] is { Length: > 0 } configured ? Path.GetFullPath(configured) : ApiKeys.DefaultFilePath;
        created = false;
        return builder.Configuration.GetValue<bool>("Auth:Disabled") ? null : ApiKeys.LoadOrCreate(path, out created);
    }

    /// <summary>
    /// All three keys (so a service can tell a key of another role, 403, from an unknown one, 401), or
    /// <c>Auth:Disabled=true</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApiKeys(this IResourceBuilder<ProjectResource> project, ApiKeys? keys)
    {
        project.WithAnnotation(new ApiKeysAnnotation(keys));
        if (keys is null)
        {
            return project.WithEnvironment("Auth__Disabled", "true");
        }

        return project
            .WithEnvironment("Auth__IngestKeys__0", keys.Ingest)
            .WithEnvironment("Auth__ReadKeys__0", keys.Read)
            .WithEnvironment("Auth__AdminKeys__0", keys.Admin);
    }

    /// <summary>The admin key the resource was given (none when authentication is off), for the dashboard commands that call it.</summary>
    public static string? AdminKeyOf(IResource resource) => resource.Annotations.OfType<ApiKeysAnnotation>().LastOrDefault()?.Keys?.Admin;

    /// <summary>Adds the resource's admin key to a dashboard command's request.</summary>
    public static Task AddAdminKey(HttpCommandRequestContext context, IResource resource)
    {
        if (AdminKeyOf(resource) is { } key)
        {
            context.Request.Headers.Add(ApiKeys.HeaderName, key);
        }

        return Task.CompletedTask;
    }

    sealed record ApiKeysAnnotation(ApiKeys? Keys) : IResourceAnnotation;
}
