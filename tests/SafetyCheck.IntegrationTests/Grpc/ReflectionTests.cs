using Grpc.Reflection.V1Alpha;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Grpc;

/// <summary>Server reflection is on, so grpcurl and grpcui can call the service without the .proto files.</summary>
public sealed class ReflectionTests
{
    [Fact]
    public async Task ListServices_IncludesSafetyCheckAndHealth()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);
        var client = new ServerReflection.ServerReflectionClient(host.Channel);

        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("safetycheck.v1.SafetyCheck", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task FileContainingSymbol_DescribesCheckRequest()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);
        var client = new ServerReflection.ServerReflectionClient(host.Channel);

        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "safetycheck.v1.CheckRequest" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.NotEmpty(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto);
    }
}
