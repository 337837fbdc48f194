using SafetyCheck.Audit.Files;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit;

/// <summary>The pseudonym key of the audit trail: configured, or the file beside the database (created on first run).</summary>
internal static class PseudonymKeys
{
    /// <summary>True when <paramref name="base64Key"/> is unset, or base64 of at least <see cref="Pseudonymiser.MinimumKeyBytes"/> bytes.</summary>
    public static bool IsValidConfiguredKey(string? base64Key)
    {
        if (string.IsNullOrWhiteSpace(base64Key))
        {
            return true;
        }

        var buffer = new byte[base64Key.Length];
        return Convert.TryFromBase64String(base64Key.Trim(), buffer, out var written) && written >= Pseudonymiser.MinimumKeyBytes;
    }

    /// <summary>The pseudonymiser for <paramref name="options"/>, and whether its key file was created just now.</summary>
    /// <exception cref="AuditStoreUnavailableException">The key file cannot be read, created or parsed (its content is never shown).</exception>
    public static OpenedPseudonymKey Resolve(AuditOptions options, AuditPaths paths)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        try
        {
            if (!string.IsNullOrWhiteSpace(options.PseudonymKey))
            {
                return new OpenedPseudonymKey(AuditKeyFile.Resolve(paths.DatabasePath, options.PseudonymKey, options.PseudonymKeyId), false);
            }

            var keyFile = AuditKeyFile.PathFor(paths.DatabasePath);
            var created = !File.Exists(keyFile);
            var pseudonymiser = AuditKeyFile.Resolve(paths.DatabasePath, null, options.PseudonymKeyId);
            return new OpenedPseudonymKey(pseudonymiser, created) { KeyFile = keyFile, NarrowedFrom = PrivateFiles.NarrowToOwner(keyFile) };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            var source = string.IsNullOrWhiteSpace(options.PseudonymKey)
                ? $"the key file {AuditKeyFile.PathFor(paths.DatabasePath)}"
                : $"{AuditOptions.Section}:{nameof(AuditOptions.PseudonymKey)}";

            // Format and argument messages could quote the key material: name the source only.
            var reason = ex is IOException or UnauthorizedAccessException ? ex.Message : "it is not base64 of at least 16 bytes";
            throw new AuditStoreUnavailableException($"the pseudonym key cannot be used ({source}): {reason}", ex);
        }
    }
}

/// <summary>The trail's pseudonymiser, and whether its key file was created by this start (a first run, or a lost file).</summary>
internal sealed record OpenedPseudonymKey(Pseudonymiser Pseudonymiser, bool CreatedNow)
{
    /// <summary>The key file beside the database the key was read from; null when the key is configured.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The mode the key file had when it gave its group or others a right, before this start narrowed it to 0600; null otherwise.</summary>
    public UnixFileMode? NarrowedFrom { get; init; }
}
