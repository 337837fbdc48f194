using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Tests.Terminology;

public class SnomedCtIdTests
{
    [Theory]
    [InlineData("386661006")] // Fever: International Edition, partition 00
    [InlineData("128188000")]
    [InlineData("10629231000119109")] // an extension concept, partition 10
    [InlineData("100005")] // the shortest concept id
    public void IsValidConceptId_RealConceptIds_AreValid(string id)
    {
        Assert.True(SnomedCtId.IsValidConceptId(id));
        Assert.Null(SnomedCtId.Problem(id));
    }

    [Theory]
    [InlineData("386661007", "its check digit is wrong (Verhoeff)")]
    [InlineData("386661016", "its check digit is wrong (Verhoeff)")]
    [InlineData("386661010", "its partition 01 makes it a description id, not a concept id")]
    [InlineData("999999999999", "its partition 99 is not a concept partition (00 or 10)")]
    [InlineData("12345", "a SNOMED CT id has 6 to 18 digits and does not start with 0")]
    [InlineData("0386661006", "a SNOMED CT id has 6 to 18 digits and does not start with 0")]
    [InlineData("1234567890123456789", "a SNOMED CT id has 6 to 18 digits and does not start with 0")]
    [InlineData("38666100x", "a SNOMED CT id has digits only")]
    [InlineData(" 386661006", "a SNOMED CT id has digits only")]
    public void Problem_MalformedIds_SayWhy(string id, string expected)
    {
        Assert.False(SnomedCtId.IsValidConceptId(id));
        Assert.Equal(expected, SnomedCtId.Problem(id));
    }

    [Fact]
    public void IsValidConceptId_EveryOtherCheckDigit_IsRejected()
    {
        const string body = "12818800";
        var valid = Enumerable.Range(0, 10).Where(d => SnomedCtId.IsValidConceptId(body + d)).ToList();

        Assert.Equal([0], valid);
    }
}
