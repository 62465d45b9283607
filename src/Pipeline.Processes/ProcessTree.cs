using System.Globalization;

namespace Pipeline.Processes;

/// <summary>Processes and their descendants on Linux, from /proc's parent links (empty where there is no /proc).</summary>
public static class ProcessTree
{
    /// <summary>The process and all of its living descendants (children, grandchildren, ...).</summary>
    public static IReadOnlySet<int> Of(int root)
    {
        var children = new Dictionary<int, List<int>>();
        if (Directory.Exists("/proc"))
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && StatFields(pid) is { } fields
                    && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
                {
                    if (!children.TryGetValue(parent, out var list))
                    {
                        children[parent] = list = [];
                    }

                    list.Add(pid);
                }
            }
        }

        var tree = new HashSet<int>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            if (tree.Add(pid))
            {
                foreach (var child in children.GetValueOrDefault(pid) ?? [])
                {
                    pending.Push(child);
                }
            }
        }

        return tree;
    }

    /// <summary>
    /// Kills <paramref name="root"/> and all of its descendants at once (SIGKILL, as a crash would), skipping those that
    /// ended meanwhile (a parent's death may take its children first).
    /// </summary>
    public static void Kill(int root)
    {
        foreach (var pid in Of(root))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Peak resident memory (VmHWM from /proc) of one process, in bytes; 0 when it is gone or there is no /proc.</summary>
    public static long PeakResidentBytes(int processId) => StatusBytes(processId, "VmHWM:");

    /// <summary>Resident memory now (VmRSS from /proc) of one process, in bytes; 0 when it is gone or there is no /proc.</summary>
    public static long ResidentBytes(int processId) => StatusBytes(processId, "VmRSS:");

    static long StatusBytes(int processId, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The fields of /proc/{pid}/stat after the command name (which may hold spaces and parentheses): [0] state,
    /// [1] parent id, ... [11] utime, [12] stime; null when the process is gone or not readable.
    /// </summary>
    public static string[]? StatFields(int processId)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{processId}/stat");
            return text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
