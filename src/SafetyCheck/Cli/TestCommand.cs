using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary><c>test [--rules DIR]</c>: runs the rule cases and reports failures and per-rule coverage.</summary>
internal static class TestCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var command = new Command("test", """
            Runs the *.cases.json beside the rule files: each case's request, at its fixed as_of, must get the
            expected verdict and fire the expected rules. Prints every failing case with what did not hold, a
            coverage table (how many cases fire each rule), then 'N passed, N failed' (and ', N todo').

            Example:
              safetycheck test --rules rules

            When ruleset.json names a policy document, every rule id must be named there and every id named
            there must be a rule. Catalog warnings (see check --help) are printed and do not fail the run.

            Exit codes: 0 every case passed, every rule is fired by a case and the policy document agrees; 2 a case
            failed, a rule is fired by no case, or the policy document disagrees; 1 cannot run (invalid rule set,
            malformed case file).
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
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var configuration = SafetyCheckConfiguration.Build();
        var directory = RulesDirectory.Resolve(rulesFlag, configuration);
        await using var services = environment.Composition.BuildServices(configuration, environment);

        var load = services.GetRequiredService<RuleSetProvider>().Load(directory);
        if (!load.Succeeded)
        {
            RuleSetReport.WriteDiagnostics(error, directory, load.Diagnostics);
            return ExitCodes.CannotRun;
        }

        var suite = services.GetRequiredService<RuleSuiteRunner>().Run(load.RuleSet);
        WriteCases(output, directory, suite);
        WriteCoverage(output, load.RuleSet, suite);
        var uncovered = CheckCommand.UncoveredRules(load.RuleSet, suite).ToArray();
        var review = CheckCommand.Review(load.RuleSet);
        foreach (var diagnostic in suite.Diagnostics.Concat(uncovered).Concat(review))
        {
            await error.WriteLineAsync(RuleSetReport.Format(directory, diagnostic)).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{suite.Passed} passed, {suite.Failed} failed{(suite.Todo > 0 ? $", {suite.Todo} todo" : "")}").ConfigureAwait(false);
        return suite.Diagnostics.Count > 0 ? ExitCodes.CannotRun
            : suite.Failed > 0 || uncovered.Length > 0 || review.Any(d => d.IsError) ? ExitCodes.Rejected
            : ExitCodes.Ok;
    }

    private static void WriteCases(TextWriter output, string directory, RuleSuiteReport suite)
    {
        foreach (var result in suite.Cases.Where(c => !c.Passed || c.Todo))
        {
            var label = result.Todo ? "TODO" : "FAIL";
            output.WriteLine($"{label} {RuleSetReport.DisplayPath(directory, result.File)}:{result.Line}: {result.Name}");
            foreach (var failure in result.Failures)
            {
                output.WriteLine($"     {failure}");
            }
        }
    }

    private static void WriteCoverage(TextWriter output, RuleSet ruleSet, RuleSuiteReport suite)
    {
        var width = ruleSet.Rules.Count == 0 ? 0 : ruleSet.Rules.Max(r => r.RuleId.Length);
        output.WriteLine("rule coverage (cases that fire each rule):");
        foreach (var rule in ruleSet.Rules)
        {
            var count = suite.Coverage.GetValueOrDefault(rule.RuleId);
            output.WriteLine($"  {rule.RuleId.PadRight(width)}  {count,4}{(count == 0 ? "  <- fired by no case" : "")}");
        }
    }
}
