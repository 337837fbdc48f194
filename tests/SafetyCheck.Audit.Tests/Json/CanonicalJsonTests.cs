using System.Text.Json.Nodes;
using SafetyCheck.Audit.Json;

namespace SafetyCheck.Audit.Tests.Json;

public class CanonicalJsonTests
{
    [Fact]
    public void Canonicalize_Rfc8785Example_MatchesTheRfc()
    {
        // RFC 8785 §3.2.2 (input) and §3.2.3 (output).
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        var canonical = CanonicalJson.Canonicalize(input);

        Assert.Equal("""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""", canonical);
    }

    [Fact]
    public void Serialize_MemberNames_AreSortedByUtf16CodeUnits()
    {
        // RFC 8785 §3.2.3 sorting example: "\r", "1", "\u0080", "ö", "€", "😀", "דּ".
        var obj = new JsonObject
        {
            ["\u20ac"] = "Euro Sign",
            ["\r"] = "Carriage Return",
            ["\ufb33"] = "Hebrew Letter Dalet With Dagesh",
            ["1"] = "One",
            ["\ud83d\ude00"] = "Emoji: Grinning Face",
            ["\u0080"] = "Control",
            ["\u00f6"] = "Latin Small Letter O With Diaeresis",
        };

        var canonical = CanonicalJson.Serialize(obj);

        var names = JsonNode.Parse(canonical)!.AsObject().Select(m => m.Key).ToArray();
        Assert.Equal(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"], names);
        Assert.StartsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\"", canonical);
    }

    [Fact]
    public void Serialize_Nested_SortsEveryLevelAndWritesNoWhitespace()
    {
        var node = JsonNode.Parse("""{ "b": { "z": 1, "a": [ { "y": true, "x": null } ] }, "a": "s" }""");

        Assert.Equal("""{"a":"s","b":{"a":[{"x":null,"y":true}],"z":1}}""", CanonicalJson.Serialize(node));
    }

    [Theory]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    [InlineData("\n\r\t\b\f", "\\n\\r\\t\\b\\f")]
    [InlineData("\u0000\u001f", "\\u0000\\u001f")]
    [InlineData("/é\u2028<>&'", "/é\u2028<>&'")]
    [InlineData("\u007f", "\u007f")]
    public void Serialize_Strings_EscapeOnlyQuotesBackslashAndControls(string value, string escaped)
    {
        Assert.Equal("\"" + escaped + "\"", CanonicalJson.Serialize(JsonValue.Create(value)));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.5, "0.5")]
    [InlineData(38.5, "38.5")]
    [InlineData(36.6, "36.6")]
    [InlineData(123.456, "123.456")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e22, "1.5e+22")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.25e-10, "1.25e-10")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    public void FormatNumber_WritesTheShortestRoundTripInEcmaScriptForm(double value, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
        Assert.Equal(expected, CanonicalJson.Serialize(JsonValue.Create(value)));
    }

    [Fact]
    public void FormatNumber_NegativeZero_IsZero()
    {
        Assert.Equal("0", CanonicalJson.FormatNumber(-0.0));
    }

    [Fact]
    public void Serialize_Integers_AreExactUpTo2To53()
    {
        Assert.Equal("[1,-42,9007199254740992]", CanonicalJson.Serialize(new JsonArray(1, -42L, 9007199254740992L)));
        Assert.Equal("[1,2]", CanonicalJson.Canonicalize("[1.0, 2e0]"));
    }

    [Fact]
    public void Serialize_IntegerBeyond2To53_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(JsonValue.Create(9007199254740993L)));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize("[18446744073709551615]"));
    }

    [Fact]
    public void Serialize_NonFiniteOrLoneSurrogate_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.FormatNumber(double.NaN));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize("[1e400]"));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(JsonValue.Create("a\ud800b")));
    }
}
