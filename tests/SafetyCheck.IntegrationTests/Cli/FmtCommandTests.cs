using System.Text.RegularExpressions;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary><c>fmt</c> and <c>fmt --check</c> over a rule directory.</summary>
public sealed class FmtCommandTests
{
    private const string Scrambled = """
        {"Rules": [], "WorkflowName": "scrambled"}
        """;

    [Fact]
    public async Task FmtCheck_FileNotInTheLayout_IsListedAndExits1_AndChangesNothing()
    {
        var rules = TestPaths.CopyOfRules();
        var path = Path.Combine(rules, "scrambled.json");
        await File.WriteAllTextAsync(path, Scrambled);

        var run = await CliRun.InvokeAsync(["fmt", "--check", "--rules", rules]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(run.Output.Split('\n'), l => l.EndsWith("scrambled.json", StringComparison.Ordinal));
        Assert.Contains("not in the canonical layout", run.Error, StringComparison.Ordinal);
        Assert.Equal(Scrambled, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Fmt_RewritesTheFiles_ThenCheckExits0_AndTheRuleSetStillPasses()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "scrambled.json"), Scrambled);

        var format = await CliRun.InvokeAsync(["fmt", "--rules", rules]);
        var check = await CliRun.InvokeAsync(["fmt", "--check", "--rules", rules]);
        var test = await CliRun.InvokeAsync(["test", "--rules", rules]);

        Assert.True(format.ExitCode == 0, format.ToString());
        Assert.Equal("{\n  \"WorkflowName\": \"scrambled\",\n  \"Rules\": []\n}\n", await File.ReadAllTextAsync(Path.Combine(rules, "scrambled.json")));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal("", check.Output);
        Assert.True(test.ExitCode == 0, test.ToString());
    }

    // Written out, the escape became U+FFFD and the number Infinity (not JSON, which check then read as a number).
    [Theory]
    [InlineData("benefits.json", "\"summary\": \"Preterm", "\"summary\": \"\\ud83d Preterm", "string is not Unicode text")]
    [InlineData("ruleset.json", "\"value\": 38.0,", "\"value\": 1e400,", "number '1e400' is out of range")]
    public async Task Fmt_FileSayingWhatItCannotWriteBack_IsRefusedAndLeftByteForByte_AndCheckRefusesItToo(string file, string find, string replace, string expected)
    {
        var rules = TestPaths.CopyOfRules();
        var path = Path.Combine(rules, file);
        var original = await File.ReadAllTextAsync(path);
        Assert.Contains(find, original, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, original.Replace(find, replace, StringComparison.Ordinal));
        var before = await File.ReadAllBytesAsync(path);

        var format = await CliRun.InvokeAsync(["fmt", "--rules", rules]);
        var check = await CliRun.InvokeAsync(["check", "--rules", rules]);

        Assert.True(format.ExitCode == 2, format.ToString());
        Assert.Matches($@"{Regex.Escape(file)}:\d+:\d+: error: {Regex.Escape(expected)}", format.Error);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Matches($@"{Regex.Escape(file)}:\d+:\d+: error: {Regex.Escape(expected)}", check.ToString());
    }

    [Fact]
    public async Task Fmt_FileThatCannotBeFormatted_IsReportedAndExits2()
    {
        var rules = TestPaths.CopyOfRules();
        await File.WriteAllTextAsync(Path.Combine(rules, "broken.json"), "{ \"WorkflowName\": \"b\", \"Rules\": [ }");

        var run = await CliRun.InvokeAsync(["fmt", "--check", "--rules", rules]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Matches(@"broken\.json:1:\d+: error: invalid JSON", run.Error);
    }

    [Fact]
    public async Task FmtAndCheck_FileThatIsNotUtf8_RefusedAtItsFirstBadByte_AndLeftByteForByte()
    {
        // A Latin-1 'é' (0xE9) typed into a summary: read as UTF-8 it would become U+FFFD, and fmt would write that back.
        var rules = TestPaths.CopyOfRules();
        var path = Path.Combine(rules, "benefits.json");
        var text = await File.ReadAllTextAsync(path);
        var at = text.IndexOf("\"summary\": \"", StringComparison.Ordinal) + "\"summary\": \"".Length;
        var bytes = System.Text.Encoding.UTF8.GetBytes(text[..at]).Concat(new byte[] { 0xE9 }).Concat(System.Text.Encoding.UTF8.GetBytes(text[at..])).ToArray();
        await File.WriteAllBytesAsync(path, bytes);
        var line = text[..at].Count(c => c == '\n') + 1;
        var column = at - (text.LastIndexOf('\n', at - 1) + 1) + 1;

        var format = await CliRun.InvokeAsync(["fmt", "--rules", rules]);
        var check = await CliRun.InvokeAsync(["check", "--rules", rules]);

        var expected = $"benefits.json:{line}:{column}: error: the file is not UTF-8 text: byte 0xE9 at offset {System.Text.Encoding.UTF8.GetByteCount(text[..at])} is not valid UTF-8";
        Assert.True(format.ExitCode == 2, format.ToString());
        Assert.Contains(expected, format.Error, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains(expected, check.ToString(), StringComparison.Ordinal);
    }
}
