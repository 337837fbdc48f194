using SafetyCheck.Core.Domain;
using SafetyCheck.Fhir.Terminology;

namespace SafetyCheck.Fhir.Tests.Terminology;

public sealed class BodySiteMapTests
{
    [Theory]
    [InlineData("38266002", BodyArea.WholeBody)]
    [InlineData("69536005", BodyArea.Head)]
    [InlineData("89545001", BodyArea.Face)]
    [InlineData("45048000", BodyArea.Neck)]
    [InlineData("51185008", BodyArea.Chest)]
    [InlineData("113345001", BodyArea.Abdomen)]
    [InlineData("77568009", BodyArea.Back)]
    [InlineData("53120007", BodyArea.Arms)]
    [InlineData("85562004", BodyArea.Hands)]
    [InlineData("61685007", BodyArea.Legs)]
    [InlineData("56459004", BodyArea.Feet)]
    public void AreasOf_DefaultTable_EveryAreaHasASite(string code, BodyArea area)
    {
        Assert.Equal([area], BodySiteMap.Default.AreasOf(code));
    }

    [Fact]
    public void AreasOf_HeadAndNeck_BothInEnumOrder()
    {
        Assert.Equal([BodyArea.Head, BodyArea.Neck], BodySiteMap.Default.AreasOf("774007"));
    }

    [Fact]
    public void AreasOf_UnlistedConcept_Empty()
    {
        Assert.Empty(BodySiteMap.Default.AreasOf("39937001"));
    }

    [Theory]
    [InlineData("""{ "sites": [ { "code": "69536005", "areas": ["SCALP"] } ] }""", "not a body area")]
    [InlineData("""{ "sites": [ { "code": "head", "areas": ["HEAD"] } ] }""", "not a SNOMED CT concept id")]
    [InlineData("""{ "sites": [ { "code": "69536006", "areas": ["HEAD"] } ] }""", "'69536006' is not a SNOMED CT concept id: its check digit is wrong (Verhoeff)")]
    [InlineData("""{ "sites": [ { "code": "069536005", "areas": ["HEAD"] } ] }""", "'069536005' is not a SNOMED CT concept id: a SNOMED CT id has 6 to 18 digits and does not start with 0")]
    [InlineData("""{ "sites": [ { "code": "69536005", "areas": ["HEAD"] }, { "code": "69536005", "areas": ["FACE"] } ] }""", "listed twice")]
    [InlineData("""{ "sites": [ { "code": "69536005", "areas": [] } ] }""", "has no areas")]
    [InlineData("""{ "rows": [] }""", "not a body-site table")]
    public void Parse_BadTable_FormatException(string json, string message)
    {
        Assert.Contains(message, Assert.Throws<FormatException>(() => BodySiteMap.Parse(json)).Message);
    }
}
