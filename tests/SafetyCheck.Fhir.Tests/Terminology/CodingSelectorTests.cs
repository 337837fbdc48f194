using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;
using SafetyCheck.Fhir.Terminology;

namespace SafetyCheck.Fhir.Tests.Terminology;

public sealed class CodingSelectorTests
{
    private static readonly CodingSelector Selector = new(new StubResolver(new()
    {
        [(CodeSystems.SnomedCt, "111")] = new CatalogMatch("serious", KnownBenign: false, null),
        [(CodeSystems.SnomedCt, "222")] = new CatalogMatch("harmless", KnownBenign: true, null),
        [(CodeSystems.SnomedCt, "333")] = new CatalogMatch("asthma", KnownBenign: false, null),
        [(CodeSystems.Icd10Cm, "J45")] = new CatalogMatch("asthma", KnownBenign: false, null),
        [(CodeSystems.Icd10Cm, "J45.41")] = new CatalogMatch("asthma-exacerbation", KnownBenign: false, null),
        [(CodeSystems.Icd10Cm, "Z00.00")] = new CatalogMatch("health-check", KnownBenign: true, null),
    }));

    [Fact]
    public void Choose_RecognisedAndUnrecognised_RecognisedWinsAndTheOtherIsListed()
    {
        var choice = Selector.Choose([Candidate(0, CodeSystems.SnomedCt, "999"), Candidate(1, CodeSystems.SnomedCt, "111")]);

        Assert.Equal("111", choice.Chosen!.Code);
        Assert.Equal("serious", choice.Match!.ConditionId);
        var (coding, reason) = Assert.Single(choice.SetAside);
        Assert.Equal("999", coding.Code);
        Assert.Contains("not recognised", reason);
    }

    [Fact]
    public void Choose_BenignAndNotBenign_NotBenignWinsWhateverTheOrder()
    {
        var choice = Selector.Choose([Candidate(0, CodeSystems.Icd10Cm, "Z00.00"), Candidate(1, CodeSystems.SnomedCt, "222"), Candidate(2, CodeSystems.SnomedCt, "111")]);

        Assert.Equal("serious", choice.Match!.ConditionId);
        Assert.Equal([0, 1], choice.SetAside.Select(s => s.Coding.Index));
        Assert.All(choice.SetAside, s => Assert.Contains("(known benign); coding[2] (http://snomed.info/sct|111) names 'serious', which is not, and wins (fail closed)", s.Reason));
    }

    [Fact]
    public void Choose_UnrecognisedAndKnownBenign_UnrecognisedWinsWhateverTheOrder()
    {
        var choice = Selector.Choose([Candidate(0, CodeSystems.Icd10Cm, "Z00.00"), Candidate(1, CodeSystems.SnomedCt, "999"), Candidate(2, CodeSystems.SnomedCt, "222")]);

        Assert.Equal("999", choice.Chosen!.Code);
        Assert.Null(choice.Match);
        Assert.Equal([0, 2], choice.SetAside.Select(s => s.Coding.Index));
        Assert.All(choice.SetAside, s => Assert.Contains("(known benign); coding[1] (http://snomed.info/sct|999) is not recognised by the catalog", s.Reason));
        Assert.All(choice.SetAside, s => Assert.Contains("a benign coding never hides one the catalog does not recognise", s.Reason));
    }

    [Fact]
    public void Choose_NotBenignUnrecognisedAndKnownBenign_NotBenignWins()
    {
        var choice = Selector.Choose([Candidate(0, CodeSystems.SnomedCt, "222"), Candidate(1, CodeSystems.SnomedCt, "999"), Candidate(2, CodeSystems.SnomedCt, "111")]);

        Assert.Equal("serious", choice.Match!.ConditionId);
        Assert.Contains("which is not, and wins (fail closed)", choice.SetAside[0].Reason);
        Assert.Contains("not recognised by the catalog; coding[2] (http://snomed.info/sct|111) is, as 'serious'", choice.SetAside[1].Reason);
    }

    [Fact]
    public void Choose_NamedSnomedAndIcdPattern_TheNamedCodeWins()
    {
        var choice = Selector.Choose([Candidate(0, CodeSystems.Icd10Cm, "J45"), Candidate(1, CodeSystems.SnomedCt, "333")]);

        Assert.Equal(CodeSystems.SnomedCt, choice.Chosen!.System);
        Assert.Contains("the same condition", Assert.Single(choice.SetAside).Reason);
    }

    [Fact]
    public void Choose_TwoIcdCodes_TheLongerWins()
    {
        var choice = Selector.Choose([Candidate(0, CodeSystems.Icd10Cm, "J45"), Candidate(1, CodeSystems.Icd10Cm, "J45.41")]);

        Assert.Equal("asthma-exacerbation", choice.Match!.ConditionId);
        Assert.Contains("more specific", Assert.Single(choice.SetAside).Reason);
    }

    [Fact]
    public void Choose_EqualRank_TheFirstWins()
    {
        var choice = Selector.Choose([Candidate(0, CodeSystems.SnomedCt, "111"), Candidate(1, CodeSystems.SnomedCt, "333")]);

        Assert.Equal("111", choice.Chosen!.Code);
    }

    [Fact]
    public void Choose_NoneRecognised_TheFirstSupportedIsChosenUnrecognised()
    {
        var choice = Selector.Choose([Candidate(0, "http://example.org/local", "X1"), Candidate(1, CodeSystems.Icd10Cm, "Q99.9"), Candidate(2, CodeSystems.SnomedCt, "999")]);

        Assert.Equal("Q99.9", choice.Chosen!.Code);
        Assert.Null(choice.Match);
        Assert.Contains("system 'http://example.org/local' is not used", choice.SetAside[0].Reason);
        Assert.Contains("not recognised by the catalog either", choice.SetAside[1].Reason);
    }

    [Fact]
    public void Choose_NoSupportedSystem_NothingChosen()
    {
        var choice = Selector.Choose([Candidate(0, "http://example.org/local", "X1"), Candidate(1, CodeSystems.SnomedCt, "")]);

        Assert.Null(choice.Chosen);
        Assert.Equal(2, choice.SetAside.Count);
    }

    private static CodingCandidate Candidate(int index, string system, string code) => new(index, system, code, "");

    private sealed class StubResolver(Dictionary<(string, string), CatalogMatch> matches) : ICodeResolver
    {
        public CatalogMatch? Resolve(string system, string code) => matches.GetValueOrDefault((system, code));
    }
}
