using System.Diagnostics;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>How a rule directory is walked: real folders only, symbolic links to files read, within bounds.</summary>
public class RuleDirectoryReaderTests
{
    private static readonly string FeverRule = Fixtures.Rule("fever", "child.Has(\"fever\")", conditions: "\"fever\"");

    [Fact]
    public void Load_SymbolicLinkToAFolderThatLoops_IsOneProblemNamingIt_AndIsNotFollowed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = TempRuleDirectory.WithRules(FeverRule);
        dir.Write("terminology/README.md", "# notes");
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "terminology", "up"), "..");

        var timer = Stopwatch.StartNew();
        var result = RuleSetLoader.Load(dir.Path);
        var cases = Assert.Throws<RuleDirectoryUnreadableException>(() => RuleSuiteRunner.ReadCaseFiles(dir.Path));

        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(5), $"took {timer.Elapsed}");
        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Diagnostics);
        Assert.Equal(("terminology/up", 0, 0, true), (problem.File, problem.Line, problem.Column, problem.IsError));
        Assert.Equal(
            "terminology/up is a symbolic link to a folder; the rule set is read from real folders only: copy the files in, or point --rules at the real folder",
            problem.Message);
        Assert.Equal([problem], cases.Problems);
    }

    [Fact]
    public void List_SymbolicLinkToAFolder_IsListedAsALink_AndWhatItHoldsIsNot()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = TempRuleDirectory.WithRules(FeverRule);
        using var elsewhere = new TempRuleDirectory();
        elsewhere.Write("other.json", "{}");
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "linked"), elsewhere.Path);

        var listing = RuleDirectoryReader.List(dir.Path);

        Assert.Equal(["conditions.json", "rules.json", "ruleset.json"], listing.Files.Select(f => f.Path));
        Assert.Equal("linked", Assert.Single(listing.FolderLinks).Path);
        Assert.Equal("linked", Assert.Single(listing.Problems).File);
    }

    [Fact]
    public void Load_SymbolicLinkToAFile_IsReadAsTheFileItPointsTo()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var plain = TempRuleDirectory.WithRules(FeverRule);
        using var linked = TempRuleDirectory.WithRules(FeverRule);
        using var elsewhere = new TempRuleDirectory();
        File.Move(Path.Combine(linked.Path, "rules.json"), Path.Combine(elsewhere.Path, "target.json"));
        File.CreateSymbolicLink(Path.Combine(linked.Path, "rules.json"), Path.Combine(elsewhere.Path, "target.json"));

        var expected = RuleSetLoader.Load(plain.Path);
        var result = RuleSetLoader.Load(linked.Path);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(expected.RuleSet!.Identity, result.RuleSet.Identity);
        Assert.Equal("fever", Assert.Single(result.RuleSet.Rules).RuleId);
    }

    [Fact]
    public void Load_RuleDirectoryThatIsItselfASymbolicLink_Loads()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = TempRuleDirectory.WithRules(FeverRule);
        var link = dir.Path + "-link";
        Directory.CreateSymbolicLink(link, dir.Path);
        try
        {
            var result = RuleSetLoader.Load(link);

            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            Assert.Equal(RuleSetLoader.Load(dir.Path).RuleSet!.Identity, result.RuleSet.Identity);
        }
        finally
        {
            File.Delete(link);
        }
    }

    [Fact]
    public void Load_SymbolicLinkToAFileThatIsMissing_IsAProblemNamingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = TempRuleDirectory.WithRules(FeverRule);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "gone.json"), Path.Combine(dir.Path, "nowhere.json"));

        var problem = Assert.Single(RuleSetLoader.Load(dir.Path).Diagnostics);

        Assert.Equal("gone.json", problem.File);
        Assert.StartsWith("cannot read the file: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileLargerThanTheLimit_IsAProblemNamingTheLimit_AndIsNotRead()
    {
        using var dir = TempRuleDirectory.WithRules(FeverRule);
        using (var big = new FileStream(Path.Combine(dir.Path, "big.json"), FileMode.Create))
        {
            big.SetLength(RuleDirectoryReader.MaxFileBytes + 1);
        }

        var problem = Assert.Single(RuleSetLoader.Load(dir.Path).Diagnostics);

        Assert.Equal(("big.json", "the file is larger than 16 MiB, the most a rule-set file may hold; it was not read"), (problem.File, problem.Message));
    }

    [Fact]
    public void Load_MoreEntriesThanTheLimit_IsOneProblemNamingTheLimit()
    {
        using var dir = TempRuleDirectory.WithRules(FeverRule);
        var notes = Path.Combine(dir.Path, "notes");
        Directory.CreateDirectory(notes);
        for (var i = 0; i < RuleDirectoryReader.MaxEntries; i++)
        {
            File.WriteAllBytes(Path.Combine(notes, $"{i}.md"), []);
        }

        var result = RuleSetLoader.Load(dir.Path);

        var problem = Assert.Single(result.Diagnostics);
        Assert.Equal(".", problem.File);
        Assert.StartsWith("the rule directory holds more than 20000 files and folders, the most a rule set is read from", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileThatCannotBeRead_IsAProblemNamingIt()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            // root reads a file of mode 000.
            return;
        }

        using var dir = TempRuleDirectory.WithRules(FeverRule);
        var file = Path.Combine(dir.Path, "rules.json");
        File.SetUnixFileMode(file, UnixFileMode.None);
        try
        {
            var problem = Assert.Single(RuleSetLoader.Load(dir.Path).Diagnostics);

            Assert.Equal("rules.json", problem.File);
            Assert.StartsWith("cannot read the file: ", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void Load_FolderThatCannotBeListed_IsAProblemNamingIt()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            // root lists a folder of mode 000.
            return;
        }

        using var dir = TempRuleDirectory.WithRules(FeverRule);
        dir.Write("terminology/README.md", "# notes");
        var folder = Path.Combine(dir.Path, "terminology");
        File.SetUnixFileMode(folder, UnixFileMode.None);
        try
        {
            var problem = Assert.Single(RuleSetLoader.Load(dir.Path).Diagnostics);

            Assert.Equal("terminology", problem.File);
            Assert.StartsWith("cannot read the folder: ", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
