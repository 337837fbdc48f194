using System.Text;
using SafetyCheck.Check;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;

namespace SafetyCheck.RuleSuite.Tests;

/// <summary>
/// A rule that errors when it is evaluated fails closed at request time (clinician review, under the rule's own id),
/// but in the rule suite it is a failure: the case fails naming the rule and its error, the error is not the rule
/// firing (for expectations and for coverage), and a candidate with such a rule is refused.
/// </summary>
public sealed class ErroredRuleSuiteTests
{
    /// <summary>
    /// A sum past decimal's range: the vocabulary's <c>+</c> on two literals, which throws every time it is evaluated
    /// ("Value was either too large or too small for a Decimal.").
    /// </summary>
    private const string Overflow = "79228162514264337593543950335.0m + 1.0m > 0.0m";

    private const string DecimalError = "Value was either too large or too small for a Decimal.";

    private const string Evidence = """{ "grade": "D", "citations": [ { "title": "Synthetic test source", "year": 2020, "url": "https://example.org/source" } ] }""";

    private static readonly RuleSuiteRunner Runner = new(new ProtoRequestJsonReader());

    private static readonly RuleSetFile[] RevisionFiles =
    [
        File("ruleset.json", $$"""
            { "name": "fixture", "version": "0.0.1", "description": "errored rules",
              "parameters": { "feverThresholdCelsius": { "value": 38.0, "unit": "°C", "description": "fever at or above" } },
              "reviewEvidence": {{Evidence}} }
            """),
        File("conditions.json", """
            { "conditions": [ { "id": "fever", "display": "Fever", "icd10": ["R50"] },
                              { "id": "eczema", "display": "Atopic dermatitis", "icd10": ["L20"] } ] }
            """),
        File("rules.json", $$"""
            { "WorkflowName": "fixture", "Rules": [
              { "RuleName": "fever", "Expression": "child.Has(\"fever\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)",
                "Properties": { "outcome": "NOT_SUITABLE", "severity": "CRITICAL", "summary": "Fever.", "detail": "Defer.",
                  "conditions": ["fever"], "evidence": {{Evidence}} } },
              { "RuleName": "eczema-broken", "Expression": "child.Has(\"eczema\") && {{Overflow}}",
                "Properties": { "outcome": "CLINICIAN_REVIEW_REQUIRED", "severity": "WARNING", "summary": "Eczema.", "detail": "Review.",
                  "conditions": ["eczema"], "evidence": {{Evidence}} } } ] }
            """),
    ];

    private static string Case(string name, string code, string expect, string todo = "") => $$"""
        { "name": "{{name}}", "asOf": "2026-03-02T10:00:00Z",{{todo}}
          "request": { "patient": { "birthDate": "2024-01-10" },
            "conditions": [ { "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "{{code}}" } ] },
          "expect": {{expect}} }
        """;

    [Fact]
    public void Run_CaseInWhichARuleErrors_FailsNamingTheRuleAndTheError()
    {
        // Before, this case passed: the fail-closed precaution carries the rule's id, so the rule counted as fired and
        // the verdict (review) was the one expected.
        var report = Run(Case("eczema", "L20.9", """{ "suitability": "CLINICIAN_REVIEW_REQUIRED", "rules": ["eczema-broken"] }"""));

        var result = Assert.Single(report.Cases);
        Assert.False(result.Passed);
        Assert.False(result.Todo);
        Assert.Equal(
            [$"rule 'eczema-broken' could not be evaluated: {DecimalError}", "rule 'eczema-broken' did not fire (it could not be evaluated)"],
            result.Failures);
        Assert.Empty(result.Fired);
        Assert.Equal(1, report.Failed);
    }

    [Fact]
    public void Run_RuleThatOnlyErrors_IsFiredByNoCase()
    {
        var report = Run(
            Case("eczema", "L20.9", """{ "suitability": "CLINICIAN_REVIEW_REQUIRED" }"""),
            Case("fever", "R50.9", """{ "suitability": "NOT_SUITABLE", "rules": ["fever"] }"""));

        Assert.Equal(0, report.Coverage["eczema-broken"]);
        Assert.Equal(1, report.Coverage["fever"]);
        Assert.Equal(["eczema-broken"], report.Uncovered);
        var uncovered = Assert.Single(report.UncoveredRules(Load()));
        Assert.Equal("rules.json", uncovered.File);
        Assert.StartsWith("rule 'eczema-broken' is fired by no case", uncovered.Message, StringComparison.Ordinal);

        // Not expecting the rule does not excuse its error.
        var eczema = Assert.Single(report.Cases, c => c.Name == "eczema");
        Assert.Equal([$"rule 'eczema-broken' could not be evaluated: {DecimalError}"], eczema.Failures);
        Assert.True(Assert.Single(report.Cases, c => c.Name == "fever").Passed);
    }

