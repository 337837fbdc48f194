using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Check;

namespace SafetyCheck.RuleSuite.Tests.Schemas;

/// <summary>
/// Puts one fixture file into a small synthetic rule set, in the place its kind belongs, and asks the strict loader
/// (and for case files the rule suite's reader) whether it accepts it.
/// </summary>
internal static class SchemaFixtureRuleSet
{
    private const string Evidence = """{ "grade": "D", "citations": [ { "title": "Synthetic test source", "year": 2020, "url": "" } ] }""";

    private const string Manifest = $$"""
        { "name": "fixture", "version": "0.0.1", "description": "schema agreement",
          "parameters": { "deferralDays": { "value": 2, "unit": "days", "description": "defer" } },
          "reviewEvidence": {{Evidence}} }
        """;

    private const string Catalog = """
        { "conditions": [ { "id": "fever", "display": "Fever", "icd10": ["R50"], "snomed": ["386661006"] },
                          { "id": "asthma", "display": "Asthma", "icd10": ["J45"] } ] }
        """;

    private const string FeverRules = $$"""
        { "WorkflowName": "base", "Rules": [ { "RuleName": "fixture-fever", "Expression": "child.Has(\"fever\")",
          "Properties": { "outcome": "NOT_SUITABLE", "severity": "CRITICAL", "summary": "Fever.", "detail": "Defer.", "conditions": ["fever"], "evidence": {{Evidence}} } } ] }
        """;

    private const string AgeRules = $$"""
        { "WorkflowName": "base", "Rules": [ { "RuleName": "fixture-fever", "Expression": "child.AgeDays < 0",
          "Properties": { "outcome": "NOT_SUITABLE", "severity": "CRITICAL", "summary": "Never.", "detail": "Never.", "conditions": [], "evidence": {{Evidence}} } } ] }
        """;

    /// <summary>The loader's problems with <paramref name="json"/> as a file of <paramref name="kind"/>; empty when it accepts it.</summary>
    public static IReadOnlyList<string> LoaderProblems(RuleSetFileKind kind, string json)
    {
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-schema-fixtures", Path.GetRandomFileName());
        Directory.CreateDirectory(directory);
        try
        {
            Write(directory, "ruleset.json", kind == RuleSetFileKind.Manifest ? json : Manifest);
            Write(directory, "conditions.json", kind == RuleSetFileKind.Catalog ? json : Catalog);
            Write(directory, kind == RuleSetFileKind.Rules ? "fixture.json" : "rules.json", kind switch
            {
                RuleSetFileKind.Rules => json,
                RuleSetFileKind.Catalog => AgeRules,
                _ => FeverRules,
            });
            if (kind == RuleSetFileKind.SnomedExpansion)
            {
                Write(directory, $"terminology/snomed/{ConceptOf(json)}.json", json);
            }

            var load = RuleSetLoader.Load(directory);
            if (!load.Succeeded || kind != RuleSetFileKind.Cases)
            {
                return [.. load.Diagnostics.Select(d => d.ToString())];
            }

            Write(directory, "fixture.cases.json", json);
            var report = new RuleSuiteRunner(new ProtoRequestJsonReader()).Run(load.RuleSet);
            return [.. report.Diagnostics.Select(d => d.ToString())];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The file is named after its concept; a fixture whose concept is not a string goes in a file of the base concept.</summary>
    private static string ConceptOf(string json)
    {
        try
        {
            return JObject.Parse(json)["concept"] is JValue { Type: JTokenType.String } concept && ((string)concept!).All(char.IsAsciiDigit) ? (string)concept! : "386661006";
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return "386661006";
        }
    }

    private static void Write(string directory, string relative, string text)
    {
        var path = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
