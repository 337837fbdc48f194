using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Grpc;

namespace SafetyCheck.IntegrationTests.Grpc;

public sealed class ProtoJsonTests
{
    [Theory]
    [InlineData("""{"requestId": "a", "requestId": "b"}""", "requestId")]
    [InlineData("""{"requestId": "a", "request_id": "b"}""", "request_id")]
    [InlineData("""{"observations": {"temperatureCelsius": 39.2, "temperatureCelsius": 36.8}}""", "observations.temperatureCelsius")]
    [InlineData("""{"conditions": [{"code": "R50.9"}, {"code": "R50.9", "system": "x", "code": "L20.9"}]}""", "conditions[].code")]
    [InlineData("""{"conditions": [{"code": "R50.9"}], "conditions": []}""", "conditions")]
    public void ParseRequest_FieldGivenTwiceInOneObject_RefusedNamingIt(string json, string field)
    {
        var error = Assert.Throws<RequestJsonException>(() => ProtoJson.ParseRequest(json));

        Assert.Contains($"'{field}' is given more than once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"conditions": [{"code": "R50.9"}, {"code": "L20.9"}], "patient": {"birthDate": "2024-01-01"}, "session": {"areas": ["BACK", "BACK"]}}""")]
    [InlineData("""{"patient": {"patientRef": "p"}, "session": {"timeZone": "UTC"}}""")]
    public void ParseRequest_SameNameInDifferentObjects_Read(string json) =>
        Assert.NotNull(ProtoJson.ParseRequest(json));

    [Theory]
    [InlineData("{")]
    [InlineData("""{"requestId": 42}""")]
    [InlineData("""{"requestId": "\ud800"}""")]
    public void ParseRequest_NotACheckRequest_RequestJsonException(string json) =>
        Assert.Throws<RequestJsonException>(() => ProtoJson.ParseRequest(json));

    [Theory]
    [InlineData("""{"patient": {"birthDate": "2020-01-01", "birthWeightGrams": "heavy"}}""", "patient.birth_weight_grams: Invalid numeric value")]
    [InlineData("""{"conditions": [{"code": "R50.9", "status": "ACTIVE"}, {"code": "R50.9", "status": "BOGUS"}]}""", "conditions[1].status: Invalid enum value: BOGUS")]
    [InlineData("""{"patient": {"birthWeightGrams": 99999999999}}""", "patient.birth_weight_grams: Value out of range")]
    [InlineData("""{"session": {"scheduledAt": "yesterday"}}""", "session.scheduled_at: ")]
    [InlineData("""{"conditions": [{"code": "R50.9"}, {"code": "L20.9", "nope": 1}]}""", "conditions[1].nope: Unknown field")]
    [InlineData("""{"requestId": 42}""", "request_id: ")]
    public void ParseRequest_ValueTheParserRefuses_MessageStartsWithThePathOfTheField(string json, string start)
    {
        var error = Assert.Throws<RequestJsonException>(() => ProtoJson.ParseRequest(json));

        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
        Assert.Equal(start[..start.IndexOf(':', StringComparison.Ordinal)], error.Field);
    }

    [Fact]
    public void ParseRequest_UnknownTopLevelField_NamedOnceAsTheParserNamesIt() =>
        Assert.Equal("Unknown field: bogus", Assert.Throws<RequestJsonException>(() => ProtoJson.ParseRequest("""{"bogus": 1}""")).Message);

    [Theory]
    [InlineData("""{"\ud800": 1}""", "$: has a member whose name is not Unicode text")]
    [InlineData("""{"conditions": [{"code": "R50\udc00"}]}""", "conditions[0].code: is not Unicode text")]
    public void ParseRequest_StringThatIsNotUnicodeText_FormatExceptionNamingWhere(string json, string start)
    {
        var error = Assert.Throws<RequestJsonException>(() => ProtoJson.ParseRequest(json));

        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
    }
}