    [Fact]
    public void Run_TodoCaseInWhichARuleErrors_IsAFailureNotATodo()
    {
        var report = Run(Case("eczema", "L20.9", """{ "suitability": "SUITABLE" }""", todo: "\n  \"todo\": \"verdict still under review\","));

        var result = Assert.Single(report.Cases);
        Assert.False(result.Todo);
        Assert.False(result.Passed);
        Assert.Equal((1, 0), (report.Failed, report.Todo));
        Assert.Contains($"rule 'eczema-broken' could not be evaluated: {DecimalError}", result.Failures);
    }

    [Fact]
    public void Run_UnrecognisedCode_TheEnginesOwnPrecautionStillCountsAsFired()
    {
        // The other synthetic fail-closed precaution: no rule errored, so the case passes on its expectations.
        var report = Run(Case("unknown code", "Q99.8", """{ "suitability": "CLINICIAN_REVIEW_REQUIRED", "rules": ["unrecognized-condition"], "notRules": ["eczema-broken"] }"""));

        var result = Assert.Single(report.Cases);
        Assert.True(result.Passed, string.Join("\n", result.Failures));
        Assert.Equal(["unrecognized-condition"], result.Fired);
    }

    [Fact]
    public void Vet_CandidateWithARuleThatErrors_IsRefusedAtTheCaseAndTheRule()
    {
        var snapshot = new RuleDirectorySnapshot(
            Path.GetTempPath(),
            RevisionFiles,
            [File("rules.cases.json", Cases(
                Case("eczema", "L20.9", """{ "suitability": "CLINICIAN_REVIEW_REQUIRED", "rules": ["eczema-broken"] }"""),
                Case("fever", "R50.9", """{ "suitability": "NOT_SUITABLE", "rules": ["fever"] }""")))]);

        var vetting = CandidateVetting.Vet(snapshot, Runner);

        Assert.False(vetting.Passed);
        Assert.NotNull(vetting.RuleSet);
        Assert.Contains(vetting.Problems, p => p.File == "rules.cases.json"
            && p.Message.StartsWith($"case 'eczema' failed: rule 'eczema-broken' could not be evaluated: {DecimalError}", StringComparison.Ordinal));
        Assert.Contains(vetting.Problems, p => p.File == "rules.json" && p.Message.StartsWith("rule 'eczema-broken' is fired by no case", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_CaseFileThatCannotBeRead_ReportsItAloneWithoutRulesFiredByNoCase()
    {
        // A syntax error in one cases file hid every case in it; each rule those cases fired was then reported as
        // fired by no case as well, burying the one error that mattered under follow-on ones.
        var report = Runner.Run(Load(), [
            File("fever.cases.json", Cases(Case("fever", "R50.9", """{ "suitability": "NOT_SUITABLE", "rules": ["fever"] }"""))),
            File("eczema.cases.json", "{ \"cases\": [ { \"name\": \"eczema\", ")]);

        var error = Assert.Single(report.Diagnostics);
        Assert.Equal("eczema.cases.json", error.File);
        Assert.True(error.IsError);
        Assert.Equal(0, report.Coverage["eczema-broken"]);
        Assert.Empty(report.Uncovered);
        Assert.Empty(report.UncoveredRules(Load()));
    }

    private static RuleSuiteReport Run(params string[] cases) => Runner.Run(Load(), [File("rules.cases.json", Cases(cases))]);

    private static RuleSet Load()
    {
        var load = RuleSetLoader.Load(RevisionFiles);
        Assert.True(load.Succeeded, string.Join("\n", load.Diagnostics));
        return load.RuleSet;
    }

    private static string Cases(params string[] cases) => $$"""{ "cases": [ {{string.Join(",\n", cases)}} ] }""";

    private static RuleSetFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));
}
