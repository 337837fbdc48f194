using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Rules;
using static SafetyCheck.Core.Tests.Support.TerminologyFixture;

namespace SafetyCheck.Core.Tests.Catalog;

/// <summary>The warnings <c>check</c> prints about the catalog.</summary>
public class CatalogReviewTests
{
    private const string Sequela = """{ "id": "injury-sequela", "display": "Late effect of an injury", "benign": true, "icd10": [{ "code": "S00-T88", "seventh": "S" }] }""";

    private static string[] Review(string conditions, params (string, string)[] files)
    {
        var catalog = CatalogWith($$"""{ "conditions": [ {{conditions}} ] }""", [(TablePath, Table), .. files]);
        var warnings = CatalogReview.Review(catalog, "conditions.json");
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        return [.. warnings.Select(w => w.ToString())];
    }

    [Fact]
    public void Review_NarrowPatternTakingCodesFromAnotherRow_WarnsWithExamples()
    {
        var warnings = Review(Sequela + """, { "id": "vaccine-reaction", "display": "Vaccine reaction", "icd10": ["T88.1"] }""");

        Assert.Equal(
            [
                "conditions.json:1:221: warning: ICD-10-CM pattern 'T88.1' of 'vaccine-reaction' takes 1 code that 'S00-T88, 7th S' of 'injury-sequela' would otherwise match, e.g. T88.1XXS; " +
                "if that is intended, add 'injury-sequela' to the 'overrides' of 'vaccine-reaction' (or list \"T88.1\" in the icd10Exclude of 'injury-sequela' to take those codes from it altogether)",
            ],
            warnings);
    }

    [Fact]
    public void Review_IntendedException_AcknowledgedByOverrides_IsQuiet()
    {
        Assert.Empty(Review(Sequela + """, { "id": "vaccine-reaction", "display": "Vaccine reaction", "icd10": ["T88.1"], "overrides": ["injury-sequela"] }"""));
    }

    [Fact]
    public void Review_IntendedException_AcknowledgedByTheBroaderRowsExclusion_IsQuiet()
    {
        var sequela = Sequela.Replace("}] }", "}], \"icd10Exclude\": [\"T88.1\"] }", StringComparison.Ordinal);

        Assert.Empty(Review(sequela + """, { "id": "vaccine-reaction", "display": "Vaccine reaction", "icd10": ["T88.1"] }"""));
    }

    [Fact]
    public void Review_OverrideThatTakesNothing_Warns()
    {
        var warnings = Review(Sequela + """, { "id": "fever", "display": "Fever", "icd10": ["R50"], "overrides": ["injury-sequela"] }""");

        Assert.Equal(
            ["conditions.json:1:221: warning: 'fever' overrides 'injury-sequela' but takes no ICD-10-CM FY2026 code or SNOMED CT subtype from it: remove it from 'overrides'"],
            warnings);
    }

    [Fact]
    public void Review_PatternMatchingNoRealCode_Warns()
    {
        var warnings = Review("""{ "id": "fever", "display": "Fever", "icd10": ["R50", "R50.99"] }""");

        Assert.Equal(["conditions.json:1:73: warning: ICD-10-CM pattern 'R50.99' of 'fever' matches no ICD-10-CM FY2026 code"], warnings);
    }

    [Fact]
    public void Review_WithoutACodeTable_HasNoIcd10Warnings()
    {
        var catalog = CatalogWith($$"""{ "conditions": [ {{Sequela}}, { "id": "vaccine-reaction", "display": "Vaccine reaction", "icd10": ["T88.1"] } ] }""");

        Assert.Empty(CatalogReview.Review(catalog, "conditions.json"));
    }

    private const string Fracture = """{ "id": "fracture", "display": "Fracture", "icd10": ["S42"], "snomed": ["125605004"] }""";

    private static readonly (string, string) FractureOfBone = ExpansionFile(
        "125605004", "Fracture of bone", ("12676007", "Fracture of radius"), ("58580000", "Closed supracondylar fracture of humerus"));

    /// <summary>A row like the clinician's repro: it names a fracture subtype (58580000) beside its own concept.</summary>
    private static string Torticollis(string overrides = "") =>
        $$"""{ "id": "torticollis", "display": "Torticollis", "icd10": ["R50"], {{overrides}}"snomed": ["70070008", "58580000"] }""";

    [Fact]
    public void Review_RowNamingASubtypeOfAnotherRowsConcept_WarnsAtTheIdWithTheWayToAcknowledgeIt()
    {
        var warnings = Review(Fracture + ", " + Torticollis(), FractureOfBone);

        Assert.Equal(
            [
                "conditions.json:1:197: warning: SNOMED CT 58580000 'Closed supracondylar fracture of humerus' is a subtype of 125605004 'Fracture of bone' in the expansion of 'fracture'; " +
                "naming it under 'torticollis' takes it from 'fracture' (an id a row names exactly is that row's): if that is intended, add 'fracture' to the 'overrides' of 'torticollis' " +
                "(it then also wins every SNOMED CT tie with 'fracture'), or, for this id only, add { \"condition\": \"fracture\", \"snomed\": [\"58580000\"] } to them; " +
                "otherwise remove it from the snomed list of 'torticollis'",
            ],
            warnings);
    }

    [Fact]
    public void Review_SubtypeNamedOnTheRowWhoseOwnExpansionListsIt_IsQuiet()
    {
        // The row's own concept covers it anyway: naming it takes nothing from anyone.
        var fracture = Fracture.Replace("[\"125605004\"]", "[\"125605004\", \"58580000\"]", StringComparison.Ordinal);

        Assert.Empty(Review(fracture, FractureOfBone));
    }

