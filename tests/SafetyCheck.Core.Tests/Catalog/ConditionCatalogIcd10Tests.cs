using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Tests.Catalog;

public sealed class ConditionCatalogIcd10Tests
{
    private static CatalogMatch? Resolve(string code) => CatalogFixture.Catalog.Resolve(CodeSystems.Icd10Cm, code);

    [Theory]
    [InlineData("R50")]
    [InlineData("R50.9")]
    [InlineData("R509")]
    [InlineData("r50.9")]
    [InlineData("r509")]
    [InlineData("R50.81")]
    [InlineData("R5081")]
    [InlineData("P81.9")]
    [InlineData("p819")]
    public void Resolve_DotOrNoDotAnyCase_MatchesCodeAndItsDescendants(string code) =>
        Assert.Equal("fever", Resolve(code)?.ConditionId);

    [Theory]
    [InlineData("R51")]
    [InlineData("R49.9")]
    [InlineData("P81.0")]
    [InlineData("P81")]
    [InlineData("K00")]
    [InlineData("Z99.9")]
    public void Resolve_CodeNotCovered_ReturnsNull(string code) => Assert.Null(Resolve(code));

    [Theory]
    [InlineData("")]
    [InlineData("R5")]
    [InlineData("R50.")]
    [InlineData("R5.09")]
    [InlineData("R509.")]
    [InlineData("R50 9")]
    [InlineData(" R50.9")]
    [InlineData("R50.9 ")]
    [InlineData("R50.9.1")]
    [InlineData("R50..9")]
    [InlineData("R50.9123X")]
    [InlineData("5R0.9")]
    [InlineData("R50?")]
    [InlineData("R50-R50")]
    [InlineData("R50\u00e9")]
    public void Resolve_NotAnIcd10CodeShape_ReturnsNull(string code) => Assert.Null(Resolve(code));

    [Theory]
    [InlineData("A00", "acute-infection")] // range start
    [InlineData("A00.0", "acute-infection")]
    [InlineData("A41.9", "acute-infection")]
    [InlineData("B89", "acute-infection")] // range end
    [InlineData("B89.9", "acute-infection")]
    [InlineData("B90", null)] // just past the end
    [InlineData("J00", "acute-infection")]
    [InlineData("J06.9", "acute-infection")]
    [InlineData("J07", null)]
    [InlineData("P36.0", "acute-infection")] // en dash range P35–P39
    [InlineData("P39.9", "acute-infection")]
    [InlineData("P34", null)]
    [InlineData("P40", null)]
    public void Resolve_CategoryRange_MatchesInsideAndAtBothEnds(string code, string? expected) =>
        Assert.Equal(expected, Resolve(code)?.ConditionId);

    [Theory]
    [InlineData("S11.0", "penetrating-wound")] // start of S11.0-S11.2
    [InlineData("S11.24XA", "penetrating-wound")]
    [InlineData("S11.2", "penetrating-wound")] // end
    [InlineData("S11.3", "skin-local")] // next range
    [InlineData("S11.91XA", "skin-local")]
    [InlineData("S11", null)] // shorter than the range ends
    [InlineData("S10.0", null)]
    public void Resolve_SubcategoryRange_ComparesTheFirstCharactersOfTheCode(string code, string? expected) =>
        Assert.Equal(expected, Resolve(code)?.ConditionId);

    [Theory]
    [InlineData("P35.1", "minor-skin-infection")] // excluded from acute-infection, falls to a less specific entry
    [InlineData("P351", "minor-skin-infection")]
    [InlineData("P37.1", null)] // excluded, and nothing else covers it
    [InlineData("P35.0", "acute-infection")]
    [InlineData("P37.5", "acute-infection")]
    public void Resolve_ExcludedCode_FallsToOtherEntriesOrIsUnrecognised(string code, string? expected) =>
        Assert.Equal(expected, Resolve(code)?.ConditionId);

    [Theory]
    [InlineData("S42.001A", "fracture", false)]
    [InlineData("S42.001D", "fracture", false)]
    [InlineData("s42001p", "fracture", false)]
    [InlineData("S42.001S", "injury-sequela", true)]
    [InlineData("T21.11XS", "injury-sequela", true)]
    [InlineData("S41.011S", "injury-sequela", true)] // sequela (3 + 7th) beats the S41 prefix (3)
    [InlineData("S41.011A", "skin-local", false)]
    public void Resolve_SeventhCharacter_SeparatesActiveInjuryFromSequela(string code, string expected, bool benign)
    {
        CatalogMatch? match = Resolve(code);

        Assert.Equal(expected, match?.ConditionId);
        Assert.Equal(benign, match?.KnownBenign);
    }

    [Theory]
    [InlineData("S42.001")] // a 7th-character pattern needs 7 characters
    [InlineData("S42")]
    [InlineData("S42.001Z")] // 7th character not listed
    [InlineData("T88.9")]
    public void Resolve_SeventhCharacterNotSatisfied_ReturnsNull(string code) => Assert.Null(Resolve(code));

