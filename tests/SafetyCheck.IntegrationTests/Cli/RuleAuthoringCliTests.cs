using System.Text.RegularExpressions;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>The clinician's loop: check, test (and serve refusing a broken rule set).</summary>
public sealed class RuleAuthoringCliTests
{
    private const string Evidence = """{ "grade": "D", "citations": [ { "title": "Synthetic", "year": 2020, "url": "" } ] }""";

    private const string Properties = $$"""{ "outcome": "SUITABLE", "severity": "INFO", "summary": "Synthetic.", "detail": "Synthetic.", "evidence": {{Evidence}} }""";

    // Line numbers matter: the test expects a diagnostic at lines 7 (misspelt property), 12 (broken expression)
    // and 16 (second use of a rule id).
    private const string BrokenRuleFile = $$"""
        {
          "WorkflowName": "broken",
          "Rules": [
            {
              "RuleName": "broken-misspelt",
              "Expression": "child.AgeDays < 0",
              "Severty": "high",
              "Properties": {{Properties}}
            },
            {
              "RuleName": "broken-dup",
              "Expression": "(((child",
              "Properties": {{Properties}}
            },
            {
              "RuleName": "broken-dup",
              "Expression": "child.AgeDays < 0",
              "Properties": {{Properties}}
            }
          ]
        }
        """;

    private const string LonelyRuleFile = $$"""
        {
          "WorkflowName": "lonely",
          "Rules": [
            {
              "RuleName": "lonely-rule",
              "Expression": "child.AgeDays < 0",
              "Properties": {{Properties}}
            }
          ]
        }
        """;

    [Fact]
    public async Task Check_ShippedRules_Exits0()
    {
        var run = await CliRun.InvokeAsync(["check", "--rules", TestPaths.Rules]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("ok: ", run.Output, StringComparison.Ordinal);
        run.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Check_BrokenCopy_Exits1WithADiagnosticAtEachLine()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "broken.json"), BrokenRuleFile);

