using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Tests.Catalog;

public sealed class CatalogLoaderTests
{
    private const string ConditionProperties = "id, display, benign, icd10, icd10Exclude, snomed, overrides";

    /// <summary>The diagnostics as <c>file:line:col: message</c>; asserts that no catalog came back and that every one is an error.</summary>
    internal static string[] Diagnose(string json)
    {
        CatalogLoadResult result = CatalogLoader.Parse(json, "conditions.json");
        Assert.Null(result.Catalog);
        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.True(d.IsError));
        return [.. result.Diagnostics.Select(d => $"{d.File}:{d.Line}:{d.Column}: {d.Message}")];
    }

    [Fact]
    public void Parse_ValidCatalog_ReturnsCatalogAndNoDiagnostics()
    {
        CatalogLoadResult result = CatalogLoader.Parse(CatalogFixture.Json, "conditions.json");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(13, result.Catalog.Conditions.Count);
    }

    [Fact]
    public void Parse_EmptyConditionList_ReturnsEmptyCatalog()
    {
        CatalogLoadResult result = CatalogLoader.Parse("""{ "conditions": [] }""", "conditions.json");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Catalog.Conditions);
        Assert.Null(result.Catalog.Resolve(CodeSystems.Icd10Cm, "R50"));
    }

    [Fact]
    public void Parse_UnknownProperty_ReportsItsNameAndTheExpectedOnes()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "fever", "dispaly": "Fever" }
              ]
            }
            """);

        Assert.Equal(
            [
                "conditions.json:3:5: condition 'fever' is missing required property 'display'",
                $"conditions.json:3:22: unknown property 'dispaly'; expected one of: {ConditionProperties}",
            ],
            diagnostics);
    }

    [Fact]
    public void Parse_MissingId_ReportsAtTheConditionObject()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "fever", "display": "Fever" },
                { "display": "Fever", "icd10": ["R50"] }
              ]
            }
            """);

        Assert.Equal(["conditions.json:4:5: condition #2 is missing required property 'id'"], diagnostics);
    }

    [Fact]
    public void Parse_DuplicateId_ReportsTheSecondWithTheFirstPosition()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "fever", "display": "Fever" },
                { "id": "fever", "display": "Fever again" }
              ]
            }
            """);

        Assert.Equal(["conditions.json:4:13: duplicate condition id 'fever' (first at line 3, column 13)"], diagnostics);
    }

    [Theory]
    [InlineData("\"R5\"", "'R5': an ICD-10-CM code has 3 to 7 characters, not counting the dot")]
    [InlineData("\"R50.9X123\"", "'R50.9X123': an ICD-10-CM code has 3 to 7 characters, not counting the dot")]
    [InlineData("\"R5.09\"", "'R5.09': a dot may only follow the 3-character category, e.g. 'R50.9'")]
    [InlineData("\"R50.9.1\"", "'R50.9.1': a dot may only follow the 3-character category, e.g. 'R50.9'")]
    [InlineData("\"R50.\"", "'R50.': nothing follows the dot; write the category without it, e.g. 'R50'")]
    [InlineData("\"R50_1\"", "'R50_1': character '_' is not allowed; use letters, digits and '?'")]
    [InlineData("\" R50\"", "' R50': character ' ' is not allowed; use letters, digits and '?'")]
    [InlineData("\"150\"", "'150': an ICD-10-CM code starts with a letter")]
    [InlineData("\"?50\"", "'?50': an ICD-10-CM code starts with a letter")]
    [InlineData("\"\"", "'': the code is empty")]
    [InlineData("\"A00-B8\"", "'A00-B8': range end 'B8': an ICD-10-CM code has 3 to 7 characters, not counting the dot")]
    [InlineData("\"A00-B89.1\"", "'A00-B89.1': range start 'A00' and end 'B89.1' must have the same number of characters")]
    [InlineData("\"B89-A00\"", "'B89-A00': range start 'B89' comes after its end 'A00'")]
    [InlineData("\"A00-a00\"", "'A00-a00': range start and end are the same code; write the code alone")]
    [InlineData("\"A0?-B89\"", "'A0?-B89': range start 'A0?': '?' is not allowed in a range")]
    [InlineData("\"A00-B89-C00\"", "'A00-B89-C00': a range has exactly one '-' between its start and end")]
    [InlineData("\"A00\u2013\"", "'A00\u2013': range end '': the code is empty")]
    [InlineData("\"A00-B8_\"", "'A00-B8_': range end 'B8_': character '_' is not allowed; use letters, digits and '?'")]
    public void Parse_BadIcd10Pattern_ReportsWhyAtThePattern(string pattern, string reason)
    {
        string[] diagnostics = Diagnose($$"""{ "conditions": [ { "id": "x", "display": "X", "icd10": [{{pattern}}] } ] }""");

        Assert.Equal([$"conditions.json:1:58: invalid ICD-10-CM pattern {reason}"], diagnostics);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[\"R50\"]")]
    public void Parse_PatternOfWrongType_ReportsAtThePattern(string pattern)
    {
        string[] diagnostics = Diagnose($$"""{ "conditions": [ { "id": "x", "display": "X", "icd10": [{{pattern}}] } ] }""");

        Assert.Equal(
            ["conditions.json:1:58: an ICD-10-CM pattern must be a string such as \"R50\" or an object { \"code\": ... }"],
            diagnostics);
    }

    [Fact]
    public void Parse_BadPatternObjects_ReportEachAtTheOffendingValue()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "x", "display": "X", "icd10": [
                  { "code": "S42.001A", "seventh": "A" },
                  { "code": "S42", "seventh": "A1" },
                  { "code": "P07-P08", "gestationalWeeks": 29 },
                  { "code": "P07.32", "gestationalWeeks": 45 },
                  { "code": "P07.33", "gestationalWeeks": 30.5 },
                  { "seventh": "S" },
                  { "code": "P07.34", "weeks": 31 },
                  { "code": "S52", "seventh": "ABA" },
                  { "code": "S62", "seventh": "" },
                  { "code": 62 },
                  { "code": "G40.??????", "seventh": "A" }
                ] }
              ]
            }
            """);

        Assert.Equal(
            [
                "conditions.json:4:40: 'seventh' cannot apply to 'S42.001A', which already fixes the 7th character",
                "conditions.json:5:35: 'seventh' may contain only letters A-Z, not '1'",
                "conditions.json:6:48: 'gestationalWeeks' needs a single code, not the range or wildcard 'P07-P08'",
                "conditions.json:7:47: 'gestationalWeeks' must be a whole number of completed weeks from 22 to 44",
                "conditions.json:8:47: 'gestationalWeeks' must be a whole number of completed weeks from 22 to 44",
                "conditions.json:9:7: missing required property 'code'",
                "conditions.json:10:27: unknown property 'weeks'; expected one of: code, seventh, gestationalWeeks",
                "conditions.json:11:35: 'seventh' lists 'A' twice",
                "conditions.json:12:35: 'seventh' must be a non-empty string of letters, e.g. \"ABDS\"",
                "conditions.json:13:17: 'code' must be a string such as \"S42\" or \"S00-T88\"",
                "conditions.json:14:17: invalid ICD-10-CM pattern 'G40.??????': an ICD-10-CM code has 3 to 7 characters, not counting the dot",
            ],
            diagnostics);
    }

    [Fact]
    public void Parse_SeventhWithWildcardInSeventhPosition_IsAccepted()
    {
        ConditionCatalog catalog = CatalogFixture.Load("""
            { "conditions": [ { "id": "x", "display": "X", "icd10": [{ "code": "S42.00?", "seventh": "ad" }] } ] }
            """);

        Assert.Equal("AD", catalog.Conditions[0].Icd10[0].Seventh);
        Assert.Equal("x", catalog.Resolve(CodeSystems.Icd10Cm, "S42.001D")?.ConditionId);
        Assert.Null(catalog.Resolve(CodeSystems.Icd10Cm, "S42.001S"));
    }

    [Fact]
    public void Parse_SamePatternInTwoConditions_ReportsTheRepeat()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "fever", "display": "Fever", "icd10": ["R50.9"] },
                { "id": "pyrexia", "display": "Pyrexia", "icd10": ["r509", "R50.9", { "code": "R50.9", "seventh": "A" }] },
                { "id": "sequela", "display": "Sequela", "icd10": [{ "code": "S00–T88", "seventh": "S" }, { "code": "S00-T88", "seventh": "s" }] }
              ]
            }
            """);

        Assert.Equal(
            [
                "conditions.json:4:56: ICD-10-CM pattern 'r509' repeats 'R50.9' of condition 'fever' at line 3, column 52; a code maps to one condition",
                "conditions.json:4:64: ICD-10-CM pattern 'R50.9' repeats 'R50.9' of condition 'fever' at line 3, column 52; a code maps to one condition",
                "conditions.json:5:105: ICD-10-CM pattern 'S00-T88' repeats 'S00–T88' (first at line 5, column 66)",
            ],
            diagnostics);
    }

    [Fact]
    public void Parse_DuplicateOrBadSnomedIds_ReportEach()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "fever", "display": "Fever", "snomed": ["386661006"] },
                { "id": "pyrexia", "display": "Pyrexia", "snomed": ["386661006", "12345", 386661006, "386661006x"] },
                { "id": "other", "display": "Other", "snomed": ["0386661006", "1234567890123456789", "84757009", "84757009", "386661007", "386661010"] }
              ]
            }
            """);

        Assert.Equal(
            [
                "conditions.json:4:57: SNOMED CT id '386661006' is already mapped to condition 'fever' at line 3, column 53; a code maps to one condition",
                "conditions.json:4:70: invalid SNOMED CT id '12345': a SNOMED CT id has 6 to 18 digits and does not start with 0",
                "conditions.json:4:79: a SNOMED CT id must be a string of digits, e.g. \"386661006\" (numbers this long lose precision)",
                "conditions.json:4:90: invalid SNOMED CT id '386661006x': a SNOMED CT id has digits only",
                "conditions.json:5:53: invalid SNOMED CT id '0386661006': a SNOMED CT id has 6 to 18 digits and does not start with 0",
                "conditions.json:5:67: invalid SNOMED CT id '1234567890123456789': a SNOMED CT id has 6 to 18 digits and does not start with 0",
                "conditions.json:5:102: SNOMED CT id '84757009' is listed twice (first at line 5, column 90)",
                "conditions.json:5:114: invalid SNOMED CT id '386661007': its check digit is wrong (Verhoeff)",
                "conditions.json:5:127: invalid SNOMED CT id '386661010': its partition 01 makes it a description id, not a concept id",
            ],
            diagnostics);
    }

    [Fact]
    public void Parse_BadExclusions_ReportEach()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "acute-infection", "display": "Acute infection", "icd10": ["A00-B89", "P35-P39"],
                  "icd10Exclude": ["P35.1", "P35.1", "A00-B89", "C50", "J00-J06", 7] },
                { "id": "odd", "display": "Odd", "icd10Exclude": ["P35.1"] }
              ]
            }
            """);

        Assert.Equal(
            [
                "conditions.json:4:33: excluded pattern 'P35.1' is listed twice (first at line 4, column 24)",
                "conditions.json:4:42: pattern 'A00-B89' is both included and excluded in condition 'acute-infection'",
                "conditions.json:4:53: excluded pattern 'C50' excludes nothing: no 'icd10' pattern of condition 'acute-infection' covers it",
                "conditions.json:4:60: excluded pattern 'J00-J06' excludes nothing: no 'icd10' pattern of condition 'acute-infection' covers it",
                "conditions.json:4:71: an 'icd10Exclude' entry must be a code or range string such as \"P35.1\"",
                "conditions.json:5:38: 'icd10Exclude' needs 'icd10' patterns to exclude from",
            ],
            diagnostics);
    }

    [Theory]
    [InlineData("\"R50\"", "\"R50.9\"")] // code inside a code
    [InlineData("\"R50.9\"", "\"R50\"")] // a wider exclusion still excludes part of it
    [InlineData("\"A00-B89\"", "\"B18\"")] // code inside a range
    [InlineData("\"A00-B89\"", "\"B89.1\"")] // at the end of a range
    [InlineData("\"S11.0-S11.2\"", "\"S11\"")] // a category covering the range
    [InlineData("\"A00-B89\"", "\"B15-B19\"")] // range inside a range
    [InlineData("\"B15.0-B19.9\"", "\"A00-B15\"")] // ranges of different lengths that touch
    [InlineData("\"G40\"", "\"G40.?01\"")]
    [InlineData("{ \"code\": \"S00-T88\", \"seventh\": \"S\" }", "\"T20-T32\"")]
    public void Parse_ExclusionOverlappingAnInclusion_IsAccepted(string include, string exclude)
    {
        CatalogLoadResult result = CatalogLoader.Parse(
            $$"""{ "conditions": [ { "id": "x", "display": "X", "icd10": [{{include}}], "icd10Exclude": [{{exclude}}] } ] }""",
            "conditions.json");

        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("\"R50\"", "\"R51\"")]
    [InlineData("\"A00-B89\"", "\"B90\"")]
    [InlineData("\"A00-B89\"", "\"C00-C96\"")]
    [InlineData("\"S11.0-S11.2\"", "\"S11.3\"")]
    [InlineData("\"B15.0-B19.9\"", "\"A00-B14\"")]
    [InlineData("\"G40.?01\"", "\"G40.902\"")]
    public void Parse_ExclusionOutsideEveryInclusion_IsReported(string include, string exclude)
    {
        string[] diagnostics = Diagnose(
            $$"""{ "conditions": [ { "id": "x", "display": "X", "icd10": [{{include}}], "icd10Exclude": [{{exclude}}] } ] }""");

        string diagnostic = Assert.Single(diagnostics);
        Assert.Contains("excludes nothing", diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneInFileOrder()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "Fever", "display": "", "benign": "yes", "icd10": "R50", "snomed": [] },
                { "id": 7, "display": null },
                { "id": "a--b", "display": "X", "icd10": [] },
                "fever",
                { "id": "-a", "display": "X", "id": "b" }
              ],
              "version": 2
            }
            """);

        const string kebab = "must be lower-case kebab-case: a-z and 0-9 in words joined by single hyphens, e.g. 'acute-infection'";
        Assert.Equal(
            [
                $"conditions.json:3:13: id 'Fever' {kebab}",
                "conditions.json:3:33: 'display' must be a non-empty string",
                "conditions.json:3:47: 'benign' must be true or false",
                "conditions.json:3:63: 'icd10' must be an array of ICD-10-CM patterns",
                "conditions.json:3:80: 'snomed' is empty; list at least one or remove the property",
                "conditions.json:4:13: 'id' must be a string",
                "conditions.json:4:27: 'display' must be a non-empty string",
                $"conditions.json:5:13: id 'a--b' {kebab}",
                "conditions.json:5:46: 'icd10' is empty; list at least one or remove the property",
                "conditions.json:6:5: expected a condition object { \"id\": ..., \"display\": ... }",
                $"conditions.json:7:13: id '-a' {kebab}",
                "conditions.json:7:35: duplicate property 'id' (first at line 7, column 7)",
                "conditions.json:9:3: unknown property 'version'; expected one of: $schema, conditions",
            ],
            diagnostics);
    }

    [Theory]
    [InlineData("[]", "1:1: expected an object with a 'conditions' array at the top level")]
    [InlineData("\"conditions\"", "1:1: expected an object with a 'conditions' array at the top level")]
    [InlineData("{}", "1:1: missing required property 'conditions'")]
    [InlineData("  { \"Conditions\": [] }", "1:3: missing required property 'conditions'|1:5: unknown property 'Conditions'; expected one of: $schema, conditions")]
    [InlineData("{ \"conditions\": {} }", "1:17: 'conditions' must be an array of condition objects")]
    [InlineData("{ \"conditions\": null }", "1:17: 'conditions' must be an array of condition objects")]
    public void Parse_BadTopLevel_IsReported(string json, string expected) =>
        Assert.Equal(expected.Split('|').Select(e => $"conditions.json:{e}"), Diagnose(json));

    [Fact]
    public void Parse_WindowsLineEndings_ReportTheSamePositions()
    {
        string json = "{\r\n  \"conditions\": [\r\n    { \"id\": \"fever\", \"dispaly\": \"Fever\" }\r\n  ]\r\n}\r\n";

        Assert.Equal(
            [
                "conditions.json:3:5: condition 'fever' is missing required property 'display'",
                $"conditions.json:3:22: unknown property 'dispaly'; expected one of: {ConditionProperties}",
            ],
            Diagnose(json));
    }

    [Fact]
    public void Parse_TabsAndComments_CountOneColumnPerCharacter()
    {
        string json = "{\n\t\"conditions\": [ /* first */ {\t\"id\": \"a\", /* note */ \"display\": \"A\", \"x\": 1 } ]\n}";

        Assert.Equal(["conditions.json:2:70: unknown property 'x'; expected one of: " + ConditionProperties], Diagnose(json));
    }

    [Fact]
    public void Load_File_ReadsAndReportsWithTheDisplayName()
    {
        string directory = Directory.CreateTempSubdirectory("catalog-").FullName;
        try
        {
            string path = Path.Combine(directory, "conditions.json");
            File.WriteAllText(path, CatalogFixture.Json);
            Assert.True(CatalogLoader.Load(path, "conditions.json").Succeeded);

            File.WriteAllText(path, "{ \"conditions\": [ { \"id\": \"x\" } ] }");
            CatalogLoadResult result = CatalogLoader.Load(path, "rules/conditions.json");

            Assert.Equal(["rules/conditions.json:1:19: error: condition 'x' is missing required property 'display'"], result.Diagnostics.Select(d => d.ToString()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingFile_ReportsAWholeFileDiagnostic()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("catalog-");
        directory.Delete();

        CatalogLoadResult result = CatalogLoader.Load(Path.Combine(directory.FullName, "conditions.json"), "conditions.json");

        Assert.Null(result.Catalog);
        Core.Rules.Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("conditions.json", 0, 0), (diagnostic.File, diagnostic.Line, diagnostic.Column));
        Assert.StartsWith("cannot read the condition catalog: ", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadOverrides_ReportEach()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "a", "display": "A", "overrides": ["a", "b", "missing", "b"] },
                { "id": "b", "display": "B", "overrides": ["a"] },
                { "id": "c", "display": "C", "overrides": [1] }
              ]
            }
            """);

        Assert.Equal(
            [
                "conditions.json:3:48: condition 'a' cannot override itself",
                "conditions.json:3:53: 'a' and 'b' override each other; decide which one takes the codes they share",
                "conditions.json:3:58: 'overrides' names 'missing', which is not a condition id of the catalog",
                "conditions.json:3:69: 'b' is listed twice in 'overrides'",
                "conditions.json:4:48: 'b' and 'a' override each other; decide which one takes the codes they share",
                "conditions.json:5:48: an 'overrides' entry is the id of another condition, e.g. \"asthma\", or { \"condition\": ..., \"snomed\": [...] } for SNOMED CT ids this row names exactly",
            ],
            diagnostics);
    }

    [Fact]
    public void Parse_SnomedOverrideEntry_IsReadWithThePositionOfEachId()
    {
        var catalog = CatalogFixture.Load("""
            {
              "conditions": [
                { "id": "fracture", "display": "Fracture", "snomed": ["125605004"] },
                { "id": "torticollis", "display": "Torticollis", "overrides": [{ "condition": "fracture", "snomed": ["58580000"] }],
                  "snomed": ["70070008", "58580000"] }
              ]
            }
            """);

        Assert.True(catalog.TryGet("torticollis", out var torticollis));
        Assert.Empty(torticollis.Overrides);
        var ids = Assert.Single(torticollis.SnomedOverrides);
        Assert.Equal("fracture", ids.Key);
        Assert.Equal((4, 106), ids.Value["58580000"]);
        Assert.Equal((5, 30), torticollis.SnomedPositions["58580000"]);
    }

    [Fact]
    public void Parse_SnomedOverrideEntryNamingARowThatOverridesThisOne_Loads()
    {
        // A plain entry both ways is refused (who wins their ties?); the narrow entry decides no tie, so it may.
        var catalog = CatalogFixture.Load("""
            {
              "conditions": [
                { "id": "acute-infection", "display": "Acute infection", "overrides": ["conjunctivitis"], "snomed": ["40733004"] },
                { "id": "conjunctivitis", "display": "Conjunctivitis", "overrides": [{ "condition": "acute-infection", "snomed": ["45261009"] }],
                  "snomed": ["9826008", "45261009"] }
              ]
            }
            """);

        Assert.True(catalog.TryGet("conjunctivitis", out var conjunctivitis));
        Assert.Equal(["acute-infection"], conjunctivitis.SnomedOverrides.Keys);
    }

    [Fact]
    public void Parse_BadSnomedOverrideEntries_ReportEach()
    {
        string[] diagnostics = Diagnose("""
            {
              "conditions": [
                { "id": "a", "display": "A", "snomed": ["125605004"] },
                { "id": "b", "display": "B", "snomed": ["58580000"], "overrides": [
                  { "condition": "a", "snomed": ["70070008"] },
                  { "condition": "a", "snomed": ["58580000"] },
                  { "condition": "b", "snomed": ["58580000"] },
                  { "condition": "missing", "snomed": ["58580000", "58580000"] },
                  { "snomed": ["58580000"], "note": "x" },
                  { "condition": 1, "snomed": [58580000] } ] },
                { "id": "c", "display": "C", "snomed": ["9826008"], "overrides": ["a", { "condition": "a", "snomed": ["9826008"] }] }
              ]
            }
            """);

        Assert.Equal(
            [
                "conditions.json:5:38: condition 'b' does not name SNOMED CT '70070008' in its 'snomed' list: the ids of an 'overrides' entry { \"condition\": \"a\", \"snomed\": [...] } are ids this row names exactly that the expansions of 'a' list too",
                "conditions.json:6:22: 'a' is listed twice in 'overrides'",
                "conditions.json:7:22: condition 'b' cannot override itself",
                "conditions.json:8:56: SNOMED CT id '58580000' is listed twice in this 'overrides' entry",
                "conditions.json:9:7: missing required property 'condition' (the row whose expansions list the ids)",
                "conditions.json:9:33: unknown property 'note'; expected one of: condition, snomed",
                "conditions.json:10:22: 'condition' is the id of another condition, e.g. \"acute-infection\"",
                "conditions.json:10:36: a SNOMED CT id must be a string of digits, e.g. \"45261009\"",
                "conditions.json:11:91: 'a' is listed twice in 'overrides'",
            ],
            diagnostics);
    }
}
