using SafetyCheck.Core.Audit;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Audit;
using SafetyCheck.Core.Tests.Support;
using static SafetyCheck.Core.Tests.Support.TerminologyFixture;

namespace SafetyCheck.Core.Tests.Terminology;

/// <summary>The terminology is part of the revision: archived with it, and seen again when a decision is replayed.</summary>
public class TerminologyReplayTests
{
    private const string Expansion386661006 = "terminology/snomed/386661006.json";

    [Fact]
    public async Task Replay_DecisionOnASubtype_UsesTheArchivedTerminology()
    {
        using var rules = TempRuleDirectory.WithRules(AuditTestSupport.FeverRule);
        rules.Write(TablePath, Table);
        rules.Write(Expansion386661006, Expansion("386661006", "Fever", ("248425001", "High fever")));
        var ruleSet = AuditTestSupport.LoadDirectory(rules.Path);
        using var dir = new TempAuditDirectory();
        await using var store = SqliteAuditStore.Open(dir.DatabasePath);
        await store.ArchiveRevisionAsync(ruleSet);
        var request = AuditTestSupport.Request() with
        {
            Conditions = [new UnvalidatedCondition { System = "http://snomed.info/sct", Code = "248425001" }],
        };
        var draft = AuditTestSupport.Draft(ruleSet, request);
        await store.AppendAsync(draft);
        var record = (await store.GetAsync(draft.DecisionId))!.ToRecord();

        // The rule directory changes (here: the expansion is gone); the archive still has the revision's files.
        File.Delete(Path.Combine(rules.Path, Expansion386661006));
        var archived = await store.GetRevisionFilesAsync(ruleSet.Identity.Revision);
        Assert.NotNull(archived);
        var replay = await new DecisionReplayer(store).ReplayAsync(record);
        var reloaded = RuleSetLoader.Load(archived);

        Assert.Equal(Core.Domain.Suitability.NotSuitable, draft.Verdict);
        Assert.Equal(ruleSet.Files.Select(f => f.Path), archived.Select(f => f.Path));
        Assert.Contains(TablePath, archived.Select(f => f.Path));
        Assert.True(replay.Matches, replay.Message);
        Assert.True(reloaded.Succeeded, string.Join("\n", reloaded.Diagnostics));
        Assert.Equal(ruleSet.Identity.Revision, reloaded.RuleSet.Identity.Revision);
        Assert.Equal("fever", reloaded.RuleSet.Catalog.Resolve("http://snomed.info/sct", "248425001")?.ConditionId);
    }
}
