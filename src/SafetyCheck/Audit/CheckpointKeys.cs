using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;

namespace SafetyCheck.Audit;

/// <summary>
/// The keys of checkpoints: where the public half of a signing key is written for auditors, and which key a checkpoint
/// is verified with when the caller names none.
/// </summary>
internal static class CheckpointKeys
{
    /// <summary>Where the public half of <paramref name="privateKeyPath"/> is written for auditors: <c>….pub.pem</c>.</summary>
    public static string PublicKeyPathFor(string privateKeyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyPath);
        return privateKeyPath.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
            ? privateKeyPath[..^4] + ".pub.pem"
            : privateKeyPath + ".pub.pem";
    }

    /// <summary>
    /// True when <paramref name="pem"/> holds a private key (a PEM block labelled <c>PRIVATE KEY</c>, <c>EC PRIVATE KEY</c>,
    /// <c>ENCRYPTED PRIVATE KEY</c>, …): a caller that means to send a public key has sent its signing key instead.
    /// </summary>
    public static bool HoldsPrivateKey(string? pem) =>
        pem is not null && pem.Contains("PRIVATE KEY-----", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The key to verify a checkpoint with: <paramref name="publicKeyPem"/> when given, else the configured public key
    /// (<see cref="AuditPaths.CheckpointPublicKeyPath"/>), else the configured signing key when it exists; null when none
    /// is available. Never creates a key.
    /// </summary>
    /// <exception cref="ArgumentException">The PEM holds no P-256 key.</exception>
    /// <exception cref="CryptographicException">The PEM cannot be read as a key.</exception>
    /// <exception cref="IOException">The key file cannot be read.</exception>
    public static ECDsa? ForVerification(string? publicKeyPem, AuditPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!string.IsNullOrWhiteSpace(publicKeyPem))
        {
            return CheckpointKeyFile.FromPem(publicKeyPem);
        }

        var file = paths.CheckpointPublicKeyPath ?? paths.CheckpointKeyPath;
        return file is not null && File.Exists(file) ? CheckpointKeyFile.FromPem(File.ReadAllText(file)) : null;
    }
}
