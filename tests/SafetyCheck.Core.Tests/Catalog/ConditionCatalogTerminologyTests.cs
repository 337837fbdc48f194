using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;
using static SafetyCheck.Core.Tests.Support.TerminologyFixture;

namespace SafetyCheck.Core.Tests.Catalog;

/// <summary>Resolution with the terminology: codes that exist, SNOMED CT subtypes and their precedence, why a code is unrecognised.</summary>
public class ConditionCatalogTerminologyTests
{
    private const string Eczema = "43116000";
    private const string NummularEczema = "81418003";
    private const string AtopicDermatitis = "24079001";
    private const string InfectedEczema = "400079002";
    private const string InfectiveDermatitis = "367338000";
    private const string FractureOfBone = "125605004";
    private const string FractureOfRadius = "12676007";
    private const string ClosedFractureOfRadius = "111640008";
    private const string SupracondylarFracture = "58580000";

    private const string Json = """
        {
          "conditions": [
            { "id": "eczema", "display": "Eczema", "icd10": ["L20"], "snomed": ["43116000"] },
            { "id": "atopic-dermatitis", "display": "Atopic dermatitis", "snomed": ["24079001"] },
            { "id": "skin-infection", "display": "Infective dermatitis", "snomed": ["367338000"] },
            { "id": "fracture", "display": "Fracture", "icd10": [{ "code": "S42", "seventh": "ABDGKP" }], "snomed": ["125605004"] },
            { "id": "radius-fracture", "display": "Fracture of radius", "snomed": ["12676007"] },
            { "id": "health-check", "display": "Health check", "benign": true, "icd10": ["Z00"] },
            { "id": "fever", "display": "Fever", "icd10": ["R50"] }
          ]
        }
        """;

    private static ConditionCatalog Standard() => CatalogWith(
        Json,
        (TablePath, Table),
        ExpansionFile(Eczema, "Eczema", (NummularEczema, "Nummular eczema"), (AtopicDermatitis, "Atopic dermatitis"), (InfectedEczema, "Infected eczema")),
        ExpansionFile(InfectiveDermatitis, "Infective dermatitis", (InfectedEczema, "Infected eczema")),
        ExpansionFile(FractureOfBone, "Fracture of bone", (FractureOfRadius, "Fracture of radius"), (ClosedFractureOfRadius, "Closed fracture of radius"), (SupracondylarFracture, "Closed supracondylar fracture of humerus")),
        ExpansionFile(FractureOfRadius, "Fracture of radius", (ClosedFractureOfRadius, "Closed fracture of radius")));

    private static string? Snomed(ConditionCatalog catalog, string code) => catalog.Resolve(CodeSystems.SnomedCt, code)?.ConditionId;

    [Fact]
    public void Resolve_SubtypeOfARowsConcept_GetsThatRow()
    {
        var catalog = Standard();

        Assert.Equal("eczema", Snomed(catalog, NummularEczema));
        Assert.Equal("fracture", Snomed(catalog, SupracondylarFracture));
        Assert.Equal("eczema", Snomed(catalog, Eczema));
        Assert.Null(Snomed(catalog, "128188000"));
    }

    [Fact]
    public void Resolve_ExactlyNamedId_WinsOverAnyExpansionListingIt()
    {
        Assert.Equal("atopic-dermatitis", Snomed(Standard(), AtopicDermatitis));
        Assert.Equal("radius-fracture", Snomed(Standard(), FractureOfRadius));
    }

    [Fact]
    public void Resolve_SubtypeOfTwoConcepts_GoesToTheMoreSpecificOne()
    {
        // Fracture of radius is itself a descendant of fracture of bone, so its row is the more specific one.
        Assert.Equal("radius-fracture", Snomed(Standard(), ClosedFractureOfRadius));
    }

    [Fact]
    public void Resolve_ExpansionContainedInAnother_IsTheMoreSpecific()
    {
        var catalog = CatalogWith(
            """{ "conditions": [ { "id": "broad", "display": "Broad", "snomed": ["404684003"] }, { "id": "narrow", "display": "Narrow", "snomed": ["9826008"] } ] }""",
            ExpansionFile("404684003", "Clinical finding", ("45261009", "Viral conjunctivitis"), (NummularEczema, "Nummular eczema")),
            ExpansionFile("9826008", "Conjunctivitis", ("45261009", "Viral conjunctivitis")));

        Assert.Equal("narrow", Snomed(catalog, "45261009"));
        Assert.Equal("broad", Snomed(catalog, NummularEczema));
        Assert.Empty(catalog.SnomedAmbiguities);
    }

