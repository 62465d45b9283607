using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Pipeline.Embeddings;

/// <summary>
/// ONNX Runtime (1.31 on Linux and macOS) starts a telemetry uploader that posts to mobile.events.data.microsoft.com
/// and writes a session file in the working directory, unless <c>ORT_DISABLE_TELEMETRY=1</c> is in the process's
/// native environment when the runtime initialises; disabling the events through the API afterwards cannot recall
/// what initialisation sent. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach
/// the native environment on Unix, so the variable is set with libc's setenv before the first session.
/// </summary>
public static partial class OnnxRuntimeOffline
{
    public const string Variable = "ORT_DISABLE_TELEMETRY";

    static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Call before anything touches ONNX Runtime; idempotent and thread-safe.</summary>
    public static void Ensure() => _ = Applied.Value;

    static bool Apply()
    {
        Environment.SetEnvironmentVariable(Variable, "1");
        if (!OperatingSystem.IsWindows() && SetNativeEnvironment(Variable, "1", overwrite: 1) != 0)
        {
            throw new InvalidOperationException($"setenv({Variable}) failed: ONNX Runtime would report telemetry.");
        }

        OrtEnv.Instance().DisableTelemetryEvents();
        return true;
    }

    /// <summary>What the native runtime reads (libc's getenv), not .NET's copy of the environment.</summary>
    public static string? NativeValue() =>
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(Variable) : Marshal.PtrToStringUTF8(GetNativeEnvironment(Variable));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetNativeEnvironment(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeEnvironment(string name, string value, int overwrite);
}
