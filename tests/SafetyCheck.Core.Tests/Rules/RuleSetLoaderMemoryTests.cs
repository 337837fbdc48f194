using System.Text;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;
using static SafetyCheck.Core.Tests.Support.TerminologyFixture;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>Loading from files held in memory, the directory wrapper, and the terminology in the revision.</summary>
public class RuleSetLoaderMemoryTests
{
    private static readonly string FeverRule = Fixtures.Rule("fever", "child.Has(\"fever\")", conditions: "\"fever\"");

    private static TempRuleDirectory WithTerminology()
    {
        var dir = TempRuleDirectory.WithRules(FeverRule);
        dir.Write(TablePath, Table);
        dir.Write(SnomedFile, Expansion("386661006", "Fever", ("248425001", "High fever")));
        dir.Write("terminology/README.md", "# notes, not part of the revision");
        dir.Write("README.md", "# notes, not part of the revision");
        return dir;
    }

    private const string SnomedFile = "terminology/snomed/386661006.json";

    private static RuleSetFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Load_FilesReadFromADirectory_AnswersAsTheDirectoryDoes()
    {
        using var dir = WithTerminology();

        var fromDirectory = RuleSetLoader.Load(dir.Path);
        var fromMemory = RuleSetLoader.Load(RuleSetLoader.ReadFiles(dir.Path));

        Assert.True(fromDirectory.Succeeded, string.Join("\n", fromDirectory.Diagnostics));
        Assert.True(fromMemory.Succeeded, string.Join("\n", fromMemory.Diagnostics));
        Assert.Equal(fromDirectory.RuleSet.Identity, fromMemory.RuleSet.Identity);
        Assert.Null(fromMemory.RuleSet.Directory);
        Assert.Equal(dir.Path, fromDirectory.RuleSet.Directory);
        Assert.Equal(["conditions.json", "rules.json", "ruleset.json", TablePath, SnomedFile], fromMemory.RuleSet.Files.Select(f => f.Path));
        Assert.Equal("fever", fromMemory.RuleSet.Catalog.Resolve(CodeSystems.SnomedCt, "248425001")?.ConditionId);
        Assert.Equal("FY2026", fromMemory.RuleSet.Catalog.Terminology.Icd10Cm?.Edition);
    }

