using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Pipeline.AppHost;

/// <summary>
/// Whether Docker or Podman can run containers right now. A container resource without a working runtime makes the
/// AppHost hang at start, so this is decided before any resource is added.
/// </summary>
static class ContainerRuntime
{
    static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The first runtime whose <c>info</c> succeeds (the one Aspire is configured to use, if any), or null.</summary>
    public static string? FindHealthy(IConfiguration configuration)
    {
        var configured = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"];
        string[] candidates = string.IsNullOrWhiteSpace(configured) ? ["docker", "podman"] : [configured];
        return candidates.FirstOrDefault(IsHealthy);
    }

    static bool IsHealthy(string runtime)
    {
        var start = new ProcessStartInfo(runtime, "info")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            // Drain the output so a chatty client cannot block on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false; // not installed
        }
    }
}
