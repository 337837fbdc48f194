using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;

namespace SafetyCheck.Audit;

/// <summary>
/// The keys of checkpoints: the private key that signs them (configured, or generated beside the database), its
/// public half for auditors, and the key a checkpoint is verified with.
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
    /// The key to verify a checkpoint with: <paramref name="publicKeyPem"/> when given, else the signing key at
    /// <paramref name="signingKeyPath"/> when it exists; null when neither is available. Never creates a key.
    /// </summary>
    /// <exception cref="ArgumentException">The PEM holds no P-256 key.</exception>
    /// <exception cref="CryptographicException">The PEM cannot be read as a key.</exception>
    /// <exception cref="IOException">The key file cannot be read.</exception>
    public static ECDsa? ForVerification(string? publicKeyPem, string signingKeyPath)
    {
        if (!string.IsNullOrWhiteSpace(publicKeyPem))
        {
            return CheckpointKeyFile.FromPem(publicKeyPem);
        }

        return File.Exists(signingKeyPath) ? CheckpointKeyFile.FromPem(File.ReadAllText(signingKeyPath)) : null;
    }
}