    [Fact]
    public void Revision_CoversTheTerminology_ButNotDocumentationOrCases()
    {
        using var dir = WithTerminology();
        var before = RuleSetLoader.Load(dir.Path).RuleSet!.Identity.Revision;

        dir.Write("terminology/README.md", "# changed notes");
        dir.Write("rules.cases.json", "{ \"cases\": [] }");
        var documentationChanged = RuleSetLoader.Load(dir.Path).RuleSet!.Identity.Revision;
        dir.Write(SnomedFile, Expansion("386661006", "Fever", ("248425001", "High fever"), ("50177009", "Fever with chills")));
        var expansionChanged = RuleSetLoader.Load(dir.Path).RuleSet!.Identity.Revision;
        dir.Write(TablePath, Table + "\nA00 0 1 9\n");
        var tableChanged = RuleSetLoader.Load(dir.Path).RuleSet!.Identity.Revision;

        Assert.Equal(before, documentationChanged);
        Assert.NotEqual(before, expansionChanged);
        Assert.NotEqual(expansionChanged, tableChanged);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    public void Load_LineEndingsTheRevisionDoesNotSee_ReadAlike_SoOneRevisionDecidesOneWay(string lineEnd)
    {
        // Only line endings differ: a lone CR after the comment must not hide the line that follows it.
        using var dir = WithTerminology();
        dir.Write(TablePath, "# fevers\nR50 2 8 81 82 83 84 9\n");
        var withLf = RuleSetLoader.Load(dir.Path);
        dir.Write(TablePath, $"# fevers{lineEnd}R50 2 8 81 82 83 84 9{lineEnd}");
        var withOther = RuleSetLoader.Load(dir.Path);

        Assert.True(withLf.Succeeded, string.Join("\n", withLf.Diagnostics));
        Assert.True(withOther.Succeeded, string.Join("\n", withOther.Diagnostics));
        Assert.Equal(withLf.RuleSet.Identity.Revision, withOther.RuleSet.Identity.Revision);
        Assert.Equal("fever", withLf.RuleSet.Catalog.Resolve(CodeSystems.Icd10Cm, "R50.9")?.ConditionId);
        Assert.Equal("fever", withOther.RuleSet.Catalog.Resolve(CodeSystems.Icd10Cm, "R50.9")?.ConditionId);
    }

    [Fact]
    public void Revision_OfARuleSetWithoutTerminology_IsTheHashOfItsFilesAsBefore()
    {
        using var dir = TempRuleDirectory.WithRules(FeverRule);

        var ruleSet = RuleSetLoader.Load(dir.Path).RuleSet!;

        Assert.Equal(["conditions.json", "rules.json", "ruleset.json"], ruleSet.Files.Select(f => f.Path));
        Assert.Equal(RevisionHasher.Compute(ruleSet.Files), ruleSet.Identity.Revision);
    }

    [Fact]
    public void Load_MalformedTerminologyInMemory_NamesTheFileByItsRelativePathWithLineAndColumn()
    {
        using var dir = WithTerminology();
        var files = RuleSetLoader.ReadFiles(dir.Path)
            .Select(f => f.Path == SnomedFile ? File(SnomedFile, "{\n  \"concept\": \"386661006\",\n  \"display\": 12\n}") : f)
            .ToList();

        var result = RuleSetLoader.Load(files);

        Assert.False(result.Succeeded);
        Assert.Contains("terminology/snomed/386661006.json:3:14: error: 'display' in the expansion must be a string", result.Diagnostics.Select(d => d.ToString()));
        Assert.All(result.Diagnostics, d => Assert.True(d.IsError));
    }

    [Fact]
    public void Load_MalformedCodeTable_IsADiagnosticNotACrash()
    {
        using var dir = WithTerminology();
        dir.Write(TablePath, "R50 9\nr50 2\n");

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Equal(
            ["terminology/icd10cm-fy2026.txt:2:1: error: 'r50' is not an ICD-10-CM category: a letter and two letters or digits, upper case"],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Load_PathsThatNoRuleSetHas_AreRejected()
    {
        using var dir = TempRuleDirectory.WithRules(FeverRule);
        var files = RuleSetLoader.ReadFiles(dir.Path).ToList();
        files.AddRange(
        [
            File("/etc/passwd.json", "{}"),
            File("../outside.json", "{}"),
            File("sub\\rules.json", "{}"),
            File("rules.json", "{}"),
            File("rules.cases.json", "{ \"cases\": [] }"),
            File("README.md", "# doc"),
            File("terminology/notes.txt", "x"),
        ]);

        var result = RuleSetLoader.Load(files);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                "../outside.json:0:0: error: a rule-set file needs a relative path with forward slashes inside the rule set",
                "/etc/passwd.json:0:0: error: a rule-set file needs a relative path with forward slashes inside the rule set",
                "README.md:0:0: error: not a rule-set file: rule files, ruleset.json and conditions.json are JSON; terminology lives under terminology/; the JSON Schemas under schemas/ are not part of a revision",
                "rules.cases.json:0:0: error: case files are not part of a rule revision; the rule suite reads them from the rule directory",
                "rules.json:0:0: error: the file is given twice",
                "sub\\rules.json:0:0: error: a rule-set file needs a relative path with forward slashes inside the rule set",
                "terminology/notes.txt:0:0: error: not a terminology file: SNOMED CT expansions are <concept>.json, the ICD-10-CM code table is icd10cm-fyYYYY.txt",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Load_NothingInMemory_SaysWhatIsMissing()
    {
        var result = RuleSetLoader.Load([]);

        Assert.Equal(
            [
                ".:0:0: error: the rule set has no rule files",
                "conditions.json:0:0: error: the rule set has no conditions.json (the condition catalog)",
                "ruleset.json:0:0: error: the rule set has no ruleset.json (name, version, parameters)",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }
}
