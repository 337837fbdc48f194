using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Terminology;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Terminology;

public class SnomedExpansionReaderTests
{
    private const string File = "terminology/snomed/128188000.json";

    private static string[] Diagnose(string text, string file = File)
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Null(SnomedExpansionReader.Read(file, text, diagnostics));
        return [.. diagnostics.Select(d => d.ToString())];
    }

    [Fact]
    public void Read_WrittenFile_RoundTripsEveryField()
    {
        var source = TerminologyFixture.Source;
        var written = new SnomedExpansion(File, "128188000", "Cerebral palsy", "selected for a test", [source],
        [
            new SnomedDescendant("230773005", "Spastic cerebral palsy", "test"),
            new SnomedDescendant("43486001", "Hemiplegic \"cerebral\" palsy", "test"),
        ]);
        var text = SnomedExpansionWriter.Write(written);
        var diagnostics = new List<Diagnostic>();

        var read = SnomedExpansionReader.Read(File, text, diagnostics);

        Assert.Empty(diagnostics);
        Assert.NotNull(read);
        Assert.Equal(("128188000", "Cerebral palsy", "selected for a test"), (read.Concept, read.Display, read.Note));
        Assert.Equal(source, Assert.Single(read.Sources));
        Assert.Equal(["43486001", "230773005"], read.Descendants.Select(d => d.Code)); // sorted by display
        Assert.Equal("Hemiplegic \"cerebral\" palsy", read.Descendants[0].Display);
        Assert.Equal((3, 14), (read.Line, read.Column));
        Assert.All(read.Descendants, d => Assert.True(d.Line > 0 && d.Column > 0));
        Assert.Equal(text, SnomedExpansionWriter.Write(read));
    }

    [Fact]
    public void Read_MalformedJson_IsADiagnosticAtItsPosition()
    {
        Assert.Equal(["terminology/snomed/128188000.json:3:1: error: unexpected end of file: '{' at line 1, column 1 is never closed"], Diagnose("{\n  \"concept\": \"128188000\",\n"));
    }

    [Fact]
    public void Read_EveryProblem_IsReportedAtOnce()
    {
        var diagnostics = Diagnose("""
            {
              "concept": "128188000",
              "display": "Cerebral palsy",
              "sauces": [],
              "sources": [
                { "id": "a", "title": "A", "version": "v1", "date": "2026-13-01" },
                { "id": "b", "title": "B", "version": "v1", "date": "2026-01-01", "url": "ftp://x" },
                { "id": "b", "title": "B again", "version": "v1", "date": "2026-01-01" }
              ],
              "descendants": [
                { "code": "230773006", "display": "Bad check digit", "source": "b" },
                { "code": "128188000", "display": "Itself", "source": "b" },
                { "code": "43486001", "display": "Hemiplegic cerebral palsy", "source": "b" },
                { "code": "43486001", "display": "Twice", "source": "b" },
                { "code": "48721008", "display": "Unknown source", "source": "c" },
                { "code": "48721008" }
              ]
            }
            """);

        Assert.Equal<string>(
            [
                "terminology/snomed/128188000.json:4:3: error: unknown property 'sauces' in the expansion; did you mean 'sources'? (allowed: $schema, concept, display, note, sources, descendants)",
                "terminology/snomed/128188000.json:6:57: error: 'date' must be a date written YYYY-MM-DD, not \"2026-13-01\"",
                "terminology/snomed/128188000.json:7:78: error: 'url' must be an absolute http or https address, not \"ftp://x\"",
                "terminology/snomed/128188000.json:8:13: error: source id 'b' is used twice",
                "terminology/snomed/128188000.json:11:15: error: '230773006' is not a SNOMED CT concept id: its check digit is wrong (Verhoeff)",
                "terminology/snomed/128188000.json:12:15: error: 128188000 is the expanded concept itself; list only its descendants",
                "terminology/snomed/128188000.json:14:15: error: descendant 43486001 is listed twice (first at line 13)",
                "terminology/snomed/128188000.json:15:66: error: source 'c' is not one of the file's sources (b)",
                "terminology/snomed/128188000.json:16:5: error: a descendant is missing required property 'display'",
                "terminology/snomed/128188000.json:16:5: error: a descendant is missing required property 'source'",
                "terminology/snomed/128188000.json:16:15: error: descendant 48721008 is listed twice (first at line 15)",
            ],
            diagnostics);
    }

    [Fact]
    public void Read_ConceptNotMatchingTheFileName_IsRejected()
    {
        var text = TerminologyFixture.Expansion("128188000", "Cerebral palsy");

        Assert.Equal(
            ["terminology/snomed/195967001.json:3:14: error: the expansion of 128188000 belongs in a file named 128188000.json"],
            Diagnose(text, "terminology/snomed/195967001.json"));
    }

    [Fact]
    public void Read_MissingSourcesAndDescendants_AreRequired()
    {
        var diagnostics = Diagnose("""{ "concept": "128188000", "display": "Cerebral palsy" }""");

        Assert.Contains("terminology/snomed/128188000.json:1:1: error: the expansion is missing required property 'sources' (where its codes came from)", diagnostics);
        Assert.Contains("terminology/snomed/128188000.json:1:1: error: the expansion is missing required property 'descendants' (an empty list when the concept has no subtypes)", diagnostics);
    }

    [Theory]
    [InlineData("[]", "1:1: error: an expansion file is an object with concept, display, sources and descendants")]
    [InlineData("""{ "concept": "128188000", "display": "Cerebral palsy", "sources": [], "descendants": [] }""", "1:67: error: 'sources' is empty: name at least the source the descendants came from")]
    [InlineData("""{ "concept": "128188000", "display": "Cerebral palsy", "sources": ["ips"], "descendants": [] }""", "1:68: error: each source is an object with id, title, version and date")]
    [InlineData("""{ "concept": "128188000", "display": "Cerebral palsy", "sources": [{ "id": "a", "title": "A", "version": "v1", "date": "2026-01-01" }], "descendants": ["230773005"] }""", "1:153: error: each descendant is an object with code, display and source")]
    public void Read_WrongShape_IsOneDiagnosticAtIt(string text, string expected)
    {
        Assert.Equal(["terminology/snomed/128188000.json:" + expected], Diagnose(text));
    }

    [Fact]
    public void Read_NotAConceptId_IsRejected()
    {
        var text = TerminologyFixture.Expansion("128188000", "Cerebral palsy").Replace("\"128188000\"", "\"128188001\"", StringComparison.Ordinal);

        Assert.Equal(
            ["terminology/snomed/128188000.json:3:14: error: '128188001' is not a SNOMED CT concept id: its check digit is wrong (Verhoeff)"],
            Diagnose(text));
    }

    [Fact]
    public void Load_TwoTablesOrAStrayFile_AreRejected()
    {
        var diagnostics = new List<Diagnostic>();

        var terminology = TerminologyLoader.Load(
            [
                ("terminology/icd10cm-fy2025.txt", "A00 0"),
                ("terminology/icd10cm-fy2026.txt", "A00 0"),
                ("terminology/notes.txt", "x"),
                ("terminology/snomed/128188000.json", TerminologyFixture.Expansion("128188000", "Cerebral palsy")),
                ("terminology/other/128188000.json", TerminologyFixture.Expansion("128188000", "Cerebral palsy")),
            ],
            diagnostics);

        Assert.Null(terminology);
        Assert.Equal(
            [
                "terminology/icd10cm-fy2026.txt:0:0: error: a rule set has one ICD-10-CM code table, and terminology/icd10cm-fy2025.txt is already one: remove the older fiscal year",
                "terminology/notes.txt:0:0: error: not a terminology file: SNOMED CT expansions are <concept>.json, the ICD-10-CM code table is icd10cm-fyYYYY.txt",
                "terminology/other/128188000.json:3:14: error: concept 128188000 is already expanded in terminology/snomed/128188000.json",
            ],
            diagnostics.Select(d => d.ToString()));
    }
}
