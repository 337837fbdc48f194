using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit;
using SafetyCheck.IntegrationTests.Audit;

namespace SafetyCheck.IntegrationTests.Shutdown;

/// <summary>Shutdown is bounded even when the audit store is frozen: waiting calls are answered UNAVAILABLE, and the host says the store did not close.</summary>
public sealed class FrozenStoreShutdownTests
{
    [Fact]
    public async Task Stop_StoreFrozen_ReturnsWithinTheBound_WaitingCallsUnavailable_NotClosedCleanly()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync("--SafetyCheck:Limits:ShutdownTimeoutSeconds=2", "--SafetyCheck:Audit:CommitStallSeconds=60");
        host.Logs.Expect("SafetyCheck.Audit", "did not");
        await host.Client.CheckAsync(AuditRequests.Infant("before"));
        try
        {
            store.Freeze();
            var waiting = host.Client.CheckAsync(AuditRequests.Fever("waiting")).ResponseAsync;
            for (var i = 0; i < 500 && store.FrozenWrites == 0; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(1, store.FrozenWrites);
            var clock = Stopwatch.StartNew();
            await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            var took = clock.Elapsed;
            var error = await Assert.ThrowsAsync<RpcException>(() => waiting);

            Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(3));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.False(host.Services.GetRequiredService<AuditStoreLifetime>().ClosedCleanly);
        }
        finally
        {
            store.Thaw();
        }
    }
}
