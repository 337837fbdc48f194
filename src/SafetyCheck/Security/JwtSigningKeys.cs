using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace SafetyCheck.Security;

/// <summary>Turns <see cref="JwtOptions.SigningKeys"/> into security keys, with a message for each one that is unusable.</summary>
internal static class JwtSigningKeys
{
    /// <summary>Smallest shared secret accepted, in bytes: HS256 needs a key as long as its hash.</summary>
    public const int MinSymmetricKeyBytes = 32;

    public static (IReadOnlyList<SecurityKey> Keys, IReadOnlyList<string> Problems) Load(JwtOptions jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var keys = new List<SecurityKey>();
        var problems = new List<string>();
        for (var i = 0; i < jwt.SigningKeys.Count; i++)
        {
            var path = $"{CredentialsOptions.Section}:Jwt:SigningKeys:{i}";
            var entry = jwt.SigningKeys[i];
            var given = new[] { entry.PublicKeyPem, entry.PublicKeyFile, entry.SymmetricKeyBase64 }.Count(v => !string.IsNullOrWhiteSpace(v));
            if (given != 1)
            {
                problems.Add($"{path} must have exactly one of PublicKeyPem, PublicKeyFile or SymmetricKeyBase64 (has {given}).");
                continue;
            }

            SecurityKey? key = !string.IsNullOrWhiteSpace(entry.SymmetricKeyBase64) ? Symmetric(entry.SymmetricKeyBase64, path, problems) : Public(entry, path, problems);
            if (key is not null)
            {
                key.KeyId = string.IsNullOrWhiteSpace(entry.KeyId) ? null : entry.KeyId;
                keys.Add(key);
            }
        }

        return (keys, problems);
    }

    private static SymmetricSecurityKey? Symmetric(string base64, string path, List<string> problems)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), bytes, out var length))
        {
            problems.Add($"{path}:SymmetricKeyBase64 is not base64.");
            return null;
        }

        if (length < MinSymmetricKeyBytes)
        {
            problems.Add($"{path}:SymmetricKeyBase64 must decode to at least {MinSymmetricKeyBytes} bytes (got {length}).");
            return null;
        }

        return new SymmetricSecurityKey(bytes[..length]);
    }

    private static AsymmetricSecurityKey? Public(JwtSigningKeyOptions entry, string path, List<string> problems)
    {
        string pem;
        if (!string.IsNullOrWhiteSpace(entry.PublicKeyFile))
        {
            try
            {
                pem = File.ReadAllText(Path.GetFullPath(entry.PublicKeyFile, Environment.CurrentDirectory));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problems.Add($"{path}:PublicKeyFile cannot be read: {ex.Message}");
                return null;
            }
        }
        else
        {
            pem = entry.PublicKeyPem!;
        }

        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            problems.Add($"{path} holds a private key: give the service only the public key.");
            return null;
        }

        // The key lives as long as the options that hold it: for the life of the host.
#pragma warning disable CA2000
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ec.Dispose();
        }
#pragma warning restore CA2000

        problems.Add($"{path} is not an RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----).");
        return null;
    }
}
