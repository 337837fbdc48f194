using System.Diagnostics;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>The built <c>safetycheck</c> run as a child process, for what only a process shows (its environment, its exit).</summary>
public static class CliProcess
{
    /// <summary>Runs <paramref name="args"/> in <paramref name="workingDirectory"/> with <paramref name="environment"/> added (a null value removes a variable), stdin from <paramref name="input"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string[] args,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        string input = "")
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "safetycheck.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? TestPaths.RepositoryRoot,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
