using System.Diagnostics;

namespace Pipeline.Processes;

/// <summary>
/// One of the product's services run as its own process from its build output (dotnet Service.dll), on a free
/// loopback port, with the given configuration as environment variables. Stopped with SIGTERM on dispose;
/// <see cref="KillAsync"/> is the crash (SIGKILL).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly OutputTail _output;

    ServiceProcess(string project, Process process, OutputTail output, Uri address, string? adminKey)
    {
        Project = project;
        _process = process;
        _output = output;
        Address = address;
        AdminKey = adminKey;
    }

    public const string ApiKeyHeader = "X-Api-Key";

    public string Project { get; }

    public Uri Address { get; }

    /// <summary>
    /// The admin API key the service was started with (it may do everything): generated for each start unless the
    /// settings configure <c>Auth</c> themselves; null when they do.
    /// </summary>
    public string? AdminKey { get; }

    /// <summary>A client for the service that sends <see cref="AdminKey"/>.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (AdminKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyHeader, AdminKey);
        }

        return client;
    }

    public string Output => _output.ToString();

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>Peak resident memory so far (VmHWM from /proc), in bytes; 0 where /proc is not available.</summary>
    public long PeakResidentBytes() => ProcessTree.PeakResidentBytes(_process.Id);

    /// <summary>Runs <paramref name="assembly"/> (a service's built entry .dll) and waits until its /health answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is not built.", assembly);
        }

        var project = Path.GetFileNameWithoutExtension(assembly);

        var address = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var start = new ProcessStartInfo("dotnet", [assembly]) { WorkingDirectory = Path.GetDirectoryName(assembly)! };
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        // Authentication is on in every service: unless the caller configures it, the service gets an admin key of its own.
        string? adminKey = null;
        if (!settings.Keys.Any(k => k.StartsWith("Auth:", StringComparison.Ordinal)))
        {
            adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            start.Environment["Auth__AdminKeys__0"] = adminKey;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var output = new OutputTail(400);
        var service = new ServiceProcess(project, ChildProcesses.StartCapturing(start, output), output, address, adminKey);

        try
        {
            await service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        string last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Project} exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health", cancellationToken);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"{Project} was not healthy within {timeout} (last: {last}):\n{Output}");
    }

    /// <summary>A crash: SIGKILL, no chance to flush or acknowledge anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Signals.StopAsync(_process, TimeSpan.FromSeconds(15));
        _process.Dispose();
    }
}