    [Fact]
    public void Resolve_TieBetweenBenignAndNotBenign_FailsClosedAndIsKeptForCheck()
    {
        var catalog = CatalogWith(
            Json.Replace("\"display\": \"Eczema\",", "\"display\": \"Eczema\", \"benign\": true,", StringComparison.Ordinal),
            ExpansionFile(Eczema, "Eczema", (InfectedEczema, "Infected eczema")),
            ExpansionFile(InfectiveDermatitis, "Infective dermatitis", (InfectedEczema, "Infected eczema")));

        Assert.Equal("skin-infection", Snomed(catalog, InfectedEczema));
        var ambiguity = Assert.Single(catalog.SnomedAmbiguities);
        Assert.Equal((InfectedEczema, "skin-infection"), (ambiguity.Code, ambiguity.Winner.Id));
        Assert.Equal(["eczema", "skin-infection"], ambiguity.Candidates.Select(c => c.Condition.Id));
    }

    [Fact]
    public void Resolve_TieBetweenTwoRowsThatAreNotBenign_GoesToTheSmallerIdDeterministically()
    {
        var catalog = CatalogWith(
            Json,
            ExpansionFile(Eczema, "Eczema", (InfectedEczema, "Infected eczema"), (NummularEczema, "Nummular eczema")),
            ExpansionFile(InfectiveDermatitis, "Infective dermatitis", (InfectedEczema, "Infected eczema"), ("45261009", "Viral conjunctivitis")));

        Assert.Equal("eczema", Snomed(catalog, InfectedEczema));
        Assert.Equal(InfectedEczema, Assert.Single(catalog.SnomedAmbiguities).Code);
    }

    [Fact]
    public void Resolve_TieBetweenTwoRowsThatAreNotBenign_GoesToTheRowWithTheMoreRestrictiveRules()
    {
        var catalog = CatalogWith(
            Json,
            ExpansionFile(Eczema, "Eczema", (InfectedEczema, "Infected eczema"), (NummularEczema, "Nummular eczema")),
            ExpansionFile(InfectiveDermatitis, "Infective dermatitis", (InfectedEczema, "Infected eczema"), ("45261009", "Viral conjunctivitis")));

        var weighed = catalog.WithRuleOutcomes(new Dictionary<string, Suitability>
        {
            ["eczema"] = Suitability.SuitableWithPrecautions,
            ["skin-infection"] = Suitability.NotSuitable,
        });

        Assert.Equal("skin-infection", Snomed(weighed, InfectedEczema));
        Assert.Equal("skin-infection", Assert.Single(weighed.SnomedAmbiguities).Winner.Id);
    }

    [Fact]
    public void Resolve_SubtypeInASmallerExpansionContainedInTheOther_GoesToTheSmallerOne()
    {
        // Infective dermatitis lists only infected eczema; eczema lists it and more: the smaller one is more specific.
        var catalog = Standard();

        Assert.Equal("skin-infection", Snomed(catalog, InfectedEczema));
        Assert.Empty(catalog.SnomedAmbiguities);
    }

    [Fact]
    public void Resolve_TieWhereOneRowOverridesTheOther_GoesToItWithoutAmbiguity()
    {
        var catalog = CatalogWith(
            Json.Replace("\"display\": \"Infective dermatitis\",", "\"display\": \"Infective dermatitis\", \"overrides\": [\"eczema\"],", StringComparison.Ordinal),
            ExpansionFile(Eczema, "Eczema", (InfectedEczema, "Infected eczema")),
            ExpansionFile(InfectiveDermatitis, "Infective dermatitis", (InfectedEczema, "Infected eczema")));

        Assert.Equal("skin-infection", Snomed(catalog, InfectedEczema));
        Assert.Empty(catalog.SnomedAmbiguities);
        Assert.Contains(("skin-infection", "eczema"), catalog.SnomedOverridesUsed);
    }

    [Fact]
    public void Resolve_TieWhereOneRowHasAnEntryForIdsOfTheOther_StillFailsClosed()
    {
        // { "condition", "snomed" } acknowledges the ids the row names exactly; unlike overriding the row, it decides no tie.
        var catalog = CatalogWith(
            Json.Replace(
                "\"display\": \"Infective dermatitis\",",
                "\"display\": \"Infective dermatitis\", \"overrides\": [{ \"condition\": \"eczema\", \"snomed\": [\"367338000\"] }],",
                StringComparison.Ordinal),
            ExpansionFile(Eczema, "Eczema", (InfectedEczema, "Infected eczema"), (NummularEczema, "Nummular eczema")),
            ExpansionFile(InfectiveDermatitis, "Infective dermatitis", (InfectedEczema, "Infected eczema"), ("45261009", "Viral conjunctivitis")));

        Assert.Equal("eczema", Snomed(catalog, InfectedEczema));
        Assert.Equal(InfectedEczema, Assert.Single(catalog.SnomedAmbiguities).Code);
        Assert.Empty(catalog.SnomedOverridesUsed);
    }

