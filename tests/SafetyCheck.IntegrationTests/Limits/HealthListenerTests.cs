using System.Net;
using SafetyCheck.Limits;

namespace SafetyCheck.IntegrationTests.Limits;

public sealed class HealthListenerTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5081", "127.0.0.1:5081", true)]
    [InlineData("http://127.0.0.1:5081", "127.0.0.1:5080", false)]
    [InlineData("http://127.0.0.1:5081", "127.0.0.2:5081", false)]
    [InlineData("http://127.0.0.1:5081", "[::ffff:127.0.0.1]:5081", true)]
    [InlineData("http://localhost:5081", "[::1]:5081", true)]
    [InlineData("http://localhost:5081", "10.0.0.5:5081", false)]
    [InlineData("http://*:5081", "10.0.0.5:5081", true)]
    [InlineData("http://0.0.0.0:5081", "10.0.0.5:5081", true)]
    [InlineData("http://[::]:5081", "[2001:db8::1]:5081", true)]
    [InlineData("http://10.0.0.5:5081;http://10.0.0.6:5081", "10.0.0.6:5081", true)]
    [InlineData("", "127.0.0.1:5081", false)]
    [InlineData("http://127.0.0.1", "127.0.0.1:80", false)]
    public void Accepts_TheAddressAndPortAConnectionArrivedOn(string urls, string local, bool expected) =>
        Assert.Equal(expected, HealthListener.Parse(urls).Accepts(IPEndPoint.Parse(local)));

    [Fact]
    public void Parse_KeepsWellFormedUrlsOnly()
    {
        var listener = HealthListener.Parse(" http://127.0.0.1:5081 ;https://127.0.0.1:5082;;http://127.0.0.1");

        Assert.Equal(["http://127.0.0.1:5081"], listener.Urls);
        Assert.True(listener.IsEnabled);
        Assert.False(HealthListener.Parse(null).IsEnabled);
    }
}
