using System.Net;
using SafetyCheck.Limits;

namespace SafetyCheck.IntegrationTests.Limits;

public sealed class ConnectionsPerAddressLimiterTests
{
    [Theory]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("::1", "::")]
    public void Key_IPv4ByAddress_IPv6ByItsSlash64(string address, string key) =>
        Assert.Equal(IPAddress.Parse(key), ConnectionsPerAddressLimiter.Key(IPAddress.Parse(address)));
}