    [Fact]
    public void SnomedCaptures_AnIdNamedExactlyThatAnotherRowsExpansionLists_IsKeptForCheckAndStaysWithTheNamingRow()
    {
        var catalog = Standard();

        // atopic-dermatitis names 24079001, which eczema's expansion lists; radius-fracture names 12676007, which
        // fracture's lists. 111640008 is in radius-fracture's and fracture's expansions but named by neither: no capture.
        Assert.Equal(
            [(AtopicDermatitis, "atopic-dermatitis", "eczema", Eczema), (FractureOfRadius, "radius-fracture", "fracture", FractureOfBone)],
            catalog.SnomedCaptures.Select(c => (c.Code, c.Taker.Id, c.From.Id, Assert.Single(c.Expansions).Concept)));
        Assert.Equal("Atopic dermatitis", catalog.SnomedCaptures[0].Display);
        Assert.Equal("atopic-dermatitis", Snomed(catalog, AtopicDermatitis));
        Assert.Equal("radius-fracture", Snomed(catalog, FractureOfRadius));
    }

    [Fact]
    public void SnomedCaptures_AnIdNamedExactlyThatOnlyItsOwnRowsExpansionLists_IsNoCapture()
    {
        var catalog = CatalogWith(
            Json.Replace("\"snomed\": [\"125605004\"]", "\"snomed\": [\"125605004\", \"58580000\"]", StringComparison.Ordinal),
            ExpansionFile(FractureOfBone, "Fracture of bone", (SupracondylarFracture, "Closed supracondylar fracture of humerus")));

        Assert.Empty(catalog.SnomedCaptures);
        Assert.Equal("fracture", Snomed(catalog, SupracondylarFracture));
    }

    [Fact]
    public void Resolve_ExpansionOfAConceptNoRowNames_ResolvesNothingAndIsReported()
    {
        var catalog = CatalogWith(Json, ExpansionFile("128188000", "Cerebral palsy", ("230773005", "Spastic cerebral palsy")));

        Assert.Null(Snomed(catalog, "230773005"));
        Assert.Equal("128188000", Assert.Single(catalog.UnusedExpansions).Concept);
    }

    [Theory]
    [InlineData("Z00.00", "health-check")]
    [InlineData("z0000", "health-check")]
    [InlineData("Z00.999", null)] // under a harmless prefix, but not a code
    [InlineData("S42.411A", "fracture")]
    [InlineData("S42.411C", null)] // the 7th character C does not exist for this code
    [InlineData("R50.9", "fever")]
    [InlineData("R50.99", null)]
    public void Resolve_Icd10CmCodeNotInTheTable_IsUnrecognisedWhateverItsPrefix(string code, string? expected)
    {
        Assert.Equal(expected, Standard().Resolve(CodeSystems.Icd10Cm, code)?.ConditionId);
    }

    [Fact]
    public void Resolve_WithoutATable_EveryCodeShapeIsMatchedByPrefix()
    {
        var catalog = CatalogWith(Json);

        Assert.Equal("health-check", catalog.Resolve(CodeSystems.Icd10Cm, "Z00.999")?.ConditionId);
    }

    [Theory]
    [InlineData(CodeSystems.Icd10Cm, "Z00.999", "not an ICD-10-CM FY2026 code")]
    [InlineData(CodeSystems.Icd10Cm, "A99.999", "not an ICD-10-CM FY2026 code")]
    [InlineData(CodeSystems.Icd10Cm, "R50 9", "not an ICD-10-CM FY2026 code")]
    [InlineData(CodeSystems.Icd10Cm, "Z04.72", "not in the catalog")]
    [InlineData(CodeSystems.SnomedCt, "386661007", "not a valid SNOMED CT id")]
    [InlineData(CodeSystems.SnomedCt, "999999999999", "not a valid SNOMED CT id")]
    [InlineData(CodeSystems.SnomedCt, "128188000", "not in the catalog")]
    [InlineData(CodeSystems.Catalog, "psoriasis", "not in the catalog")]
    public void WhyUnrecognized_SaysWhy(string system, string code, string expected)
    {
        var catalog = Standard();

        Assert.Null(catalog.Resolve(system, code));
        Assert.Equal(expected, catalog.WhyUnrecognized(system, code));
    }

    [Fact]
    public void WhyUnrecognized_WithoutATable_SaysNotAnIcd10CmCodeOnlyForWrongShapes()
    {
        var catalog = CatalogWith(Json);

        Assert.Equal("not an ICD-10-CM code", catalog.WhyUnrecognized(CodeSystems.Icd10Cm, "R5"));
        Assert.Equal("not in the catalog", catalog.WhyUnrecognized(CodeSystems.Icd10Cm, "Q99.9"));
    }
}
