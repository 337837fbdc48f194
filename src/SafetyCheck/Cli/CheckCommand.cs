using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Hosting;
using SafetyCheck.Rules;

namespace SafetyCheck.Cli;

/// <summary><c>check [--rules DIR]</c>: strict load, every expression compiled and vetted, every rule covered by a case.</summary>
internal static class CheckCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var command = new Command("check", """
            Loads a rule set strictly, as serve would: unknown or missing properties, duplicate rule ids,
            expressions that do not compile or reach outside the facts vocabulary. Also reads the *.cases.json
            beside the rule files and requires every rule to be fired by at least one case.
            Every problem is printed at once on stderr as file:line:col: message.

            Example:
              safetycheck check --rules rules

            Exit codes: 0 clean; 1 any diagnostic (or the rule directory cannot be read).
            """)
        {
            rules,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(environment, parse, parse.GetValue(rules), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, ParseResult parse, string? rulesFlag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var configuration = SafetyCheckConfiguration.Build();
        var directory = RulesDirectory.Resolve(rulesFlag, configuration);
        await using var services = CliServices.Build(environment, configuration);

        var load = services.GetRequiredService<RuleSetProvider>().Load(directory);
        if (!load.Succeeded)
        {
            RuleSetReport.WriteDiagnostics(parse.InvocationConfiguration.Error, directory, load.Diagnostics);
            return ExitCodes.CannotRun;
        }

        var ruleSet = load.RuleSet;
        var suite = services.GetRequiredService<RuleSuiteRunner>().Run(ruleSet);
        var problems = suite.Diagnostics.Concat(UncoveredRules(ruleSet, suite)).ToArray();
        if (problems.Length > 0)
        {
            RuleSetReport.WriteDiagnostics(parse.InvocationConfiguration.Error, directory, problems);
            return ExitCodes.CannotRun;
        }

        var identity = ruleSet.Identity;
        await parse.InvocationConfiguration.Output.WriteLineAsync(
            $"ok: {identity.Name} {identity.Version} revision {identity.Revision}: {ruleSet.Rules.Count} rules in " +
            $"{ruleSet.Files.Count} files, {suite.Cases.Count} cases, every rule fired by a case").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>A diagnostic at each rule no case fires, pointing at its <c>RuleName</c>.</summary>
    public static IEnumerable<Diagnostic> UncoveredRules(RuleSet ruleSet, RuleSuiteReport suite)
    {
        var uncovered = suite.Uncovered.ToHashSet(StringComparer.Ordinal);
        return ruleSet.Rules
            .Where(r => uncovered.Contains(r.RuleId))
            .Select(r => new Diagnostic(r.File, r.Line, 1, $"rule '{r.RuleId}' is fired by no case: add a case that fires it to the *.cases.json beside {Path.GetFileName(r.File)}"));
    }
}
