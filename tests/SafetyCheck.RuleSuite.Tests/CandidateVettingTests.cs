using System.Text;
using SafetyCheck.Check;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;

namespace SafetyCheck.RuleSuite.Tests;

/// <summary>The gate a hot reload applies, on the shipped rules: they pass it, read in one pass and loaded from memory.</summary>
public class CandidateVettingTests
{
    private static readonly RuleSuiteRunner Runner = new(new ProtoRequestJsonReader());

    [Fact]
    public void Vet_ShippedRules_PassWithTheSameResultsAsFromTheDirectory()
    {
        var vetting = CandidateVetting.Vet(RuleDirectorySnapshot.Read(ShippedSuite.Directory), Runner);

        Assert.True(vetting.Passed, string.Join("\n", vetting.Problems));
        Assert.Equal(ShippedSuite.Load.RuleSet!.Identity, vetting.RuleSet!.Identity);
        Assert.Null(vetting.RuleSet.Directory);
        Assert.Equal(ShippedSuite.Report.Cases.Select(c => (c.Key, c.Passed, string.Join(",", c.Fired))), vetting.Suite!.Cases.Select(c => (c.Key, c.Passed, string.Join(",", c.Fired))));
        Assert.Empty(vetting.Warnings);
    }

    [Fact]
    public void Vet_SnapshotWithACatalogWarning_PassesAndCarriesTheWarning()
    {
        var snapshot = RuleDirectorySnapshot.Read(ShippedSuite.Directory);
        var catalog = snapshot.RevisionFiles.Single(f => f.Path == RuleSetLoader.CatalogFileName);
        var text = Encoding.UTF8.GetString(catalog.Content);
        var at = text.IndexOf("\"conditions\": [", StringComparison.Ordinal) + "\"conditions\": [".Length;
        var edited = text[..at] + "\n    { \"id\": \"vaccine-reaction\", \"display\": \"Vaccine reaction\", \"icd10\": [\"T88.1\"] }," + text[at..];
        var changed = snapshot with { RevisionFiles = [.. snapshot.RevisionFiles.Select(f => f == catalog ? new RuleSetFile(f.Path, Encoding.UTF8.GetBytes(edited)) : f)] };

        var vetting = CandidateVetting.Vet(changed, Runner);

        Assert.True(vetting.Passed, string.Join("\n", vetting.Problems));
        var warning = Assert.Single(vetting.Warnings);
        Assert.False(warning.IsError);
        Assert.Equal(RuleSetLoader.CatalogFileName, warning.File);
        Assert.Contains("ICD-10-CM pattern 'T88.1' of 'vaccine-reaction'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vet_SnapshotWithAFailingCase_IsRefusedAtTheCase()
    {
        var snapshot = RuleDirectorySnapshot.Read(ShippedSuite.Directory);
        var file = snapshot.CaseFiles.First(f => f.Path == "timing-and-setting.cases.json");
        var edited = Encoding.UTF8.GetString(file.Content).Replace("\"suitability\": \"NOT_SUITABLE\"", "\"suitability\": \"SUITABLE\"", StringComparison.Ordinal);
        var changed = snapshot with { CaseFiles = [.. snapshot.CaseFiles.Select(f => f == file ? new RuleSetFile(f.Path, Encoding.UTF8.GetBytes(edited)) : f)] };

        var vetting = CandidateVetting.Vet(changed, Runner);

        Assert.False(vetting.Passed);
        Assert.NotNull(vetting.RuleSet);
        Assert.All(vetting.Problems, p => Assert.Equal("timing-and-setting.cases.json", p.File));
        Assert.Contains(vetting.Problems, p => p.Message.StartsWith("case 'immunised 2 days ago: defer' failed: verdict NOT_SUITABLE, expected SUITABLE", StringComparison.Ordinal));
    }

    [Fact]
    public void Vet_SnapshotWhereOneRuleIsFiredByNoCase_IsRefusedForThatAlone()
    {
        // A rule that exactly one case fires, and that case taken out of its file: every case left passes.
        var only = ShippedSuite.Report.Cases
            .SelectMany(c => c.Fired.Select(rule => (Rule: rule, Case: c)))
            .GroupBy(x => x.Rule)
            .First(g => g.Count() == 1).Single();
        var snapshot = RuleDirectorySnapshot.Read(ShippedSuite.Directory);
        var file = snapshot.CaseFiles.Single(f => f.Path == only.Case.File);
        var cases = System.Text.Json.Nodes.JsonNode.Parse(file.Content)!;
        var list = cases["cases"]!.AsArray();
        list.Remove(list.Single(c => (string?)c!["name"] == only.Case.Name));
        var changed = snapshot with { CaseFiles = [.. snapshot.CaseFiles.Select(f => f == file ? new RuleSetFile(f.Path, Encoding.UTF8.GetBytes(cases.ToJsonString())) : f)] };

        var vetting = CandidateVetting.Vet(changed, Runner);

        Assert.False(vetting.Passed);
        var problem = Assert.Single(vetting.Problems);
        Assert.StartsWith($"rule '{only.Rule}' is fired by no case", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vet_SnapshotThatDoesNotLoad_IsRefusedWithTheLoadDiagnostics()
    {
        var snapshot = RuleDirectorySnapshot.Read(ShippedSuite.Directory);
        var broken = snapshot with { RevisionFiles = [.. snapshot.RevisionFiles.Where(f => f.Path != "ruleset.json")] };

        var vetting = CandidateVetting.Vet(broken, Runner);

        Assert.False(vetting.Passed);
        Assert.Null(vetting.RuleSet);
        Assert.Contains(vetting.Problems, p => p.File == "ruleset.json");
        Assert.NotEqual(snapshot.Revision, broken.Revision);
    }
}
