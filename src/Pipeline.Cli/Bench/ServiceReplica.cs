using Pipeline.Processes;

namespace Pipeline.Cli.Bench;

/// <summary>One process of a service, which can crash (SIGKILL) and be started again with the same configuration.</summary>
public sealed class ServiceReplica(string project, int number, int of, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    ServiceProcess? _process;

    public string Project { get; } = project;

    /// <summary>"claim-tagging (claims)", or "claim-tagging (claims) #2" where the service runs more than once.</summary>
    public string Name { get; } = of > 1 ? $"{PipelineServices.Display(project)} #{number}" : PipelineServices.Display(project);

    public ServiceProcess Process => _process ?? throw new InvalidOperationException($"{Name} is not started.");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Whether a process was started (it may have exited since).</summary>
    public bool HasStarted => _process is not null;

    /// <summary>Starts the process (again, after a kill) and waits until its /health answers 200.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = null;
        _process = await ServiceProcess.StartAsync(RepositoryLayout.ServiceAssembly(Project), settings, cancellationToken);
    }

    /// <summary>A crash: SIGKILL, nothing flushed or acknowledged.</summary>
    public Task KillAsync() => Process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }
}
