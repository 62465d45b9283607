using System.Globalization;
using Pipeline.Processes;

namespace Pipeline.Cli.Bench;

/// <summary>CPU time and load of processes on Linux, from /proc (zeros where there is no /proc).</summary>
public static class ProcessStats
{
    /// <summary>User + system CPU seconds a process has used so far, with those of its living descendants.</summary>
    public static double CpuSeconds(int processId) => ProcessTree.Of(processId).Sum(pid => OwnCpuSeconds(pid));

    /// <summary>The peak resident memory (VmHWM) of a process and its living descendants, summed, in bytes.</summary>
    public static long PeakResidentBytes(int processId) => ProcessTree.Of(processId).Sum(ProcessTree.PeakResidentBytes);

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>utime + stime (the 12th and 13th fields after the command), in clock ticks of 100 a second on Linux.</summary>
    static double OwnCpuSeconds(int processId) =>
        ProcessTree.StatFields(processId) is { Length: > 12 } fields
        && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
        && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? (user + system) / 100.0
            : 0;
}
