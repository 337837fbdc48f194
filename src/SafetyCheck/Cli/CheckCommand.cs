using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>check [--rules DIR] [--format text|json|sarif] [--warnings-as-errors] [--verbose]</c>: strict load, every
/// expression compiled and vetted, every rule covered by a case, the review's warnings.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var warningsAsErrors = new Option<bool>("--warnings-as-errors")
        {
            Description = "Fail (exit 1) on warnings too, not only on errors.",
        };
        var format = new Option<string>("--format")
        {
            Description = "text (default): diagnostics on stderr, the summary on stdout; json: one document on stdout; sarif: a SARIF 2.1.0 log on stdout.",
            HelpName = "text|json|sarif",
            DefaultValueFactory = _ => "text",
        };
        CliOptions.OneOf(format, "text", "json", "sarif");
        var verbose = CliOptions.Verbose();
        var command = new Command("check", """
            Loads a rule set strictly, as serve would: unknown or missing properties, duplicate rule ids,
            expressions that do not compile or reach outside the facts vocabulary, malformed terminology files
            (terminology/: the ICD-10-CM code table and the SNOMED CT expansions). Also reads the *.cases.json
            beside the rule files, runs them, and requires every rule to be fired by at least one case and to be
            evaluated without an error in every case (whether each case passes is for test to say), and, when ruleset.json
            names a policy document ("policy": "POLICY.md"), requires every rule id to be named there and every id
            named there to be a rule.
            Warns where the rules or the catalog probably do not mean what they say: a literal number where a policy
            parameter of the same unit and value exists (write the parameter's name), an ICD-10-CM pattern that
            takes real codes another row would otherwise match (acknowledge an intended one in the narrower row's
            "overrides", or take the codes from the broader row with its icd10Exclude), a pattern that matches no
            real code, an "overrides" entry that takes nothing, a SNOMED CT subtype two rows cover equally (give it
            to one row with that row's "overrides", or list it where it belongs), a SNOMED CT id one row names that
            another row's expansion lists (acknowledge an intended one in the naming row's "overrides").
            rules/README.md has the details.
            Every problem is printed at once on stderr as file:line:col: error: message (or warning: message); an
            expression that does not compile is reported at the character the parser stopped at.

            Examples:
              safetycheck check --rules rules
              safetycheck check --format sarif > safetycheck.sarif      # for a code-scanning upload in CI
              safetycheck check --format json | jq '.diagnostics[] | select(.severity == "error")'

            Exit codes: 0 no error (warnings allowed, unless --warnings-as-errors); 1 any error (or the rule
            directory cannot be read); 2 a bad argument (an unknown option, a missing or bad value). The exit code
            is the same in every format.
            """)
        {
            rules,
            format,
            warningsAsErrors,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            environment, parse, parse.GetValue(rules), Format(parse.GetValue(format)), parse.GetValue(warningsAsErrors), parse.GetValue(verbose), cancellationToken));
        return command;
    }

    private static CheckOutputFormat Format(string? value) => value switch
    {
        "json" => CheckOutputFormat.Json,
        "sarif" => CheckOutputFormat.Sarif,
        _ => CheckOutputFormat.Text,
    };

    private static async Task<int> RunAsync(
        CliEnvironment environment, ParseResult parse, string? rulesFlag, CheckOutputFormat format, bool warningsAsErrors, bool verbose, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var configuration = SafetyCheckConfiguration.Build();
        var directory = RulesDirectory.Resolve(rulesFlag, configuration);
        await using var services = environment.Composition.BuildServices(configuration, environment, verbose);

        var findings = Find(services, directory, warningsAsErrors);
        switch (format)
        {
            case CheckOutputFormat.Json:
                await output.WriteLineAsync(CheckJsonReport.Write(findings)).ConfigureAwait(false);
                break;
            case CheckOutputFormat.Sarif:
                await output.WriteLineAsync(SarifReport.Write(findings)).ConfigureAwait(false);
                break;
            default:
                await WriteTextAsync(environment, output, error, findings).ConfigureAwait(false);
                break;
        }

        return findings.ExitCode;
    }

    private static CheckFindings Find(ServiceProvider services, string directory, bool warningsAsErrors)
    {
        var load = services.GetRequiredService<RuleSetProvider>().Load(directory);
        if (!load.Succeeded)
        {
            // The cases files are read all the same, so that one run shows their problems too.
            return new CheckFindings(directory, null, [.. load.Diagnostics, .. CaseFileProblems(services, directory)], 0, ExitCodes.CannotRun);
        }

        var ruleSet = load.RuleSet;
        var suite = services.GetRequiredService<RuleSuiteRunner>().Run(ruleSet);
        var problems = suite.Diagnostics.Concat(suite.RuleErrors()).Concat(UncoveredRules(ruleSet, suite)).Concat(Review(ruleSet)).ToArray();
        var failed = problems.Any(p => p.IsError || warningsAsErrors);
        return new CheckFindings(directory, ruleSet, problems, suite.Cases.Count, failed ? ExitCodes.CannotRun : ExitCodes.Ok);
    }

    /// <summary>The problems of the cases files under <paramref name="directory"/> on their own; none when it cannot be read (the load said why).</summary>
    private static IReadOnlyList<Diagnostic> CaseFileProblems(ServiceProvider services, string directory)
    {
        try
        {
            return services.GetRequiredService<RuleSuiteRunner>().ReadOnly(RuleSuiteRunner.ReadCaseFiles(directory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static async Task WriteTextAsync(CliEnvironment environment, TextWriter output, TextWriter error, CheckFindings findings)
    {
        var colour = environment.Colours.Error;
        if (findings.ExitCode != ExitCodes.Ok)
        {
            RuleSetReport.WriteDiagnostics(error, findings.Directory, findings.Diagnostics, colour);
            return;
        }

        foreach (var warning in findings.Diagnostics)
        {
            await error.WriteLineAsync(RuleSetReport.Format(findings.Directory, warning, colour)).ConfigureAwait(false);
        }

        var ruleSet = findings.RuleSet!;
        var identity = ruleSet.Identity;
        var terminology = ruleSet.Catalog.Terminology;
        var warnings = findings.Diagnostics.Count == 0 ? "" : $", {RuleSetReport.Count(findings.Diagnostics)}";
        await output.WriteLineAsync(
            $"{TerminalColours.Green("ok:", environment.Colours.Output)} {identity.Name} {identity.Version} revision {identity.Revision}: {ruleSet.Rules.Count} rules in " +
            $"{ruleSet.Files.Count} files, {findings.CaseCount} cases, every rule fired by a case" +
            $"{(terminology.Icd10Cm is { } table ? $", ICD-10-CM {table.Edition} ({table.Count} codes)" : "")}" +
            $"{(terminology.SnomedExpansions.Count > 0 ? $", {ruleSet.Catalog.SnomedDescendantCount} SNOMED CT subtypes from {terminology.SnomedExpansions.Count} expansions" : "")}" +
            warnings).ConfigureAwait(false);
    }

    /// <summary>The review's findings: literal numbers, catalog warnings and the policy document cross-check.</summary>
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
        ArgumentNullException.ThrowIfNull(suite);
        return suite.UncoveredRules(ruleSet);
    }
}
