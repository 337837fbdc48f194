using System.Diagnostics;
using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary>
/// Signs a checkpoint with an external command, so the private key can stay on another host or a token: the command
/// (run with <c>/bin/sh -c</c>, <c>cmd /c</c> on Windows) gets the checkpoint body on stdin and prints its DER ECDSA
/// P-256 SHA-256 signature as base64 on stdout; the signature is checked with the signer's public key before the
/// checkpoint is used.
/// </summary>
internal static class CheckpointSigner
{
    /// <summary>Longest the command may run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A version 2 checkpoint signed by <paramref name="command"/>.</summary>
    /// <exception cref="IOException">The command cannot start, times out, fails, prints no base64, or its signature does not verify with <paramref name="publicKey"/>.</exception>
    public static Task<Checkpoint> SignAsync(
        string origin,
        AuditHead head,
        IReadOnlyList<string> revisions,
        DateTimeOffset time,
        string command,
        ECDsa publicKey,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checkpoint = Checkpoint.Create(origin, head, revisions, time, Checkpoint.KeyIdOf(publicKey), body => Run(command, body));
        return checkpoint.VerifySignature(publicKey)
            ? Task.FromResult(checkpoint)
            : throw new IOException($"the signer's signature does not verify with the public key {Checkpoint.KeyIdOf(publicKey)}: is it the signer's key?");
    }

    private static byte[] Run(string command, byte[] body)
    {
        var (shell, flag) = OperatingSystem.IsWindows() ? ("cmd.exe", "/c") : ("/bin/sh", "-c");
        var start = new ProcessStartInfo(shell, [flag, command])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new IOException($"the signer '{command}' could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(body);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading all of its input; its exit code and output say what happened.
        }
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new IOException($"the signer did not finish within {Timeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            var reason = error.GetAwaiter().GetResult().Split('\n', 2)[0].Trim();
            throw new IOException($"the signer exited with {process.ExitCode}{(reason.Length > 0 ? ": " + reason : "")}");
        }

        try
        {
            return Convert.FromBase64String(output.GetAwaiter().GetResult().Trim());
        }
        catch (FormatException)
        {
            throw new IOException("the signer did not print a base64 signature on stdout");
        }
    }
}
