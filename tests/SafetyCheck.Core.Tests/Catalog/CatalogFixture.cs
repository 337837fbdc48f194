using SafetyCheck.Core.Catalog;

namespace SafetyCheck.Core.Tests.Catalog;

/// <summary>A small test catalog (not the clinical one) exercising every matching feature.</summary>
internal static class CatalogFixture
{
    public const string Json = """
        {
          // Test catalog: shapes of the clinical catalog, not its content.
          "conditions": [
            { "id": "fever", "display": "Fever", "icd10": ["R50", "P81.9"], "snomed": ["386661006"] },
            { "id": "acute-infection", "display": "Acute infection",
              "icd10": ["A00-B89", "B99", "J00-J06", "P35–P39"], "icd10Exclude": ["P35.1", "P37.1"] },
            { "id": "chronic-infection", "display": "Chronic viral infection", "icd10": ["B18", "B20", "Z21"] },
            { "id": "minor-skin-infection", "display": "Minor skin infection", "icd10": ["P35.1"] },
            { "id": "fracture", "display": "Fracture", "icd10": [{ "code": "S42", "seventh": "ABCDEFGHJKMNPQR" }] },
            { "id": "injury-sequela", "display": "Late effect of an injury", "benign": true,
              "icd10": [{ "code": "S00-T88", "seventh": "S" }] },
            { "id": "skin-local", "display": "Open wound", "icd10": ["S11.3-S11.9", "S41", "R21"] },
            { "id": "penetrating-wound", "display": "Penetrating wound", "icd10": ["S11.0-S11.2", "S21.3"] },
            { "id": "preterm-birth", "display": "Preterm newborn", "benign": true,
              "icd10": [{ "code": "P07.32", "gestationalWeeks": 29 }, { "code": "p0726", "gestationalWeeks": 27 }, "P07.3", "P07.2"] },
            { "id": "epilepsy", "display": "Epilepsy", "icd10": ["G40", "G40.90"], "snomed": ["84757009"] },
            { "id": "epilepsy-status", "display": "Epilepsy with status epilepticus", "icd10": ["G40.?01", "G40.?11"] },
            { "id": "teething", "display": "Teething", "benign": true, "icd10": ["K00.7"] },
            { "id": "inpatient-stay", "display": "Inpatient stay" }
          ]
        }
        """;

    /// <summary>The loaded fixture; fails loudly when it does not load.</summary>
    public static ConditionCatalog Catalog { get; } = Load(Json);

    public static ConditionCatalog Load(string json)
    {
        CatalogLoadResult result = CatalogLoader.Parse(json, "conditions.json");
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Catalog;
    }
}
