using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Tests.Catalog;

public sealed class ConditionCatalogTests
{
    private static ConditionCatalog Catalog => CatalogFixture.Catalog;

    [Theory]
    [InlineData("386661006", "fever")]
    [InlineData("84757009", "epilepsy")]
    public void Resolve_SnomedId_MatchesExactly(string code, string expected) =>
        Assert.Equal(new CatalogMatch(expected, false, null), Catalog.Resolve(CodeSystems.SnomedCt, code));

    [Theory]
    [InlineData("38666100")] // a prefix is not a match
    [InlineData("3866610061")]
    [InlineData(" 386661006")]
    [InlineData("999999999")]
    [InlineData("R50")]
    [InlineData("")]
    public void Resolve_UnknownSnomedId_ReturnsNull(string code) => Assert.Null(Catalog.Resolve(CodeSystems.SnomedCt, code));

    [Theory]
    [InlineData("fever", false)]
    [InlineData("teething", true)]
    [InlineData("inpatient-stay", false)] // no codes at all: reachable by id only
    public void Resolve_CatalogId_MatchesTheCondition(string code, bool benign) =>
        Assert.Equal(new CatalogMatch(code, benign, null), Catalog.Resolve(CodeSystems.Catalog, code));

    [Theory]
    [InlineData("Fever")]
    [InlineData("fever ")]
    [InlineData("R50")]
    [InlineData("fev")]
    [InlineData("")]
    public void Resolve_UnknownCatalogId_ReturnsNull(string code) => Assert.Null(Catalog.Resolve(CodeSystems.Catalog, code));

    [Theory]
    [InlineData("http://loinc.org", "R50")]
    [InlineData("HTTP://HL7.ORG/FHIR/SID/ICD-10-CM", "R50")]
    [InlineData("", "fever")]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "R50")]
    public void Resolve_UnsupportedSystem_ReturnsNull(string system, string code) => Assert.Null(Catalog.Resolve(system, code));

    [Fact]
    public void Resolve_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Catalog.Resolve(null!, "R50"));
        Assert.Throws<ArgumentNullException>(() => Catalog.Resolve(CodeSystems.Icd10Cm, null!));
    }

    [Theory]
    [InlineData("fever", true)]
    [InlineData("inpatient-stay", true)]
    [InlineData("Fever", false)]
    [InlineData("unknown", false)]
    [InlineData("", false)]
    public void Contains_ConditionId_IsExactAndCaseSensitive(string id, bool expected) => Assert.Equal(expected, Catalog.Contains(id));

    [Fact]
    public void TryGet_KnownId_ReturnsTheConditionWithItsPatterns()
    {
        Assert.True(Catalog.TryGet("preterm-birth", out CatalogCondition? condition));

        Assert.Equal("Preterm newborn", condition.Display);
        Assert.True(condition.KnownBenign);
        Assert.Equal(["P07.32", "p0726", "P07.3", "P07.2"], condition.Icd10.Select(p => p.Text));
        Assert.Equal(["P0732", "P0726", "P073", "P072"], condition.Icd10.Select(p => p.Code));
        Assert.Equal([29, 27, null, null], condition.Icd10.Select(p => p.GestationalWeeks));
        Assert.Empty(condition.Snomed);
    }

    [Fact]
    public void TryGet_RangeAndSeventh_AreNormalised()
    {
        Assert.True(Catalog.TryGet("injury-sequela", out CatalogCondition? sequela));
        Assert.True(Catalog.TryGet("acute-infection", out CatalogCondition? infection));

        Icd10Pattern range = Assert.Single(sequela.Icd10);
        Assert.Equal(("S00", "T88", "S"), (range.Code, range.RangeEnd, range.Seventh));
        Assert.True(range.IsRange);
        Assert.Equal(("P35", "P39"), (infection.Icd10[3].Code, infection.Icd10[3].RangeEnd));
        Assert.Equal(["P351", "P371"], infection.Icd10Exclude.Select(p => p.Code));
    }

    [Fact]
    public void TryGet_UnknownId_ReturnsFalse()
    {
        Assert.False(Catalog.TryGet("Fever", out CatalogCondition? condition));
        Assert.Null(condition);
    }

    [Fact]
    public void Conditions_AreInFileOrder()
    {
        Assert.Equal(13, Catalog.Conditions.Count);
        Assert.Equal("fever", Catalog.Conditions[0].Id);
        Assert.Equal("inpatient-stay", Catalog.Conditions[^1].Id);
    }

    [Fact]
    public void Conditions_CannotBeModified()
    {
        var list = Assert.IsAssignableFrom<IList<CatalogCondition>>(Catalog.Conditions);
        Assert.True(list.IsReadOnly);
        var patterns = Assert.IsAssignableFrom<IList<Icd10Pattern>>(Catalog.Conditions[0].Icd10);
        Assert.True(patterns.IsReadOnly);
    }

    [Fact]
    public void Resolve_ManyCodesAgainstALargeCatalog_StaysFast()
    {
        // 26 letters x 100 categories, ranges and 7th-character entries: a few thousand patterns.
        var conditions = new List<string>();
        for (char letter = 'A'; letter <= 'Z'; letter++)
        {
            for (int n = 0; n < 100; n += 10)
            {
                conditions.Add($$"""{ "id": "c-{{char.ToLowerInvariant(letter)}}{{n}}", "display": "x", "icd10": ["{{letter}}{{n:00}}-{{letter}}{{n + 9:00}}", "{{letter}}{{n + 1:00}}.1", { "code": "{{letter}}{{n + 2:00}}", "seventh": "AD" }] }""");
            }
        }

        ConditionCatalog large = CatalogFixture.Load($$"""{ "conditions": [{{string.Join(",\n", conditions)}}] }""");
        string[] codes = [.. Enumerable.Range(0, 100).Select(i => $"{(char)('A' + (i % 26))}{i:00}.{i % 10}")];

        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 0; round < 100; round++)
        {
            foreach (string code in codes)
            {
                Assert.NotNull(large.Resolve(CodeSystems.Icd10Cm, code));
            }
        }

        // 10,000 lookups; generous bound so that a shared CI machine never flakes.
        Assert.InRange(watch.ElapsedMilliseconds, 0, 2_000);
    }
}
