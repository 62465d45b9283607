using System.Diagnostics;

namespace Pipeline.Processes;

public static class ChildProcesses
{
    /// <summary>Starts a child process whose standard output and error lines go to <paramref name="output"/>.</summary>
    public static Process StartCapturing(ProcessStartInfo start, OutputTail output)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
