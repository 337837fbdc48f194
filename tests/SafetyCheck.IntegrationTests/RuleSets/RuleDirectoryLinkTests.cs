using System.Diagnostics;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using RuleDirectoryWatcher = SafetyCheck.RuleSets.RuleDirectoryWatcher;

namespace SafetyCheck.IntegrationTests.RuleSets;

/// <summary>
/// A reload reads real folders only: a symbolic link to a folder inside the rule directory, or a path that cannot be
/// read, refuses the candidate naming the path, and the revision before it keeps answering. The watch does not follow
/// the link either.
/// </summary>
public sealed class RuleDirectoryLinkTests
{
    [Fact]
    public async Task ReloadRules_SymbolicLinkToAFolderThatLoops_IsRefusedNamingIt_AndTheServedRevisionKeepsAnswering()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var served = host.Provider.Current!.RuleSet.Identity.Revision;

        rules.UseVariant('B');
        Directory.CreateDirectory(Path.Combine(rules.Directory, "terminology"));
        Directory.CreateSymbolicLink(Path.Combine(rules.Directory, "terminology", "up"), "..");
        var timer = Stopwatch.StartNew();
        var reload = (await new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey)).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"took {timer.Elapsed}");
        Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
        Assert.Equal("", reload.CandidateRevision);
        Assert.Equal(served, reload.Serving.Revision);
        var problem = Assert.Single(reload.Diagnostics);
        Assert.Equal(("terminology/up", "error"), (problem.File, problem.Severity));
        Assert.StartsWith("terminology/up is a symbolic link to a folder; the rule set is read from real folders only", problem.Message, StringComparison.Ordinal);
        var check = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest());
        Assert.Equal((ReloadRuleSets.FeverVerdict('A'), served), (check.Suitability, check.Ruleset.Revision));
        Assert.Contains(host.Logs.Entries, e => e.Message.StartsWith("Reload (caller): the candidate could not be read, refused with 1 problems", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("candidate revision  refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadRules_FileThatCannotBeRead_IsRefusedNamingTheFile_WithoutARevision()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var served = host.Provider.Current!.RuleSet.Identity.Revision;

        // A link to a file that is not there cannot be read by anyone, root included.
        File.CreateSymbolicLink(Path.Combine(rules.Directory, "extra.json"), Path.Combine(rules.Directory, "missing.json"));
        var reload = (await new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey)).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
        Assert.Equal(served, reload.Serving.Revision);
        var problem = Assert.Single(reload.Diagnostics);
        Assert.Equal("extra.json", problem.File);
        Assert.StartsWith("cannot read the file: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("the candidate could not be read, refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReloadRules_FolderOfMode000_IsRefusedNamingTheFolder()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            // root lists a folder of mode 000.
            return;
        }

        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        rules.Write("terminology/README.md", "# notes");
        var folder = Path.Combine(rules.Directory, "terminology");
        File.SetUnixFileMode(folder, UnixFileMode.None);
        try
        {
            var reload = (await new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey)).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

            Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
            var problem = Assert.Single(reload.Diagnostics);
            Assert.Equal("terminology", problem.File);
            Assert.StartsWith("cannot read the folder: ", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Fingerprint_DoesNotDescendIntoASymbolicLinkToAFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var rules = new ReloadRuleSets();
        var elsewhere = Path.Combine(Path.GetDirectoryName(rules.Directory)!, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "a.json"), "{}");
        var withoutLink = RuleDirectoryWatcher.Fingerprint(rules.Directory);
        Directory.CreateSymbolicLink(Path.Combine(rules.Directory, "linked"), elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(rules.Directory, "up"), ".");

        var withLink = RuleDirectoryWatcher.Fingerprint(rules.Directory);
        File.WriteAllText(Path.Combine(elsewhere, "a.json"), "{ \"changed\": true }");
        File.WriteAllText(Path.Combine(elsewhere, "b.json"), "{}");
        var behindTheLinkChanged = RuleDirectoryWatcher.Fingerprint(rules.Directory);
        rules.UseVariant('B');
        var ruleFileChanged = RuleDirectoryWatcher.Fingerprint(rules.Directory);

        Assert.NotEqual("", withLink);
        Assert.NotEqual(withoutLink, withLink);
        Assert.Equal(withLink, behindTheLinkChanged);
        Assert.NotEqual(withLink, ruleFileChanged);
    }
}
