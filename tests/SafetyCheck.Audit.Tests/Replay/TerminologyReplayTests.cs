using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Terminology;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Audit.Tests.Replay;

/// <summary>The terminology is part of the revision: archived with it, and seen again when a decision is replayed.</summary>
public class TerminologyReplayTests
{
    private const string Table = "terminology/icd10cm-fy2026.txt";
    private const string Expansion = "terminology/snomed/386661006.json";

    [Fact]
    public async Task Replay_DecisionOnASubtype_UsesTheArchivedTerminology()
    {
        using var rules = TempRuleDirectory.WithRules(AuditTestSupport.FeverRule);
        rules.Write(Table, "R50 2 8 81 82 83 84 9\nL20 0 8 81 82 83 84 89 9\n");
        var source = new ExpansionSource("test", "Synthetic test selection", null, "http://snomed.info/sct/900000000000207008/version/20250101", new DateOnly(2026, 1, 15));
        rules.Write(Expansion, SnomedExpansionWriter.Write(new SnomedExpansion(Expansion, "386661006", "Fever", "", [source], [new SnomedDescendant("248425001", "High fever", "test")])));
        var ruleSet = AuditTestSupport.LoadDirectory(rules.Path);
        using var dir = new TempAuditDirectory();
        await using var trail = await TestTrail.OpenAsync(dir.DatabasePath);
        await trail.ArchiveRevisionAsync(ruleSet);
        var request = AuditTestSupport.Request() with
        {
            Conditions = [new UnvalidatedCondition { System = CodeSystems.SnomedCt, Code = "248425001" }],
        };
        var draft = AuditTestSupport.Draft(ruleSet, request);
        await trail.AppendAsync(draft);
        var record = (await trail.GetAsync(draft.DecisionId))!.ToRecord();

        // The rule directory changes (here: the expansion is gone); the archive still has the revision's files.
        File.Delete(Path.Combine(rules.Path, Expansion));
        var archived = await trail.GetRevisionAsync(ruleSet.Identity.Revision);
        Assert.NotNull(archived);
        var replay = await new DecisionReplayer(trail).ReplayAsync(record);
        var reloaded = RuleSetLoader.Load(archived.Files);

        Assert.Equal(Suitability.NotSuitable, draft.Verdict);
        Assert.Equal(ruleSet.Files.Select(f => f.Path), archived.Files.Select(f => f.Path));
        Assert.Contains(Table, archived.Files.Select(f => f.Path));
        Assert.True(replay.Matches, replay.Message);
        Assert.True(reloaded.Succeeded, string.Join("\n", reloaded.Diagnostics));
        Assert.Equal(ruleSet.Identity.Revision, reloaded.RuleSet.Identity.Revision);
        Assert.Equal("fever", reloaded.RuleSet.Catalog.Resolve(CodeSystems.SnomedCt, "248425001")?.ConditionId);
    }
}
