using SafetyCheck.Core.Json;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Tests.Json;

/// <summary>Positions inside a string value, counted in its decoded text and found in the source.</summary>
public class JsonSourceFileTests
{
    [Theory]
    [InlineData("""{ "e": "abcdef" }""", 0, 9)]
    [InlineData("""{ "e": "abcdef" }""", 3, 12)]
    [InlineData("""{ "e": "a\"b\"c" }""", 2, 12)] // after one escaped quote: one source character more
    [InlineData("""{ "e": "a\"b\"c" }""", 4, 15)]
    [InlineData("""{ "e": "\\x" }""", 1, 11)]
    [InlineData("""{ "e": "\u00B0C" }""", 1, 15)] // a \u escape is six source characters for one
    [InlineData("""{ "e": "ab" }""", 2, 11)] // past the end: the closing quote
    [InlineData("""{ "e": "ab" }""", 9, 11)]
    public void PositionInString_AfterEscapes_IsTheSourceColumnOfThatCharacter(string json, int index, int column)
    {
        var file = JsonSourceFile.Parse("f.json", json, new List<Diagnostic>());

        var (line, actual) = file.PositionInString(file.Root!["e"]!, index);

        Assert.Equal(1, line);
        Assert.Equal(column, actual);
    }

    [Fact]
    public void PositionInString_OnALaterLine_KeepsTheLine()
    {
        var file = JsonSourceFile.Parse("f.json", "{\n  \"a\": 1,\n    \"e\": \"x \\\"y\\\" (\"\n}", new List<Diagnostic>());

        Assert.Equal((3, 19), file.PositionInString(file.Root!["e"]!, 6));
    }
}
