using SafetyCheck.Core.Formatting;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Formatting;

/// <summary>The canonical layout of <c>safetycheck fmt</c>: schema member order, one member per line, short arrays on one line.</summary>
public class RuleFileFormatterTests
{
    private static string Format(string path, string text)
    {
        var result = RuleFileFormatter.Format(path, text);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Text!;
    }

    [Fact]
    public void Format_RuleFile_OrdersMembersAsTheSchemaDocumentsThem()
    {
        const string scrambled = """
            {"Rules": [{"Properties": {"evidence": {"citations": [{"url": "", "year": 2020, "title": "T"}], "grade": "D"},
              "detail": "D.", "summary": "S.", "severity": "CRITICAL", "outcome": "NOT_SUITABLE", "conditions": ["fever"]},
              "Expression": "child.Has(\"fever\")", "RuleName": "fever"}], "WorkflowName": "w", "$schema": "schemas/rule.schema.json"}
            """;

        var text = Format("rules.json", scrambled);

        Assert.Equal("""
            {
              "$schema": "schemas/rule.schema.json",
              "WorkflowName": "w",
              "Rules": [
                {
                  "RuleName": "fever",
                  "Expression": "child.Has(\"fever\")",
                  "Properties": {
                    "outcome": "NOT_SUITABLE",
                    "severity": "CRITICAL",
                    "summary": "S.",
                    "detail": "D.",
                    "conditions": ["fever"],
                    "evidence": {
                      "grade": "D",
                      "citations": [
                        {
                          "title": "T",
                          "year": 2020,
                          "url": ""
                        }
                      ]
                    }
                  }
                }
              ]
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void Format_MemberTheSchemaDoesNotName_FollowsTheKnownOnesInItsOwnOrder()
    {
        var text = Format("ruleset.json", """{ "zeta": 1, "version": "1", "alpha": 2, "name": "n" }""");

        Assert.Equal("{\n  \"name\": \"n\",\n  \"version\": \"1\",\n  \"zeta\": 1,\n  \"alpha\": 2\n}\n", text);
    }

    [Fact]
    public void Format_ParametersMap_KeepsItsOrder_AndNumbersKeepTheirType()
    {
        var text = Format("ruleset.json", """
            { "parameters": { "b": { "description": "x", "unit": "°C", "value": 38.0 }, "a": { "unit": "days", "value": 2, "description": "y" } } }
            """);

        Assert.Contains("\"b\": {\n      \"value\": 38.0,\n      \"unit\": \"°C\",", text, StringComparison.Ordinal);
        Assert.Contains("\"a\": {\n      \"value\": 2,\n", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("\"b\"", StringComparison.Ordinal) < text.IndexOf("\"a\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_LongArrayOfStrings_IsFilledWithinTheWidth()
    {
        var codes = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"{100000000 + i}\""));
        var text = Format("conditions.json", $$"""{ "conditions": [ { "id": "a", "display": "A", "snomed": [{{codes}}] } ] }""");

        var lines = text.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= RuleFileFormatter.LineWidth, l));
        Assert.Contains("      \"snomed\": [", lines);
        Assert.True(lines.Count(l => l.StartsWith("        \"1000000", StringComparison.Ordinal)) >= 4);
    }

    [Fact]
    public void Format_CatalogPatternRecords_AreOneLineEachAndFilled()
    {
        var text = Format("conditions.json", """
            { "conditions": [ { "icd10": [ {"seventh": "AD", "code": "S01"}, "L89" ], "display": "Wound", "id": "wound" } ] }
            """);

        Assert.Contains("\"icd10\": [\n        { \"code\": \"S01\", \"seventh\": \"AD\" }, \"L89\"\n      ]", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("\"id\"", StringComparison.Ordinal) < text.IndexOf("\"display\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_ExpansionWrittenByTheWriter_IsAlreadyCanonical()
    {
        var written = TerminologyFixture.Expansion("386661006", "Fever", ("248425001", "High fever"), ("50177009", "Fever with chills"));

        Assert.Equal(written, Format("terminology/snomed/386661006.json", written));
    }

    [Fact]
    public void Format_StringsKeepTheFewestEscapes()
    {
        var text = Format("rules.json", """{ "WorkflowName": "a\u00b0b \"q\" \\ \/ é" }""");

        Assert.Contains("\"WorkflowName\": \"a°b \\\"q\\\" \\\\ / é\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_FormattedText_IsItsOwnFormat()
    {
        var once = Format("benefits.cases.json", """{"cases":[{"expect":{"rules":["x"],"suitability":"SUITABLE"},"request":{"session":{"areas":["BACK"],"setting":"HOME"},"patient":{"birthDate":"2021-01-01"}},"asOf":"2026-03-02T10:00:00Z","name":"n"}]}""");

        Assert.Equal(once, Format("benefits.cases.json", once));
        Assert.Contains("\"session\": {\n          \"setting\": \"HOME\",\n          \"areas\": [\"BACK\"]", once, StringComparison.Ordinal);
        Assert.EndsWith("}\n", once, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_Comment_IsRefusedAtItsPosition_NotDropped()
    {
        var result = RuleFileFormatter.Format("rules.json", "{\n  \"WorkflowName\": \"https://x\", // why\n  \"Rules\": []\n}");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((2, 32), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("comments", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_MemberGivenTwice_IsRefused()
    {
        var result = RuleFileFormatter.Format("rules.json", """{ "WorkflowName": "a", "WorkflowName": "b" }""");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("duplicate property 'WorkflowName'", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_UnpairedSurrogateEscape_IsRefusedAtTheEscape_NotWrittenAsAReplacementCharacter()
    {
        const string text = "{\n  \"WorkflowName\": \"w\",\n  \"Rules\": [{ \"RuleName\": \"r\", \"Properties\": { \"summary\": \"Calm \\ud83d.\" } }]\n}\n";

        var result = RuleFileFormatter.Format("benefits.json", text);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((3, 65), (diagnostic.Line, diagnostic.Column));
        Assert.StartsWith("string is not Unicode text", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_SurrogatePairEscape_IsWrittenAsTheCharacterItStandsFor()
    {
        var text = Format("benefits.json", "{\"WorkflowName\": \"w\", \"Rules\": [{\"RuleName\": \"r\", \"Properties\": {\"summary\": \"Calm \\ud83d\\ude00.\"}}]}");

        Assert.Contains("\"summary\": \"Calm \U0001F600.\"", text, StringComparison.Ordinal);
        Assert.Equal(text, Format("benefits.json", text));
    }

    [Theory]
    [InlineData("1e400", "number '1e400' is out of range")]
    [InlineData("-1e400", "number '-1e400' is out of range")]
    [InlineData("Infinity", "'Infinity' is not JSON")]
    [InlineData("NaN", "'NaN' is not JSON")]
    public void Format_NumberNoDoubleHolds_IsRefusedAtIt_NotWrittenAsInfinity(string number, string expected)
    {
        var text = Fixtures.Manifest(parameters: $"\"big\": {{ \"value\": {number}, \"unit\": \"x\", \"description\": \"d\" }}");

        var result = RuleFileFormatter.Format("ruleset.json", text);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        var line = text.Split('\n')[diagnostic.Line - 1];
        Assert.StartsWith(number, line[(diagnostic.Column - 1)..], StringComparison.Ordinal);
        Assert.StartsWith(expected, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_LargestDouble_IsKept()
    {
        var text = Format("ruleset.json", Fixtures.Manifest(parameters: "\"big\": { \"value\": 1.7976931348623157e308, \"unit\": \"x\", \"description\": \"d\" }"));

        Assert.Contains("\"value\": 1.7976931348623157E+308,", text, StringComparison.Ordinal);
        Assert.Equal(text, Format("ruleset.json", text));
    }

    [Theory]
    [InlineData("README.md", false)]
    [InlineData("schemas/rule.schema.json", false)]
    [InlineData("terminology/icd10cm-fy2026.txt", false)]
    [InlineData("benefits.json", true)]
    [InlineData("benefits.cases.json", true)]
    [InlineData("terminology/snomed/1.json", true)]
    public void Formats_TheJsonFilesOfARuleSetOnly(string path, bool expected)
    {
        Assert.Equal(expected, RuleFileFormatter.Formats(path));
    }
}
