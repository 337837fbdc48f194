using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// <see cref="TwoRevisionTrail"/> and a host with the page on, over a copy of it, shared by the tests that only read.
/// </summary>
public sealed class AuditPageTrailHost : IAsyncLifetime
{
    private TempAuditFolder? _copy;
    private TestServerHost? _host;

    public TwoRevisionTrail Trail { get; } = new();

    internal TestServerHost Host => _host!;

    public async Task InitializeAsync()
    {
        await Trail.InitializeAsync();
        _copy = Trail.Copy();
        _host = await AuditPageHosts.StartAsync(_copy.DatabasePath);
    }

    internal Task<PageClient> SignedInAsync() => AuditPageHosts.SignedInAsync(Host);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _copy?.Dispose();
        await Trail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AuditPageTrailGroup : ICollectionFixture<AuditPageTrailHost>
{
    public const string Name = "auditor's page over a trail of two revisions";
}
