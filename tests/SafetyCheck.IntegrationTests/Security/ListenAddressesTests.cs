using Microsoft.Extensions.Configuration;
using SafetyCheck.Security;

namespace SafetyCheck.IntegrationTests.Security;

public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.8.9.10:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("https://LOCALHOST:5443", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://unix:/run/safetycheck.sock", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    [InlineData("http://safetycheck.internal:5080", false)]
    [InlineData("not a url", false)]
    public void IsLoopback_ClassifiesAddresses(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(address));

    [Fact]
    public void FromConfiguration_ReadsUrlsPortsAndKestrelEndpoints()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:1; http://localhost:2",
            ["http_ports"] = "8080",
            ["https_ports"] = "8443",
            ["Kestrel:Endpoints:Grpc:Url"] = "https://0.0.0.0:9443",
            ["Kestrel:Endpoints:Local:Url"] = "http://127.0.0.1:9080",
        }).Build();

        var addresses = ListenAddresses.FromConfiguration(configuration);

        Assert.Equal(
            ["http://127.0.0.1:1", "http://localhost:2", "http://*:8080", "https://*:8443", "https://0.0.0.0:9443", "http://127.0.0.1:9080"],
            addresses);
    }
}
