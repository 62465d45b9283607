using System.Globalization;

namespace Pipeline.Cli.Bench;

/// <summary>CPU time and load of processes on Linux, from /proc (zeros where there is no /proc).</summary>
public static class ProcessStats
{
    /// <summary>User + system CPU seconds a process has used so far, with those of its living descendants.</summary>
    public static double CpuSeconds(int processId)
    {
        if (!Directory.Exists("/proc"))
        {
            return 0;
        }

        var parents = new Dictionary<int, List<int>>();
        var own = new Dictionary<int, double>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || Stat(pid) is not { } stat)
            {
                continue;
            }

            own[pid] = stat.CpuSeconds;
            if (!parents.TryGetValue(stat.ParentId, out var children))
            {
                parents[stat.ParentId] = children = [];
            }

            children.Add(pid);
        }

        var total = 0.0;
        var pending = new Stack<int>([processId]);
        while (pending.TryPop(out var pid))
        {
            total += own.GetValueOrDefault(pid);
            foreach (var child in parents.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }

        return total;
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static (int ParentId, double CpuSeconds)? Stat(int processId)
    {
        try
        {
            // Fields after the command name (which may contain spaces and parentheses): state, ppid, ... utime and
            // stime are the 12th and 13th, in clock ticks (100 a second on Linux).
            var text = File.ReadAllText($"/proc/{processId}/stat");
            var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), ticks / 100.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
