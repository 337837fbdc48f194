using System.Security.Cryptography;

using SafetyCheck.Audit.Pseudonyms;

namespace SafetyCheck.Audit.Checkpoints;

/// <summary>
/// The ECDSA P-256 key that signs checkpoints, as PEM. Configure a key held away from the database host where
/// possible: anyone who can read the private key can sign a checkpoint for a rewritten chain. When none is configured,
/// one is generated on first use into <c>&lt;db&gt;.checkpoint-key.pem</c> (PKCS#8, owner-only permissions); hand
/// auditors the public key (<see cref="ExportPublicKeyPem"/>) to verify with.
/// </summary>
public static class CheckpointKeyFile
{
    /// <summary>The default key file of the database at <paramref name="databasePath"/>.</summary>
    public static string PathFor(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return databasePath + ".checkpoint-key.pem";
    }

    /// <summary>The private key in <paramref name="pemPath"/>, creating the file with a new P-256 key when it does not exist.</summary>
    /// <exception cref="ArgumentException">The PEM holds no EC key, or not a P-256 one.</exception>
    /// <exception cref="IOException">The file cannot be read or created.</exception>
    public static ECDsa LoadOrCreate(string pemPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pemPath);
        if (!File.Exists(pemPath))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            AuditKeyFile.TryWriteNewPrivateFile(pemPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        return FromPem(File.ReadAllText(pemPath));
    }

    /// <summary>A P-256 key from PEM text: a private key (PKCS#8 or SEC1) to sign, or a public key to verify.</summary>
    /// <exception cref="ArgumentException">The PEM holds no EC key, or not a P-256 one.</exception>
    public static ECDsa FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new ArgumentException("Checkpoint keys are ECDSA P-256.", nameof(pem));
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The public half of <paramref name="key"/> as a <c>PUBLIC KEY</c> PEM, for auditors.</summary>
    public static string ExportPublicKeyPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem() + "\n";
    }
}
