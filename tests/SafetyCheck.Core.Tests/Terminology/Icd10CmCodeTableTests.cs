using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Terminology;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Terminology;

public class Icd10CmCodeTableTests
{
    private static Icd10CmCodeTable Read(string text, string file = TerminologyFixture.TablePath)
    {
        var diagnostics = new List<Diagnostic>();
        var table = Icd10CmCodeTableReader.Read(file, text, diagnostics);
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
        return table!;
    }

    private static string[] Diagnose(string text, string file = TerminologyFixture.TablePath)
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Null(Icd10CmCodeTableReader.Read(file, text, diagnostics));
        return [.. diagnostics.Select(d => d.ToString())];
    }

    [Fact]
    public void Read_CategoryLines_ListEveryCodeInFileOrder()
    {
        var table = Read("# comment\nA00 0 1 9\r\nT88 1 1XX/ADS\n\nS42 411 411/AB\n");

        Assert.Equal(2026, table.FiscalYear);
        Assert.Equal("FY2026", table.Edition);
        Assert.Equal(["A00", "A000", "A001", "A009", "T88", "T881", "T881XXA", "T881XXD", "T881XXS", "S42", "S42411", "S42411A", "S42411B"], table.Codes);
        Assert.Equal(13, table.Count);
    }

    [Theory]
    [InlineData("T88.1XXS", true)]
    [InlineData("t881xxs", true)]
    [InlineData("T88.1", true)]
    [InlineData("T88", true)]
    [InlineData("T88.1XX", false)] // a stem is a code only when listed on its own
    [InlineData("T88.1X", false)]
    [InlineData("S42.411", true)]
    [InlineData("S42.411C", false)]
    [InlineData("A00.99", false)]
    [InlineData("A00.", false)]
    [InlineData("A 00", false)]
    public void Contains_AnswersForCodesWithOrWithoutTheDot(string code, bool expected)
    {
        var table = Read("A00 0 1 9\nT88 1 1XX/ADS\nS42 411 411/AB\n");

        Assert.Equal(expected, table.Contains(code));
    }

    [Fact]
    public void Read_Problems_AreReportedAtTheirLineAndColumn()
    {
        var diagnostics = Diagnose("A00 0 1 9\na01 0\nA02  0\nA03 0 12345\nA04 1XX/\nA00 5\nA05 0 0\nA06 0 \n");

        Assert.Equal(
            [
                "terminology/icd10cm-fy2026.txt:2:1: error: 'a01' is not an ICD-10-CM category: a letter and two letters or digits, upper case",
                "terminology/icd10cm-fy2026.txt:3:5: error: words are separated by single spaces, with none at the start or end of a line",
                "terminology/icd10cm-fy2026.txt:4:7: error: '12345' is not the rest of a code: 1 to 4 upper-case letters or digits after the category",
                "terminology/icd10cm-fy2026.txt:5:5: error: '1XX/' is not a folded group: 3 characters, '/', then the 7th characters, e.g. '1XX/ADS'",
                "terminology/icd10cm-fy2026.txt:6:1: error: code A00 is listed twice",
                "terminology/icd10cm-fy2026.txt:7:7: error: code A050 is listed twice",
                "terminology/icd10cm-fy2026.txt:8:7: error: words are separated by single spaces, with none at the start or end of a line",
            ],
            diagnostics);
    }

    [Fact]
    public void Read_FileNameWithoutFiscalYear_IsRejected()
    {
        Assert.Equal(
            ["terminology/icd10cm.txt:0:0: error: an ICD-10-CM code table is named icd10cm-fyYYYY.txt after its fiscal year, e.g. icd10cm-fy2026.txt"],
            Diagnose("A00 0", "terminology/icd10cm.txt"));
    }

    [Fact]
    public void Read_NoCodes_IsRejected()
    {
        Assert.Equal(["terminology/icd10cm-fy2026.txt:0:0: error: the code table lists no code"], Diagnose("# only a comment\n"));
    }

    [Fact]
    public void ShippedTable_HoldsEveryFy2026CodeAndNothingElse()
    {
        var path = Path.Combine(RepositoryRules(), "terminology", "icd10cm-fy2026.txt");
        var table = Read(File.ReadAllText(path));

        // 1,918 categories + 21,549 other headers + 74,719 billable codes (CDC/NCHS FY2026 order file).
        Assert.Equal(98_186, table.Count);
        foreach (var code in new[] { "A00", "J01.00", "T88.1XXS", "S42.411A", "S42.41", "Z04.72", "G89.3", "N47.2", "E03.5", "Z86.74", "P07.32", "Z3A.08", "M1A.0110" })
        {
            Assert.True(table.Contains(code), code);
        }

        foreach (var code in new[] { "Z00.999", "A99.999", "S21.31XA", "T88.1XX", "P21", "R50.99", "J45.93" })
        {
            Assert.False(table.Contains(code), code);
        }
    }

    internal static string RepositoryRules()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyCheck.sln")))
            {
                return Path.Combine(dir.FullName, "rules");
            }
        }

        throw new InvalidOperationException("SafetyCheck.sln not found");
    }
}
