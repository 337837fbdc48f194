using System.Text.RegularExpressions;

namespace SafetyCheck.Audit.PostgreSql;

/// <summary>Settings of <see cref="PostgresAuditStorage"/>: which chain the instance owns, and how it behaves when the server fails.</summary>
public sealed partial record PostgresAuditStorageOptions
{
    /// <summary>
    /// The instance's chain: 1–100 characters, letters, digits, '.', '_' and '-', starting with a letter or digit.
    /// Stable across restarts of the same instance and different for every instance running at once (a second live
    /// instance with the same id is refused). Default: <see cref="DefaultInstanceId"/>.
    /// </summary>
    public string InstanceId { get; init; } = DefaultInstanceId(Environment.MachineName);

    /// <summary>Longest a write (one batch, or one archive) may take before it counts as failed; default 10 s, at least 1 s.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait after a failed reconnection before the next attempt; doubles after each failure up to <see cref="MaxReconnectDelay"/>. Default 250 ms.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between reconnection attempts; default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of the reconnection back-off.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>True when <paramref name="instanceId"/> can name a chain.</summary>
    public static bool IsValidInstanceId(string? instanceId) => instanceId is not null && InstanceIdPattern().IsMatch(instanceId);

    /// <summary>An instance id from a host name: lower case, every other character than letters, digits, '.', '_' and '-' as '-', at most 100 characters.</summary>
    public static string DefaultInstanceId(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var id = new string([.. hostName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]).TrimStart('.', '_', '-');
        id = id.Length > 100 ? id[..100] : id;
        return id.Length == 0 ? "instance" : id;
    }

    /// <exception cref="ArgumentException">An option is out of range.</exception>
    internal void Validate()
    {
        if (!IsValidInstanceId(InstanceId))
        {
            throw new ArgumentException($"The instance id '{InstanceId}' is not 1–100 letters, digits, '.', '_' or '-' starting with a letter or digit.", nameof(InstanceId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(WriteTimeout, TimeSpan.FromSeconds(1), nameof(WriteTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectDelay, TimeSpan.Zero, nameof(ReconnectDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReconnectDelay, ReconnectDelay, nameof(MaxReconnectDelay));
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex InstanceIdPattern();
}
