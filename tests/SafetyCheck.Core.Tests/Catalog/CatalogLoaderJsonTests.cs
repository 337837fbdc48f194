using SafetyCheck.Core.Catalog;

namespace SafetyCheck.Core.Tests.Catalog;

/// <summary>JSON that is not well-formed, or that only Newtonsoft tolerates: reported where the problem is.</summary>
public sealed class CatalogLoaderJsonTests
{
    private static string[] Diagnose(string json) => CatalogLoaderTests.Diagnose(json);

    [Theory]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\" \"display\": \"A\" } ] }", "1:31: invalid JSON: After parsing a value an unexpected character was encountered: \".")]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"A\" } { \"id\": \"b\" } ] }", "1:49: invalid JSON: After parsing a value an unexpected character was encountered: {.")]
    [InlineData("{ \"conditions\" [] }", "1:16: invalid JSON: Invalid character after parsing property name. Expected ':' but got: [.")]
    [InlineData("{ \"conditions\": [ } ", "1:19: invalid JSON: Unexpected character encountered while parsing value: }.")]
    [InlineData("{ \"conditions\": [ \"R50\" } }", "1:25: invalid JSON: JsonToken EndObject is not valid for closing JsonType Array.")]
    [InlineData("{ \"conditions\": tru }", "1:17: invalid JSON: Error parsing boolean value.")]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\\uZZZZ\" } ] }", "1:29: invalid JSON: Invalid Unicode escape sequence: \\uZZZZ.")]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": 029 }] } ] }", "1:98: invalid JSON: Input string '029' is not a valid number.")]
    [InlineData("{ \"conditions\": [] } x", "1:22: invalid JSON: Additional text encountered after finished reading JSON content: x.")]
    [InlineData("{ \"conditions\": [] }}", "1:21: invalid JSON: Additional text encountered after finished reading JSON content: }.")]
    [InlineData("{ \"conditions\": [ R50 ] }", "1:19: invalid JSON: Unexpected character encountered while parsing value: R.")]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\\q\" } ] }", "1:29: invalid JSON: Bad JSON escape sequence: \\q.")]
    public void Parse_SyntaxError_ReportsTheOffendingCharacter(string json, string expected) =>
        Assert.Equal([$"conditions.json:{expected}"], Diagnose(json));

    [Fact]
    public void Parse_MissingCommaOnANewLine_ReportsTheLineItIsOn()
    {
        string json = "{\r\n  \"conditions\": [\r\n    { \"id\": \"a\", \"display\": \"A\" }\r\n    { \"id\": \"b\", \"display\": \"B\" }\r\n  ]\r\n}";

        Assert.Equal(
            ["conditions.json:4:5: invalid JSON: After parsing a value an unexpected character was encountered: {."],
            Diagnose(json));
    }

    [Theory]
    [InlineData("{ \"conditions\": [", "1:18: unexpected end of file: '[' at line 1, column 17 is never closed")]
    [InlineData("{ \"conditions\": [\n  { \"id\": \"a\"\n", "3:1: unexpected end of file: '{' at line 2, column 3 is never closed")]
    [InlineData("", "1:1: the file contains no JSON value")]
    [InlineData("  \n  // nothing here\n", "1:1: the file contains no JSON value")]
    public void Parse_TruncatedOrEmpty_ReportsTheEnd(string json, string expected) =>
        Assert.Equal([$"conditions.json:{expected}"], Diagnose(json));

    [Fact]
    public void Parse_UnterminatedString_IsReported()
    {
        string diagnostic = Assert.Single(Diagnose("{ \"conditions\": [ { \"id\": \"a } ] }"));

        Assert.StartsWith("conditions.json:1:", diagnostic, StringComparison.Ordinal);
        Assert.Contains("invalid JSON: Unterminated string", diagnostic, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"conditions\": [], }", "1:19: trailing comma before '}'")]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"A\", \"icd10\": [\"R50\",\n] } ] }", "1:63: trailing comma before ']'")]
    [InlineData("{ 'conditions': [] }", "1:3: property name 'conditions' must be in double quotes")]
    [InlineData("{ conditions: [] }", "1:3: property name 'conditions' must be in double quotes")]
    [InlineData("{ \"conditions\": [ { \"id\": 'a', \"display\": \"A\" } ] }", "1:27: strings must be in double quotes")]
    [InlineData("{ \"conditions\": [], \"conditions\": [] }", "1:21: duplicate property 'conditions' (first at line 1, column 3)")]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"A\", \"icd10\": [\"R50\",, \"R51\"] } ] }", "1:64: missing value: two commas in a row or a comma after '['")]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"A\", \"icd10\": [, \"R51\"] } ] }", "1:58: missing value: two commas in a row or a comma after '['")]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": 027 }] } ] }", "1:98: number '027' must be written in decimal without leading zeros")]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": 0x1D }] } ] }", "1:98: number '0x1D' must be written in decimal without leading zeros")]
    public void Parse_JsonOnlyNewtonsoftTolerates_IsReported(string json, string expected) =>
        Assert.Equal([$"conditions.json:{expected}"], Diagnose(json));

    private const string NotText = "is not Unicode text: it holds a \\uD800-\\uDFFF escape without its other half (an unpaired UTF-16 surrogate)";

    // What no UTF-8 file can hold, or a double cannot: formatted, it would be written as U+FFFD or as Infinity.
    [Theory]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"A \\ud83d\" } ] }", "1:46: string " + NotText)]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"\\\"\\ude00 \\ud83d\\ude00\" } ] }", "1:46: string " + NotText)]
    [InlineData("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"A\", \"x\\udc00\": 1 } ] }", "1:50: property name " + NotText)]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": 1e400 }] } ] }", "1:98: number '1e400' is out of range: it must lie within ±1.7976931348623157e308, the range of a double")]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": -2E+308 }] } ] }", "1:98: number '-2E+308' is out of range: it must lie within ±1.7976931348623157e308, the range of a double")]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": Infinity }] } ] }", "1:98: 'Infinity' is not JSON: JSON numbers are finite and written in digits")]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": -Infinity }] } ] }", "1:98: '-Infinity' is not JSON: JSON numbers are finite and written in digits")]
    [InlineData("{ \"conditions\": [ { \"id\": \"p\", \"display\": \"P\", \"icd10\": [{ \"code\": \"P07.32\", \"gestationalWeeks\": NaN }] } ] }", "1:98: 'NaN' is not JSON: JSON numbers are finite and written in digits")]
    public void Parse_WhatNoRuleFileCanHold_IsReportedWhereItIsWritten(string json, string expected) =>
        Assert.Equal([$"conditions.json:{expected}"], Diagnose(json));

    [Fact]
    public void Parse_IntegerBeyondADouble_IsReported()
    {
        var integer = "1" + new string('0', 309);

        Assert.Equal(
            [$"conditions.json:1:98: number '{integer}' is out of range: it must lie within ±1.7976931348623157e308, the range of a double"],
            Diagnose($$"""{ "conditions": [ { "id": "p", "display": "P", "icd10": [{ "code": "P07.32", "gestationalWeeks": {{integer}} }] } ] }"""));
    }

    [Fact]
    public void Parse_SurrogatePair_EscapedOrNot_IsRead()
    {
        var result = CatalogLoader.Parse("{ \"conditions\": [ { \"id\": \"a\", \"display\": \"A \\ud83d\\ude00 \ud83d\ude00\", \"icd10\": [\"R50\"] } ] }", "conditions.json");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal("A \ud83d\ude00 \ud83d\ude00", result.Catalog!.Conditions[0].Display);
    }
}
