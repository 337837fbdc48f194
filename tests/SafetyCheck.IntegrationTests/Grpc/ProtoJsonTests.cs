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
        var error = Assert.Throws<FormatException>(() => ProtoJson.ParseRequest(json));

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
    public void ParseRequest_NotACheckRequest_FormatException(string json) =>
        Assert.Throws<FormatException>(() => ProtoJson.ParseRequest(json));
}
