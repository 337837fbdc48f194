using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using SafetyCheck.Core.Telemetry;

namespace SafetyCheck.Limits;

/// <summary>
/// Connection middleware (first on every listener, before TLS and HTTP/2) that counts open connections per remote
/// address and closes a connection over <see cref="LimitsOptions.MaxConnectionsPerAddress"/> as soon as it is
/// accepted, so that idle or half-open sockets from one client cannot take the slots of everyone else. The health
/// listener's connections are counted apart. Refusals are reported at most once per <see cref="LogInterval"/>, with
/// their count (<see cref="RefusalReport{T}"/>).
/// </summary>
internal sealed class ConnectionsPerAddressLimiter(IOptions<LimitsOptions> options, HealthListener health, TimeProvider clock, ILogger<ConnectionsPerAddressLimiter> log) : IDisposable
{
    /// <summary>The most often refusals are logged: one line per interval, with the number refused in it.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<(bool Health, IPAddress Address), int> _open = [];
    private readonly Lock _gate = new();
    private readonly RefusalReport<IPAddress> _report = new(clock, LogInterval, (refused, address) =>
        LimitsLog.ConnectionsRefused(log, refused, address.ToString(), options.Value.MaxConnectionsPerAddress, LogInterval.TotalSeconds));

    /// <summary>Open connections now counted against <paramref name="remote"/>'s address (its /64 for IPv6).</summary>
    public int OpenFrom(IPAddress remote, bool health = false)
    {
        ArgumentNullException.ThrowIfNull(remote);
        lock (_gate)
        {
            return _open.GetValueOrDefault((health, Key(remote)));
        }
    }

    /// <summary>Runs <paramref name="next"/> for the connection, or closes it at once when its address is over the cap.</summary>
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        var cap = options.Value.MaxConnectionsPerAddress;
        if (cap == 0 || connection.RemoteEndPoint is not IPEndPoint remote)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var key = (health.Accepts(connection.LocalEndPoint), Key(remote.Address));
        if (!TryOpen(key, cap))
        {
            Refused(key.Item2, cap);

            // Returning without running the HTTP layer closes the socket: no TLS handshake, no HTTP/2 preface wait.
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Close(key);
        }
    }

    /// <summary>Stops the report timer, reporting refusals not yet reported.</summary>
    public void Dispose() => _report.Dispose();

    /// <summary>IPv4 (and IPv4-mapped) addresses as they are; IPv6 addresses by their /64 prefix.</summary>
    internal static IPAddress Key(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private bool TryOpen((bool, IPAddress) key, int cap)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= cap)
            {
                return false;
            }

            _open[key] = open + 1;
            return true;
        }
    }

    private void Close((bool, IPAddress) key)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(key) - 1;
            if (open <= 0)
            {
                _open.Remove(key);
            }
            else
            {
                _open[key] = open;
            }
        }
    }

    private void Refused(IPAddress address, int cap)
    {
        LimitsLog.ConnectionRefused(log, address.ToString(), cap);
        _report.Refused(address);
    }
}
