using System.Security.Cryptography;
using SafetyCheck.Audit.Files;

namespace SafetyCheck.Audit.Checkpoints;

/// <summary>
/// The ECDSA P-256 key that signs checkpoints, as PEM. It must live away from the database: whoever can rewrite the
/// chain and read this key can sign a checkpoint for the rewritten chain, so a key in the database's folder (or below
/// it) is refused (<see cref="IsInDatabaseFolder"/>) and none is ever made there by default. Keep it on another host
/// where possible (an external signer), else in a folder only the signing account can read; hand auditors the public
/// key (<see cref="ExportPublicKeyPem"/>) to verify with.
/// </summary>
public static class CheckpointKeyFile
{
    /// <summary>
    /// True when <paramref name="keyPath"/> is in the folder of the database at <paramref name="databasePath"/> or below
    /// it, symbolic links followed: where a copy of the database, or whoever can write it, finds the key too.
    /// </summary>
    public static bool IsInDatabaseFolder(string keyPath, string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var folder = Path.TrimEndingDirectorySeparator(Resolve(Path.GetDirectoryName(Path.GetFullPath(databasePath))!));
        var key = Resolve(Path.GetFullPath(keyPath));
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return key.StartsWith(folder + Path.DirectorySeparatorChar, comparison) || string.Equals(key, folder, comparison);
    }

    /// <summary>The private key in <paramref name="pemPath"/>, creating the file (0600) with a new P-256 key when it does not exist.</summary>
    /// <exception cref="ArgumentException">The PEM holds no EC key, or not a P-256 one.</exception>
    /// <exception cref="IOException">The file cannot be read or created.</exception>
    public static ECDsa LoadOrCreate(string pemPath) => LoadOrCreate(pemPath, out _);

    /// <inheritdoc cref="LoadOrCreate(string)"/>
    /// <param name="pemPath">The key file.</param>
    /// <param name="created">True when this call made the key.</param>
    public static ECDsa LoadOrCreate(string pemPath, out bool created)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pemPath);
        created = false;
        if (!File.Exists(pemPath))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            created = PrivateFiles.TryWriteNew(pemPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        return FromPem(File.ReadAllText(pemPath));
    }

    /// <summary>A P-256 key from PEM text: a private key (PKCS#8 or SEC1) to sign, or a public key to verify.</summary>
    /// <exception cref="ArgumentException">The PEM holds no EC key, not a P-256 one, or one on a curve this platform cannot load.</exception>
    /// <exception cref="CryptographicException">The PEM's key cannot be read.</exception>
    public static ECDsa FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (!IsP256(key))
            {
                throw new ArgumentException("Checkpoint keys are ECDSA P-256.", nameof(pem));
            }

            return key;
        }
        catch (PlatformNotSupportedException ex)
        {
            // A damaged or exotic curve OID: the caller's key is wrong, not the service.
            key.Dispose();
            throw new ArgumentException("the key is on a curve this platform cannot load; checkpoint keys are ECDSA P-256", nameof(pem), ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when <paramref name="key"/> is on NIST P-256 (secp256r1) itself: other 256-bit curves (secp256k1,
    /// brainpoolP256r1) have the same key size and are not what a checkpoint's <c>ecdsa-p256-sha256</c> names.
    /// </summary>
    public static bool IsP256(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return key.KeySize == 256 && key.ExportParameters(false).Curve.Oid?.Value == ECCurve.NamedCurves.nistP256.Oid.Value;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The public half of <paramref name="key"/> as a <c>PUBLIC KEY</c> PEM, for auditors.</summary>
    public static string ExportPublicKeyPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem() + "\n";
    }

    /// <summary><paramref name="fullPath"/> with every symbolic link among its existing parts resolved.</summary>
    private static string Resolve(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "";
        var resolved = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            resolved = Path.Combine(resolved, part);
            FileSystemInfo info = Directory.Exists(resolved) ? new DirectoryInfo(resolved) : new FileInfo(resolved);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                resolved = Path.GetFullPath(target.FullName);
            }
        }

        return resolved;
    }
}
