using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.RuleSets;

/// <summary>
/// A small synthetic rule set in a temporary folder, in two variants that decide a fever differently (variant A: not
/// suitable; variant B: clinician review), each with the cases that pass on it, so a reload changes the verdict of
/// <see cref="FeverRequest"/> and every response shows which revision decided it.
/// </summary>
internal sealed class ReloadRuleSets : IDisposable
{
    private const string Evidence = """{ "grade": "D", "citations": [ { "title": "Synthetic test source", "year": 2020, "url": "https://example.org/source" } ] }""";

    public ReloadRuleSets()
    {
        Directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", "reload-" + Path.GetRandomFileName(), "rules");
        System.IO.Directory.CreateDirectory(Directory);
        Write("ruleset.json", $$"""
            {
              "name": "reload-fixture",
              "version": "0.0.1",
              "description": "hot reload test fixture",
              "parameters": {
                "feverThresholdCelsius": { "value": 38.0, "unit": "°C", "description": "fever at or above" }
              },
              "reviewEvidence": {{Evidence}}
            }
            """);
        Write("conditions.json", """
            {
              "conditions": [
                { "id": "fever", "display": "Fever", "icd10": ["R50"] },
                { "id": "eczema", "display": "Atopic dermatitis", "icd10": ["L20"] }
              ]
            }
            """);
        UseVariant('A');
    }

    /// <summary>The rule directory.</summary>
    public string Directory { get; }

    /// <summary>The verdict each variant gives <see cref="FeverRequest"/>.</summary>
    public static Suitability FeverVerdict(char variant) => variant == 'A' ? Suitability.NotSuitable : Suitability.ClinicianReviewRequired;

    /// <summary>A synthetic toddler with fever (ICD-10-CM R50.9), a session at home.</summary>
    public static CheckRequest FeverRequest(string requestId = "fever") => new()
    {
        RequestId = requestId,
        Patient = new Patient { BirthDate = "2024-01-10", GestationalAgeAtBirth = new GestationalAge { Weeks = 39 } },
        Conditions = { new Condition { System = "http://hl7.org/fhir/sid/icd-10-cm", Code = "R50.9" } },
        Session = new Session { Setting = Setting.Home, Areas = { BodyArea.Back } },
    };

    /// <summary>Writes the rule file and cases of <paramref name="variant"/> (A or B).</summary>
    public void UseVariant(char variant)
    {
        WriteRules(variant);
        WriteCases(variant);
    }

    /// <summary>Writes only the rule file of <paramref name="variant"/>, leaving the cases as they are.</summary>
    public void WriteRules(char variant)
    {
        var (outcome, severity) = variant == 'A' ? ("NOT_SUITABLE", "CRITICAL") : ("CLINICIAN_REVIEW_REQUIRED", "WARNING");
        Write("rules.json", $$"""
            {
              "WorkflowName": "fixture",
              "Rules": [
                {
                  "RuleName": "fever",
                  "Expression": "child.Has(\"fever\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)",
                  "Properties": {
                    "outcome": "{{outcome}}",
                    "severity": "{{severity}}",
                    "summary": "Fever ({{variant}}).",
                    "detail": "Defer while febrile.",
                    "conditions": ["fever"],
                    "evidence": {{Evidence}}
                  }
                },
                {
                  "RuleName": "eczema",
                  "Expression": "child.Has(\"eczema\")",
                  "Properties": {
                    "outcome": "SUITABLE_WITH_PRECAUTIONS",
                    "severity": "CAUTION",
                    "summary": "Eczema.",
                    "detail": "Avoid the face.",
                    "conditions": ["eczema"],
                    "avoidAreas": ["FACE"],
                    "evidence": {{Evidence}}
                  }
                }
              ]
            }
            """);
    }

    /// <summary>Writes a rule file that is not JSON, as an editor saving half a file would.</summary>
    public void BreakRules() => Write("rules.json", """{ "WorkflowName": "fixture", "Rules": [ { "RuleName": "fever", """);

    public void Write(string relative, string text)
    {
        var full = Path.Combine(Directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path.GetDirectoryName(Directory)!, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private void WriteCases(char variant) => Write("rules.cases.json", $$"""
        {
          "cases": [
            {
              "name": "fever",
              "asOf": "2026-03-02T10:00:00Z",
              "request": {
                "patient": { "birthDate": "2024-01-10", "gestationalAgeAtBirth": { "weeks": 39, "days": 0 } },
                "conditions": [ { "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R50.9" } ],
                "session": { "setting": "HOME", "areas": ["BACK"] }
              },
              "expect": { "suitability": "{{(variant == 'A' ? "NOT_SUITABLE" : "CLINICIAN_REVIEW_REQUIRED")}}", "rules": ["fever"] }
            },
            {
              "name": "eczema",
              "asOf": "2026-03-02T10:00:00Z",
              "request": {
                "patient": { "birthDate": "2024-01-10", "gestationalAgeAtBirth": { "weeks": 39, "days": 0 } },
                "conditions": [ { "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "L20.9" } ],
                "session": { "setting": "HOME", "areas": ["BACK"] }
              },
              "expect": { "suitability": "SUITABLE_WITH_PRECAUTIONS", "rules": ["eczema"] }
            }
          ]
        }
        """);
}
