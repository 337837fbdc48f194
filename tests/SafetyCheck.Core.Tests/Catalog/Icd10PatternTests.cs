using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Tests.Catalog;

public sealed class Icd10PatternTests
{
    private static Icd10Pattern Pattern(string text, string? seventh = null)
    {
        Assert.True(Icd10Syntax.TryParsePattern(text, out string code, out string? rangeEnd, out string? error), error);
        return new Icd10Pattern(text, code, rangeEnd, seventh, gestationalWeeks: null);
    }

    [Theory]
    [InlineData("R50", null, "R50", null, "R50")]
    [InlineData("r50.9", null, "R509", null, "R509")]
    [InlineData("A00-B89", null, "A00", "B89", "A00-B89")]
    [InlineData("P35\u2013P39", null, "P35", "P39", "P35-P39")]
    [InlineData("s11.0-S11.2", null, "S110", "S112", "S110-S112")]
    [InlineData("S00-T88", "S", "S00", "T88", "S00-T88 7th:S")]
    [InlineData("G40.?01", null, "G40?01", null, "G40?01")]
    public void TryParsePattern_ValidText_NormalisesDotCaseAndDash(string text, string? seventh, string code, string? end, string key)
    {
        Icd10Pattern pattern = Pattern(text, seventh);

        Assert.Equal((code, end, key), (pattern.Code, pattern.RangeEnd, pattern.Key));
        Assert.Equal(text, pattern.Text);
    }

    [Theory]
    [InlineData("R50", null, 3, 13)]
    [InlineData("R50.9", null, 4, 17)]
    [InlineData("A00-B89", null, 3, 12)] // a range ranks below a single code of the same length
    [InlineData("S11.0-S11.2", null, 4, 16)]
    [InlineData("S42", "ABD", 4, 17)] // the 7th-character constraint counts as one position
    [InlineData("S00-T88", "S", 4, 16)]
    [InlineData("G40.?01", null, 5, 21)] // '?' constrains nothing
    [InlineData("S42.00?", "AD", 6, 25)] // '?' in 7th position, constrained by 'seventh'
    [InlineData("S42.001A", null, 7, 29)]
    public void Specificity_CountsConstrainedPositions(string text, string? seventh, int positions, int specificity)
    {
        Icd10Pattern pattern = Pattern(text, seventh);

        Assert.Equal((positions, specificity), (pattern.ConstrainedPositions, pattern.Specificity));
    }

    [Theory]
    [InlineData("G40.?01", "G40.901", 23)] // as long as the code: +2
    [InlineData("G40.90", "G40.901", 21)] // same positions, but a prefix
    [InlineData("R50", "R50", 15)]
    [InlineData("R50", "R50.9", 13)]
    public void ScoreFor_ExactLengthMatch_BeatsAPrefixOfTheSamePositions(string text, string code, int score)
    {
        Icd10Pattern pattern = Pattern(text);

        Assert.True(pattern.Matches(code));
        Assert.Equal(score, pattern.ScoreFor(code.Replace(".", "", StringComparison.Ordinal).Length));
    }

    [Theory]
    [InlineData("R50", null, "r50.9", true)]
    [InlineData("R50", null, "R5", false)]
    [InlineData("R50", null, "R50 ", false)]
    [InlineData("S11.0-S11.2", null, "s11.24xa", true)]
    [InlineData("S11.0-S11.2", null, "S11.3", false)]
    [InlineData("S42", "AD", "S42.001D", true)]
    [InlineData("S42", "AD", "S42.001S", false)]
    [InlineData("S42", "AD", "S42.00", false)]
    [InlineData("G40.?01", null, "G40.A01", true)]
    [InlineData("G40.?01", null, "G40.A02", false)]
    public void Matches_RawCode_NormalisesTheCodeFirst(string text, string? seventh, string code, bool expected) =>
        Assert.Equal(expected, Pattern(text, seventh).Matches(code));

    [Theory]
    [InlineData("R50", "R50.9", true)]
    [InlineData("R50", "R51", false)]
    [InlineData("G40.?01", "G40.901", true)]
    [InlineData("G40.?01", "G40.902", false)]
    [InlineData("A00-B89", "B18", true)]
    [InlineData("A00-B89", "B90", false)]
    [InlineData("S11.0-S11.2", "S11", true)]
    [InlineData("S11.0-S11.2", "S12", false)]
    [InlineData("A00-B89", "B15-B19", true)]
    [InlineData("B15.0-B19.9", "A00-B15", true)]
    [InlineData("B15.0-B19.9", "A00-B14", false)]
    [InlineData("A00-B89", "B?9", true)] // wildcard beside a range: assumed to overlap
    public void MayOverlap_IsSymmetricAndFalseOnlyWhenDisjoint(string first, string second, bool expected)
    {
        Icd10Pattern a = Pattern(first);
        Icd10Pattern b = Pattern(second);

        Assert.Equal(expected, a.MayOverlap(b));
        Assert.Equal(expected, b.MayOverlap(a));
    }
}