        var run = await CliRun.InvokeAsync(["check", "--rules", rules]);
        run.Logs.Expect("SafetyCheck.RuleSets");

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = Regex.Matches(run.Error, @"broken\.json:(\d+):(\d+): ").Select(m => int.Parse(m.Groups[1].Value)).ToHashSet();
        Assert.True(lines.IsSupersetOf([7, 12, 16]), run.ToString());
    }

    [Fact]
    public async Task Check_RuleFiredByNoCase_Exits1PointingAtTheRule()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "lonely.json"), LonelyRuleFile);

        var run = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"lonely\.json:5:\d+: error: rule 'lonely-rule' is fired by no case", run.Error);
    }

    [Fact]
    public async Task Check_MalformedCaseFile_Exits1()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), """{ "cases": [ { "name": "x", "asof": "2025-01-01T00:00:00Z" } ] }""");

        var run = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"extra\.cases\.json:1:\d+: ", run.Error);
    }

    [Fact]
    public async Task CheckAndTest_CaseWhoseRequestIsNotACheckRequest_Exit1AtTheFieldRefused()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), """
            { "cases": [ {
              "name": "misspelt status",
              "asOf": "2025-06-01T09:30:00Z",
              "request": { "patient": { "birthDate": "2023-03-01" },
                "conditions": [ { "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R50.9", "status": "ACTIVE" },
                  { "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R50.9", "status": "ACTIV" } ] },
              "expect": { "suitability": "SUITABLE" } } ] }
            """);

        var check = await CliRun.InvokeAsync(["check", "--rules", rules]);
        var test = await CliRun.InvokeAsync(["test", "--rules", rules]);

        // Line 6, at "ACTIV": the second condition's status, not the request as a whole.
        const string Expected = "extra.cases.json:6:83: error: the request of case 'misspelt status' is not a CheckRequest: conditions[1].status: ";
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains(Expected, check.Error, StringComparison.Ordinal);
        Assert.True(test.ExitCode == 1, test.ToString());
        Assert.Contains(Expected, test.Error, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d+ passed, 0 failed, 1 error in cases files$", test.Output);
    }

    [Fact]
    public async Task Check_RuleSetThatDoesNotLoad_StillReportsTheCasesFilesProblems()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "broken.json"), BrokenRuleFile);
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), """
            { "cases": [ {
              "name": "misspelt birth date",
              "asOf": "2025-06-01T09:30:00Z",
              "request": { "patient": { "birthdate": "2023-03-01" } },
              "expect": { "suitability": "SUITABLE" } } ] }
            """);

        var run = await CliRun.InvokeAsync(["check", "--rules", rules]);
        run.Logs.Expect("SafetyCheck.RuleSets");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"broken\.json:\d+:\d+: error: ", run.Error);
        Assert.Contains("extra.cases.json:4:42: error: the request of case 'misspelt birth date' is not a CheckRequest: patient.birthdate: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_CaseFileNotUtf8_Exits1AtTheFirstBadByte()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllBytesAsync(Path.Combine(rules, "extra.cases.json"), [.. "{ \"cases\": [ { \"name\": \"caf"u8, 0xE9, .. "\" } ] }"u8]);

        var run = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("extra.cases.json:1:28: error: the file is not UTF-8 text: byte 0xE9", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_ShippedRules_PrintsCoverageAndTheSummaryLine_Exits0()
    {
        var run = await CliRun.InvokeAsync(["test", "--rules", TestPaths.Rules]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("rule coverage", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d+ passed, 0 failed(, \d+ todo)?$", run.Output);
        run.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Test_FailingCase_Exits2AndPrintsWhatDidNotHold()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "extra.cases.json"), """
            { "cases": [ {
              "name": "deliberately wrong",
              "asOf": "2025-06-01T09:30:00Z",
              "request": { "patient": { "birthDate": "2023-03-01" }, "observations": { "temperatureCelsius": 39.5 } },
              "expect": { "suitability": "SUITABLE" } } ] }
            """);

        var run = await CliRun.InvokeAsync(["test", "--rules", rules]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("FAIL ", run.Output, StringComparison.Ordinal);
        Assert.Contains("extra.cases.json:1: deliberately wrong", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d+ passed, 1 failed$", run.Output);
    }

    [Fact]
    public async Task CheckAndTest_RuleThatErrorsWhenEvaluated_FailNamingTheRuleAndItsError()
    {
        // A sum past decimal's range throws every time the rule is evaluated for a child with the condition. At request
        // time that fails closed (clinician review, under the rule's id), which is what the rule's cases expect, so the
        // broken rule used to pass both as "fired".
        var rules = TestPaths.CopyOfRules();
        var file = Path.Combine(rules, "chronic-conditions.json");
        const string Expression = "\"Expression\": \"child.Has(\\\"congenital-heart\\\")\"";
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains(Expression, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text.Replace(
            Expression, "\"Expression\": \"child.Has(\\\"congenital-heart\\\") && 79228162514264337593543950335.0m + 1.0m > 0.0m\"", StringComparison.Ordinal));

        var check = await CliRun.InvokeAsync(["check", "--rules", rules]);
        var test = await CliRun.InvokeAsync(["test", "--rules", rules]);

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Matches(@"chronic-conditions\.json:\d+:\d+: error: rule 'congenital-heart' is fired by no case", check.Error);
        Assert.Matches(@"chronic-conditions\.cases\.json:\d+:1: error: case '[^']+': rule 'congenital-heart' could not be evaluated: Value was either too large", check.Error);
        Assert.True(test.ExitCode == 2, test.ToString());
        Assert.Contains("rule 'congenital-heart' could not be evaluated: Value was either too large or too small for a Decimal.", test.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  congenital-heart +0  <- fired by no case$", test.Output);
        Assert.Matches(@"(?m)^\d+ passed, [1-9]\d* failed$", test.Output);
    }

    [Fact]
    public async Task Check_RuleThatErrorsInOneCaseButFiresInAnother_FailsAtTheCaseItErrorsIn()
    {
        // The rule fires cleanly for the shipped case (a child of 6) and errors for a younger child: coverage is met,
        // so only the failed case shows the error, and check used to say ok.
        var rules = TestPaths.CopyOfRules();
        var ruleFile = Path.Combine(rules, "benefits.json");
        const string Expression = "\"Expression\": \"child.Has(\\\"autism\\\")\"";
        var text = await File.ReadAllTextAsync(ruleFile);
        Assert.Contains(Expression, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(ruleFile, text.Replace(
            Expression, "\"Expression\": \"child.Has(\\\"autism\\\") && (child.AgeYears >= 6 || 79228162514264337593543950335.0m + 1.0m > 0.0m)\"", StringComparison.Ordinal));
        var casesFile = Path.Combine(rules, "benefits.cases.json");
        var cases = await File.ReadAllTextAsync(casesFile);
        const string Anchor = "\"cases\": [";
        Assert.Contains(Anchor, cases, StringComparison.Ordinal);
        await File.WriteAllTextAsync(casesFile, cases.Replace(Anchor, Anchor + """
            { "name": "autism at 3", "asOf": "2026-03-02T10:00:00Z",
              "request": { "patient": { "birthDate": "2023-01-22" },
                "conditions": [ { "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F84.0" } ] },
              "expect": { "suitability": "SUITABLE" } },
            """, StringComparison.Ordinal));

        var check = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("error: case 'autism at 3': rule 'benefit-autism' could not be evaluated: Value was either too large or too small for a Decimal.", check.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("fired by no case", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_InvalidRuleSet_Exits1()
    {
        var run = await CliRun.InvokeAsync(["test", "--rules", TestPaths.EmptyDirectory()]);
        run.Logs.Expect("SafetyCheck.RuleSets");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.DoesNotContain("passed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_InvalidRuleSet_Exits1WithDiagnosticsOnStderr()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "broken.json"), BrokenRuleFile);

        var run = await CliRun.InvokeAsync(["serve", "--rules", rules, "--urls", "http://127.0.0.1:0", "--audit-db", TestAudit.NewDatabasePath()]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"broken\.json:12:\d+: ", run.Error);
    }
}
