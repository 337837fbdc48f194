using System.Text.RegularExpressions;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// An audit database written by the real host on two rule revisions, as an auditor would find it after a rule edit:
/// four days on the shipped rules, then four days on a copy whose <c>eczema</c> rule a clinician narrowed to children of
/// six months and more (so it no longer fires for the infants these requests describe). Each day five checks: an
/// infant (SUITABLE), two with eczema, one with fever (NOT_SUITABLE, asked by the clinical app's key) and another infant;
/// the rest are asked by the key holding every role. Tests that change the database work on a copy (<see cref="Copy"/>).
/// </summary>
public sealed class TwoRevisionTrail : IAsyncLifetime, IDisposable
{
    /// <summary>Days on each revision.</summary>
    public const int Days = 4;

    /// <summary>The version the edited copy of the rules is given (whatever the shipped rules' version is).</summary>
    public const string EditedVersion = "9.9.9";

    /// <summary>Checks per day.</summary>
    public const int PerDay = 5;

    private readonly TempAuditFolder _folder = new();
    private string? _editedRules;

    public string DatabasePath => _folder.DatabasePath;

    public IReadOnlyList<CheckResponse> Before { get; private set; } = [];

    public IReadOnlyList<CheckResponse> After { get; private set; } = [];

    /// <summary>The first day of the trail (UTC).</summary>
    public static DateOnly FirstDay => DateOnly.FromDateTime(TestServerHost.Now.UtcDateTime);

    public async Task InitializeAsync()
    {
        Before = await RecordAsync(TestPaths.Rules, startDay: 0);
        _editedRules = TestPaths.CopyOfRules();
        Edit(Path.Combine(_editedRules, "infection-and-skin.json"), "\"Expression\": \"child.Has(\\\"eczema\\\")\"", "\"Expression\": \"child.Has(\\\"eczema\\\") && child.AgeMonths >= 6\"");
        var ruleset = Path.Combine(_editedRules, "ruleset.json");
        File.WriteAllText(ruleset, Regex.Replace(File.ReadAllText(ruleset), "\"version\": \"[^\"]+\"", $"\"version\": \"{EditedVersion}\"", RegexOptions.None, TimeSpan.FromSeconds(1)));
        After = await RecordAsync(_editedRules, startDay: Days);
    }

    /// <summary>A private copy of the database (and its key files) for one test.</summary>
    public TempAuditFolder Copy() => _folder.Copy();

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _folder.Dispose();
        if (_editedRules is not null)
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(_editedRules)!, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    private static void Edit(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<CheckResponse>> RecordAsync(string rules, int startDay)
    {
        var responses = new List<CheckResponse>();
        await using var host = await TestServerHost.StartAsync(rules, args: [_folder.HostArgument]);
        var clinical = new SafetyCheck.Protos.V1.SafetyCheck.SafetyCheckClient(host.CreateChannel(TestCredentials.ClinicalAppKey));
        await host.SettledAsync();
        host.Clock.Advance(TimeSpan.FromDays(startDay));
        for (var day = 0; day < Days; day++)
        {
            var n = startDay + day;
            responses.Add(await host.Client.CheckAsync(AuditRequests.Infant($"d{n}-1")));
            host.Clock.Advance(TimeSpan.FromHours(2));
            responses.Add(await host.Client.CheckAsync(AuditRequests.Eczema($"d{n}-2")));
            host.Clock.Advance(TimeSpan.FromHours(2));
            responses.Add(await clinical.CheckAsync(AuditRequests.Fever($"d{n}-3")));
            host.Clock.Advance(TimeSpan.FromHours(2));
            responses.Add(await host.Client.CheckAsync(AuditRequests.Eczema($"d{n}-4")));
            host.Clock.Advance(TimeSpan.FromHours(2));
            responses.Add(await host.Client.CheckAsync(AuditRequests.Infant($"d{n}-5")));
            host.Clock.Advance(TimeSpan.FromHours(16));
        }

        return responses;
    }
}
