using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// Raw TCP connections opened from one local address and held open, as a client that wants to exhaust the server
/// would: idle (nothing sent) or preface-only (the HTTP/2 client preface, then nothing, not even a PING answer).
/// Loopback gives many source addresses on Linux (127.0.0.1, 127.0.0.2, ...), so "another client" is another address.
/// </summary>
public sealed class HeldConnections : IDisposable
{
    /// <summary>The HTTP/2 client connection preface (RFC 9113, section 3.4).</summary>
    public static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    private readonly List<Socket> _sockets;
    private readonly HashSet<Socket> _closed = [];

    private HeldConnections(List<Socket> sockets) => _sockets = sockets;

    public int Count => _sockets.Count;

    /// <summary>Opens <paramref name="count"/> connections from <paramref name="from"/> to <paramref name="server"/>, sending <paramref name="send"/> on each.</summary>
    public static async Task<HeldConnections> OpenAsync(IPEndPoint server, IPAddress from, int count, byte[]? send = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(server);
                if (send is not null)
                {
                    await socket.SendAsync(send);
                }
            }
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }

        return new HeldConnections(sockets);
    }

    /// <summary>
    /// Waits until at least <paramref name="atLeast"/> connections have been closed by the server or
    /// <paramref name="timeout"/> passes, reading and dropping whatever the server sent; returns how many are closed.
    /// </summary>
    public async Task<int> WaitForClosedAsync(int atLeast, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        while (true)
        {
            foreach (var socket in _sockets.Where(s => !_closed.Contains(s)))
            {
                try
                {
                    while (socket.Poll(0, SelectMode.SelectRead))
                    {
                        if (socket.Receive(buffer) == 0)
                        {
                            _closed.Add(socket);
                            break;
                        }
                    }
                }
                catch (SocketException)
                {
                    _closed.Add(socket);
                }
            }

            if (_closed.Count >= atLeast || clock.Elapsed >= timeout)
            {
                return _closed.Count;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Waits until the server has sent something (its HTTP/2 SETTINGS, after a preface) on at least
    /// <paramref name="atLeast"/> connections, or <paramref name="timeout"/> passes; returns on how many it has. A server
    /// that answered a connection has taken it past its connection limit, whatever order it accepted them in.
    /// </summary>
    public async Task<int> WaitUntilAnsweredAsync(int atLeast, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var answered = _sockets.Count(s => s.Available > 0);
            if (answered >= atLeast || clock.Elapsed >= timeout)
            {
                return answered;
            }

            await Task.Delay(20);
        }
    }

    public void Dispose() => _sockets.ForEach(s => s.Dispose());
}
