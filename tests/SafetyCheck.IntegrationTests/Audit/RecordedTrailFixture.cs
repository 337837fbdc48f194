using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// A closed audit database written once by the real host: eight decisions an hour apart (three SUITABLE, two
/// NOT_SUITABLE by <c>fever</c>, three SUITABLE_WITH_PRECAUTIONS by <c>eczema</c>). Tests that damage it work on a copy.
/// </summary>
public sealed class RecordedTrailFixture : IAsyncLifetime, IDisposable
{
    private readonly TempAuditFolder _folder = new();

    public IReadOnlyList<CheckResponse> Responses { get; private set; } = [];

    public string Revision => Responses[0].Ruleset.Revision;

    public async Task InitializeAsync()
    {
        var responses = new List<CheckResponse>();
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [_folder.HostArgument]))
        {
            await host.SettledAsync();
            CheckRequest[] requests =
            [
                AuditRequests.Infant("1"), AuditRequests.Fever("2"), AuditRequests.Eczema("3"), AuditRequests.Infant("4"),
                AuditRequests.Eczema("5"), AuditRequests.Fever("6"), AuditRequests.Infant("7"), AuditRequests.Eczema("8"),
            ];
            foreach (var request in requests)
            {
                responses.Add(await host.Client.CheckAsync(request));
                host.Clock.Advance(TimeSpan.FromHours(1));
            }
        }

        Responses = responses;
    }

    /// <summary>A private copy of the database (and its pseudonym key) for one test.</summary>
    public TempAuditFolder Copy() => _folder.Copy();

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _folder.Dispose();
}
