using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Check;

namespace SafetyCheck.RuleSuite.Tests;

/// <summary>
/// The shipped rule set and the result of its cases, loaded and run once per test process, with the request reader
/// <c>eval</c> and the service use.
/// </summary>
internal static class ShippedSuite
{
    /// <summary>The shipped <c>rules/</c>.</summary>
    public static string Directory { get; } = FindRules();

    private static readonly Lazy<(RuleSetLoadResult Load, RuleSuiteReport? Report)> Run = new(() =>
    {
        var load = RuleSetLoader.Load(Directory);
        return (load, load.Succeeded ? new RuleSuiteRunner(new ProtoRequestJsonReader()).Run(load.RuleSet) : null);
    });

    public static RuleSetLoadResult Load => Run.Value.Load;

    /// <summary>The report; fails the calling test with every load diagnostic when the rule set does not load.</summary>
    public static RuleSuiteReport Report =>
        Run.Value.Report ?? throw new Xunit.Sdk.XunitException("The rule set does not load:\n" + string.Join("\n", Load.Diagnostics));

    private static string FindRules()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyCheck.sln")))
            {
                return Path.Combine(dir.FullName, "rules");
            }
        }

        throw new InvalidOperationException("SafetyCheck.sln not found above " + AppContext.BaseDirectory);
    }
}
