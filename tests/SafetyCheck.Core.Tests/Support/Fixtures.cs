namespace SafetyCheck.Core.Tests.Support;

/// <summary>Small rule-set fragments for engine tests (synthetic, not the shipped clinical content).</summary>
internal static class Fixtures
{
    public const string Evidence = """{ "grade": "D", "citations": [ { "title": "Synthetic test source", "year": 2020, "url": "https://example.org/source" } ] }""";

    public static string Manifest(string? parameters = null, string? policy = null) => $$"""
        {
          "name": "fixture",
          "version": "0.0.1",
          "description": "engine test fixture",{{(policy is null ? "" : $"\n  \"policy\": \"{policy}\",")}}
          "parameters": {
            "feverThresholdCelsius": { "value": 38.0, "unit": "°C", "description": "fever at or above" },
            "immunisationDeferralDays": { "value": 2, "unit": "days", "description": "defer after a vaccine" }{{(parameters is null ? "" : ",\n    " + parameters)}}
          },
          "reviewEvidence": {{Evidence}}
        }
        """;

    public const string Catalog = """
        {
          "conditions": [
            { "id": "fever", "display": "Fever", "icd10": ["R50"], "snomed": ["386661006"] },
            { "id": "eczema", "display": "Atopic dermatitis", "icd10": ["L20"] },
            { "id": "bleeding-risk", "display": "Bleeding disorder", "icd10": ["D66", "D67"] },
            { "id": "immunisation", "display": "Immunisation", "icd10": ["Z23"] },
            { "id": "skin-local", "display": "Open wound", "icd10": ["S41"] },
            { "id": "teething", "display": "Teething", "benign": true, "icd10": ["K00.7"] }
          ]
        }
        """;

    public static string Workflow(string name, string rules) => $$"""
        {
          "WorkflowName": "{{name}}",
          "Rules": [
        {{rules}}
          ]
        }
        """;

    /// <summary>One rule object. <paramref name="extra"/> is inserted into Properties (leading comma included by caller).</summary>
    public static string Rule(string id, string expression, string outcome = "NOT_SUITABLE", string severity = "CRITICAL", string conditions = "", string extra = "") => $$"""
            {
              "RuleName": "{{id}}",
              "Expression": {{Newtonsoft.Json.JsonConvert.ToString(expression)}},
              "Properties": {
                "outcome": "{{outcome}}",
                "severity": "{{severity}}",
                "summary": "Summary of {{id}}.",
                "detail": "Detail of {{id}}.",
                "conditions": [{{conditions}}],
                "evidence": {{Evidence}}{{extra}}
              }
            }
        """;
}