    [Theory]
    [InlineData("G40.001", "epilepsy-status")]
    [InlineData("G40.A01", "epilepsy-status")] // '?' matches any character
    [InlineData("G40.911", "epilepsy-status")]
    [InlineData("G40.901", "epilepsy-status")] // G40.?01 is as long as the code: beats the G40.90 prefix
    [InlineData("G40.909", "epilepsy")]
    [InlineData("G40.1", "epilepsy")]
    [InlineData("G40.0011", "epilepsy-status")]
    public void Resolve_WildcardPattern_MatchesAnyCharacterInItsPosition(string code, string expected) =>
        Assert.Equal(expected, Resolve(code)?.ConditionId);

    [Theory]
    [InlineData("B18.1", "chronic-infection")] // B18 (single code, 3) beats A00-B89 (range, 3)
    [InlineData("B18", "chronic-infection")]
    [InlineData("B20", "chronic-infection")]
    [InlineData("B17.9", "acute-infection")]
    [InlineData("B99.9", "acute-infection")]
    [InlineData("S21.31XA", "penetrating-wound")] // S21.3 (4) beats the sequela range (3 + 7th)
    [InlineData("S21.31XS", "penetrating-wound")] // 4 positions beat 3 + 7th: fails towards review
    public void Resolve_SeveralEntriesMatch_MostSpecificWins(string code, string expected) =>
        Assert.Equal(expected, Resolve(code)?.ConditionId);

    [Fact]
    public void Resolve_EqualSpecificityBenignAndNot_NotBenignWins()
    {
        // S11.3-S11.9 (range of 4) and S00-T88 with 7th "S" (range of 3 + 7th) are equally specific.
        CatalogMatch? match = Resolve("S11.31XS");

        Assert.Equal("skin-local", match?.ConditionId);
        Assert.False(match?.KnownBenign);
    }

    [Theory]
    [InlineData("T21.0", "burns")]
    [InlineData("T25.0", "burns")]
    [InlineData("T26.0", "eye-burn")]
    [InlineData("T28.0", "internal-burn")]
    public void Resolve_EqualSpecificityAcrossConditions_OrdinalSmallerIdWins(string code, string expected)
    {
        ConditionCatalog catalog = CatalogFixture.Load("""
            { "conditions": [
              { "id": "internal-burn", "display": "Internal burn", "icd10": ["T20-T28"] },
              { "id": "eye-burn", "display": "Eye burn", "icd10": ["T26-T27"] },
              { "id": "burns", "display": "Burns", "icd10": ["T20-T25"] }
            ] }
            """);

        Assert.Equal(expected, catalog.Resolve(CodeSystems.Icd10Cm, code)?.ConditionId);
    }

    [Theory]
    [InlineData("P07.32", 29)]
    [InlineData("P0732", 29)]
    [InlineData("p07.32", 29)]
    [InlineData("P07.26", 27)]
    public void Resolve_CodeWithGestationalWeeks_CarriesTheWeeks(string code, int weeks)
    {
        CatalogMatch? match = Resolve(code);

        Assert.Equal(new CatalogMatch("preterm-birth", KnownBenign: true, GestationalWeeks: weeks), match);
    }

    [Theory]
    [InlineData("P07.3")]
    [InlineData("P07.39")]
    [InlineData("P07.2")]
    [InlineData("P07.21")]
    public void Resolve_CodeWithoutGestationalWeeks_CarriesNoWeeks(string code) =>
        Assert.Equal(new CatalogMatch("preterm-birth", KnownBenign: true, GestationalWeeks: null), Resolve(code));

    [Fact]
    public void Resolve_ConditionWhoseCodesAllNameTheSameWeeks_CarriesThemInEveryCodeSystem()
    {
        ConditionCatalog catalog = CatalogFixture.Load("""
            { "conditions": [
              { "id": "preterm-30-weeks", "display": "Born at 30 weeks", "benign": true, "snomed": ["24079001"],
                "icd10": [{ "code": "P07.33", "gestationalWeeks": 30 }] },
              { "id": "preterm-mixed", "display": "Born preterm", "benign": true,
                "icd10": [{ "code": "P07.32", "gestationalWeeks": 29 }, "P07.3"] }
            ] }
            """);

        Assert.Equal(30, catalog.Resolve(CodeSystems.Icd10Cm, "P07.33")?.GestationalWeeks);
        Assert.Equal(30, catalog.Resolve(CodeSystems.Catalog, "preterm-30-weeks")?.GestationalWeeks);
        Assert.Equal(30, catalog.Resolve(CodeSystems.SnomedCt, "24079001")?.GestationalWeeks);
        Assert.Null(catalog.Resolve(CodeSystems.Catalog, "preterm-mixed")?.GestationalWeeks);
        Assert.Equal(29, catalog.Resolve(CodeSystems.Icd10Cm, "P07.32")?.GestationalWeeks);
    }

    [Theory]
    [InlineData("K00.7", "teething", true)]
    [InlineData("R50.9", "fever", false)]
    public void Resolve_KnownBenignFlag_ComesFromTheCondition(string code, string expected, bool benign) =>
        Assert.Equal(new CatalogMatch(expected, benign, null), Resolve(code));
}
