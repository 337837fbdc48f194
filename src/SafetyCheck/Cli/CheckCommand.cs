using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary><c>check [--rules DIR]</c>: strict load, every expression compiled and vetted, every rule covered by a case.</summary>
internal static class CheckCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var warningsAsErrors = new Option<bool>("--warnings-as-errors")
        {
            Description = "Fail (exit 1) on warnings too, not only on errors.",
        };
        var command = new Command("check", """
            Loads a rule set strictly, as serve would: unknown or missing properties, duplicate rule ids,
            expressions that do not compile or reach outside the facts vocabulary, malformed terminology files
            (terminology/: the ICD-10-CM code table and the SNOMED CT expansions). Also reads the *.cases.json
            beside the rule files and requires every rule to be fired by at least one case, and, when ruleset.json
            names a policy document ("policy": "POLICY.md"), requires every rule id to be named there and every id
            named there to be a rule.
            Warns where the catalog probably does not mean what it says: an ICD-10-CM pattern that takes real codes
            another row would otherwise match (acknowledge an intended one with the broader row's icd10Exclude), a
            pattern that matches no real code, a SNOMED CT subtype two rows cover equally.
            Every problem is printed at once on stderr as file:line:col: error: message (or warning: message).

            Example:
              safetycheck check --rules rules

            Exit codes: 0 no error (warnings allowed, unless --warnings-as-errors); 1 any error (or the rule
            directory cannot be read).
            """)
        {
            rules,
            warningsAsErrors,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(environment, parse, parse.GetValue(rules), parse.GetValue(warningsAsErrors), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, ParseResult parse, string? rulesFlag, bool warningsAsErrors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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

        var ruleSet = load.RuleSet;
        var suite = services.GetRequiredService<RuleSuiteRunner>().Run(ruleSet);
        var problems = suite.Diagnostics.Concat(UncoveredRules(ruleSet, suite)).Concat(Review(ruleSet)).ToArray();
        if (problems.Any(p => p.IsError || warningsAsErrors))
        {
            RuleSetReport.WriteDiagnostics(error, directory, problems);
            return ExitCodes.CannotRun;
        }

        foreach (var warning in problems)
        {
            await error.WriteLineAsync(RuleSetReport.Format(directory, warning)).ConfigureAwait(false);
        }

        var identity = ruleSet.Identity;
        var terminology = ruleSet.Catalog.Terminology;
        var warnings = problems.Length == 0 ? "" : $", {RuleSetReport.Count(problems)}";
        await parse.InvocationConfiguration.Output.WriteLineAsync(
            $"ok: {identity.Name} {identity.Version} revision {identity.Revision}: {ruleSet.Rules.Count} rules in " +
            $"{ruleSet.Files.Count} files, {suite.Cases.Count} cases, every rule fired by a case" +
            $"{(terminology.Icd10Cm is { } table ? $", ICD-10-CM {table.Edition} ({table.Count} codes)" : "")}" +
            $"{(terminology.SnomedExpansions.Count > 0 ? $", {ruleSet.Catalog.SnomedDescendantCount} SNOMED CT subtypes from {terminology.SnomedExpansions.Count} expansions" : "")}" +
            warnings).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The review's findings: catalog warnings and the policy document cross-check.</summary>
    public static IReadOnlyList<Diagnostic> Review(RuleSet ruleSet)
    {
        string? policyText;
        try
        {
            policyText = RuleSetReview.ReadPolicyText(ruleSet);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var policy = ruleSet.Policy!;
            return [new Diagnostic(policy.Path, 0, 0, $"cannot read the policy document: {ex.Message}")];
        }

        return RuleSetReview.Run(ruleSet, policyText);
    }

    /// <summary>A diagnostic at each rule no case fires, pointing at its <c>RuleName</c>.</summary>
    public static IEnumerable<Diagnostic> UncoveredRules(RuleSet ruleSet, RuleSuiteReport suite)
    {
        var uncovered = suite.Uncovered.ToHashSet(StringComparer.Ordinal);
        return ruleSet.Rules
            .Where(r => uncovered.Contains(r.RuleId))
            .Select(r => new Diagnostic(r.File, r.Line, Math.Max(r.Column, 1), $"rule '{r.RuleId}' is fired by no case: add a case that fires it to the *.cases.json beside {Path.GetFileName(r.File)}"));
    }
}