    [Fact]
    public void Review_SubtypeTakenOnPurpose_AcknowledgedByOverridingTheRow_IsQuietAndTheOverrideIsUsed()
    {
        // Without the taken subtype the override would take nothing, and check would say so.
        Assert.Empty(Review(Fracture + ", " + Torticollis("\"overrides\": [\"fracture\"], "), FractureOfBone));
    }

    [Fact]
    public void Review_SubtypeTakenOnPurpose_AcknowledgedForThatIdOnly_IsQuiet()
    {
        Assert.Empty(Review(
            Fracture + ", " + Torticollis("\"overrides\": [{ \"condition\": \"fracture\", \"snomed\": [\"58580000\"] }], "),
            FractureOfBone));
    }

    [Fact]
    public void Review_SubtypeListedByTwoExpansionsOfTheOtherRow_WarnsOnceNamingBoth()
    {
        var fracture = Fracture.Replace("[\"125605004\"]", "[\"125605004\", \"50448004\"]", StringComparison.Ordinal);

        var warning = Assert.Single(Review(
            fracture + ", " + Torticollis(),
            FractureOfBone,
            ExpansionFile("50448004", "Fracture of humerus", ("58580000", "Closed supracondylar fracture of humerus"))));

        Assert.Contains(
            "is a subtype of 125605004 'Fracture of bone' and 50448004 'Fracture of humerus' in the expansions of 'fracture'; naming it under 'torticollis' takes it from 'fracture'",
            warning,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Review_SubtypeTakenFromARowThatOverridesTheTaker_OffersOnlyTheEntryForTheId()
    {
        var fracture = Fracture.Replace("\"snomed\"", "\"overrides\": [\"torticollis\"], \"snomed\"", StringComparison.Ordinal);

        var warning = Assert.Single(Review(fracture + ", " + Torticollis(), FractureOfBone), w => w.Contains("58580000", StringComparison.Ordinal));

        Assert.Contains(
            "if that is intended, acknowledge this id with { \"condition\": \"fracture\", \"snomed\": [\"58580000\"] } in the 'overrides' of 'torticollis' " +
            "(the two rows cannot override each other: 'fracture' overrides 'torticollis')",
            warning,
            StringComparison.Ordinal);
        Assert.DoesNotContain(
            Review(fracture + ", " + Torticollis("\"overrides\": [{ \"condition\": \"fracture\", \"snomed\": [\"58580000\"] }], "), FractureOfBone),
            w => w.Contains("58580000", StringComparison.Ordinal));
    }

    [Fact]
    public void Review_EntryForAnIdTheOtherRowDoesNotList_WarnsThatItTakesNothing()
    {
        var warnings = Review(
            Fracture + ", " + Torticollis("\"overrides\": [{ \"condition\": \"fracture\", \"snomed\": [\"58580000\", \"70070008\"] }], "),
            FractureOfBone);

        Assert.Equal(
            ["conditions.json:1:238: warning: 'torticollis' overrides 'fracture' for SNOMED CT 70070008, but no expansion of 'fracture' lists 70070008, so naming it takes nothing from 'fracture': remove it from that 'overrides' entry"],
            warnings);
    }

    [Fact]
    public void Review_EntryForTheOtherRowWithoutThisId_SaysToAddTheIdToIt()
    {
        var catalog = CatalogWith(
            $$"""{ "conditions": [ {{Fracture}}, { "id": "torticollis", "display": "Torticollis", "overrides": [{ "condition": "fracture", "snomed": ["12676007"] }], "snomed": ["70070008", "58580000", "12676007"] } ] }""",
            (TablePath, Table),
            FractureOfBone);

        var warning = Assert.Single(CatalogReview.Review(catalog, "conditions.json"));

        Assert.Contains("SNOMED CT 58580000", warning.Message, StringComparison.Ordinal);
        Assert.Contains(
            "if that is intended, add \"58580000\" to the snomed list of its { \"condition\": \"fracture\", ... } entry in the 'overrides' of 'torticollis'",
            warning.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Review_SnomedTieAndUnusedExpansion_Warn()
    {
        var warnings = Review(
            """{ "id": "eczema", "display": "Eczema", "benign": true, "snomed": ["43116000"] }, { "id": "skin-infection", "display": "Infective dermatitis", "snomed": ["367338000"] }""",
            ExpansionFile("43116000", "Eczema", ("400079002", "Infected eczema")),
            ExpansionFile("367338000", "Infective dermatitis", ("400079002", "Infected eczema")),
            ExpansionFile("128188000", "Cerebral palsy", ("230773005", "Spastic cerebral palsy")));

        Assert.Equal(
            [
                "terminology/snomed/43116000.json:9:15: warning: SNOMED CT 400079002 'Infected eczema' is a subtype of 43116000 'Eczema' (row 'eczema'), 367338000 'Infective dermatitis' (row 'skin-infection'), " +
                "none more specific than the others: it resolves to 'skin-infection' (not known-benign first, then the row with the more restrictive rules, then the smaller id); " +
                "name it in the snomed list of the row it belongs to, or give that row 'overrides'",
                "terminology/snomed/128188000.json:3:14: warning: no row of conditions.json names SNOMED CT 128188000 'Cerebral palsy': its expansion resolves nothing",
            ],
            warnings);
    }
}
