using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>test [--rules DIR] [--filter TEXT] [--junit FILE] [--verbose]</c>: runs the rule cases and reports failures and
/// per-rule coverage.
/// </summary>
internal static class TestCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var filter = CliOptions.NotEmpty(
            new Option<string?>("--filter")
            {
                Description = "Run only the cases whose name or file contains TEXT (ignoring case), or whose expectations name the rule id TEXT (rules or notRules).",
                HelpName = "TEXT",
            },
            "give the text to look for, or leave the option out to run every case");
        var junit = CliOptions.NotEmpty(
            new Option<string?>("--junit")
            {
                Description = "Also write the results as JUnit XML to FILE (one testcase per case), for CI systems; a missing folder in FILE's path is created.",
                HelpName = "FILE",
            },
            "give a file name, or leave the option out to write no JUnit file");
        var verbose = CliOptions.Verbose();
        var command = new Command("test", """
            Runs the *.cases.json beside the rule files: each case's request, at its fixed as_of, must get the
            expected verdict and fire the expected rules. Prints every failing case (FAIL) and todo case (TODO) with
            what did not hold, a coverage table (how many cases fire each rule), then 'N passed, N failed' (and
            ', N todo').

            With --filter, runs only the matching cases: TEXT found in the case's name or in its file's path
            (ignoring case), or TEXT equal to a rule id the case's expect.rules or expect.notRules names. Every
            selected case is printed (PASS, FAIL or TODO); coverage and the policy document are not checked, since
            they need every case.

            Examples:
              safetycheck test --rules rules
              safetycheck test --filter fever                 # the cases that name the rule 'fever', or mention fever
              safetycheck test --filter benefits.cases.json
              safetycheck test --junit test-results/rules.xml # JUnit XML for CI, besides the usual output

            When ruleset.json names a policy document, every rule id must be named there and every id named
            there must be a rule. Review warnings (see check --help) are printed and do not fail the run.

            Exit codes: 0 every selected case passed (and, in a full run, every rule is fired by a case and the policy
            document agrees); 2 a case failed, a rule is fired by no case, the policy document disagrees, or a bad
            argument (an unknown option, a missing or empty value); 1 cannot run (invalid rule set, malformed case file, no
            case matches --filter, the JUnit file cannot be written).
            """)
        {
            rules,
            filter,
            junit,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            environment, parse, new TestArguments(parse.GetValue(rules), parse.GetValue(filter), parse.GetValue(junit), parse.GetValue(verbose)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, ParseResult parse, TestArguments arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var configuration = SafetyCheckConfiguration.Build();
        var directory = RulesDirectory.Resolve(arguments.Rules, configuration);
        await using var services = environment.Composition.BuildServices(configuration, environment, arguments.Verbose);

        var load = services.GetRequiredService<RuleSetProvider>().Load(directory);
        if (!load.Succeeded)
        {
            RuleSetReport.WriteDiagnostics(error, directory, load.Diagnostics, environment.Colours.Error);
            return await WriteJUnitAsync(error, arguments.JUnit, directory, null, load.Diagnostics, [], [], cancellationToken).ConfigureAwait(false)
                ?? ExitCodes.CannotRun;
        }

        var filter = arguments.Filter is { } selected ? new CaseFilter(selected.Trim()) : null;
        var suite = services.GetRequiredService<RuleSuiteRunner>().Run(load.RuleSet, filter);
        if (filter is not null && suite.Cases.Count == 0 && suite.Diagnostics.Count == 0)
        {
            await error.WriteLineAsync($"--filter '{filter.Text}': no case matches (case names and files, ignoring case, and the rule ids expectations name)").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        WriteCases(output, directory, suite, environment.Colours.Output);
        IReadOnlyList<Diagnostic> uncovered = [];
        IReadOnlyList<Diagnostic> review = [];
        if (filter is null)
        {
            WriteCoverage(output, load.RuleSet, suite);
            uncovered = [.. CheckCommand.UncoveredRules(load.RuleSet, suite)];
            review = CheckCommand.Review(load.RuleSet);
        }

        foreach (var diagnostic in suite.Diagnostics.Concat(uncovered).Concat(review))
        {
            await error.WriteLineAsync(RuleSetReport.Format(directory, diagnostic, environment.Colours.Error)).ConfigureAwait(false);
        }

        await output.WriteLineAsync(Summary(suite, environment.Colours.Output)).ConfigureAwait(false);
        var reviewErrors = review.Where(d => d.IsError).ToList();
        if (await WriteJUnitAsync(error, arguments.JUnit, directory, suite, suite.Diagnostics, uncovered, reviewErrors, cancellationToken).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        return suite.Diagnostics.Count > 0 ? ExitCodes.CannotRun
            : suite.Failed > 0 || uncovered.Count > 0 || reviewErrors.Count > 0 ? ExitCodes.Rejected
            : ExitCodes.Ok;
    }

    /// <summary>Writes the JUnit file when asked; the exit code when it cannot be written, else null.</summary>
    private static async Task<int?> WriteJUnitAsync(
        TextWriter error, string? file, string directory, RuleSuiteReport? suite, IReadOnlyList<Diagnostic> problems,
        IReadOnlyList<Diagnostic> uncovered, IReadOnlyList<Diagnostic> review, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return null;
        }

        try
        {
            var full = Path.GetFullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await FileReplacement.ReplaceAsync(full, JUnitReport.Write(directory, suite, problems, uncovered, review), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            await error.WriteLineAsync($"--junit: cannot write {file}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }
    }

    /// <summary>FAIL and TODO lines; with a filter, a PASS line for every selected case too.</summary>
    private static void WriteCases(TextWriter output, string directory, RuleSuiteReport suite, bool colour)
    {
        foreach (var result in suite.Cases.Where(c => suite.Filter is not null || !c.Passed || c.Todo))
        {
            var label = result.Todo ? TerminalColours.Yellow("TODO", colour)
                : result.Passed ? TerminalColours.Green("PASS", colour)
                : TerminalColours.Red("FAIL", colour);
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

    /// <summary><c>N passed, N failed</c> (and <c>, N todo</c>), the line CI systems read; green or red on a terminal.</summary>
    private static string Summary(RuleSuiteReport suite, bool colour)
    {
        // Errors in the cases files (a case not run) are counted here too, so that the summary never reads as clean
        // on a run that exits 1.
        var errors = suite.Diagnostics.Count(d => d.IsError);
        var line = $"{suite.Passed} passed, {suite.Failed} failed{(suite.Todo > 0 ? $", {suite.Todo} todo" : "")}" +
            (errors > 0 ? $", {errors} {(errors == 1 ? "error" : "errors")} in cases files" : "");
        return suite.Failed > 0 || errors > 0 ? TerminalColours.Red(line, colour) : TerminalColours.Green(line, colour);
    }

    private sealed record TestArguments(string? Rules, string? Filter, string? JUnit, bool Verbose);
}
