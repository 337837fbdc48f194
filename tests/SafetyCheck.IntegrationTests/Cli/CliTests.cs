using System.Text.Json;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

public sealed class CliTests
{
    public static TheoryData<string> Verbs => ["serve", "eval", "check", "test", "fmt", "report", "key"];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_EveryVerb_ShowsAWorkedExample(string verb)
    {
        var run = await CliRun.InvokeAsync([verb, "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches("Examples?:", run.Output);
        Assert.Contains($"safetycheck {verb}", run.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_UnparsableJson_Exits2NamingTheProblemOnStderrOnly()
    {
        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "-"], stdin: "{\"patient\": {\"birthDate\": ");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains("stdin: not a CheckRequest in protobuf JSON", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_UnknownField_Exits2NamingTheField()
    {
        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "-"], stdin: """{"patient":{"birthdate":"2025-01-01"}}""");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains("birthdate", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_MissingFile_Exits1()
    {
        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "/nonexistent/request.json"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains("cannot read /nonexistent/request.json: no such file", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("eval --fhir")]
    public async Task Eval_DirectoryGivenAsTheFile_Exits1SayingItIsADirectory(string verb)
    {
        var directory = TestPaths.EmptyDirectory();

        var run = await CliRun.InvokeAsync([.. verb.Split(' '), directory, "--rules", TestPaths.Rules]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains($"{(verb == "eval" ? "" : "--fhir: ")}cannot read {directory}: it is a directory, not a file", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Eval_FileThatIsNotUtf8_Exits2AtItsFirstBadByte(bool fhir)
    {
        var file = Path.Combine(Path.GetTempPath(), $"safetycheck-latin1-{Environment.ProcessId}-{fhir}.json");
        var text = fhir
            ? """{"patient":{"resourceType":"Patient","id":"p1","birthDate":"2020-05-01","name":[{"family":"M?ller"}]},"conditions":{"resourceType":"Bundle","type":"searchset"}}"""
            : """{"patient":{"birthDate":"2020-05-01","patientRef":"M?ller"}}""";
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        bytes[text.IndexOf('?', StringComparison.Ordinal)] = 0xFC; // ü in Latin-1
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            string[] args = fhir
                ? ["eval", "--rules", TestPaths.Rules, "--fhir", file, "--at", "2026-03-02T15:00:00Z", "--time-zone", "UTC", "--setting", "HOME"]
                : ["eval", "--rules", TestPaths.Rules, file];
            var run = await CliRun.InvokeAsync(args);

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Equal("", run.Output);
            Assert.Contains($"byte 0xFC at offset {text.IndexOf('?', StringComparison.Ordinal)} is not valid UTF-8", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Eval_StdinThatIsNotUtf8_Exits2()
    {
        var bytes = "{\"patient\":{\"birthDate\":\"2020-05-01\",\"patientRef\":\"M?ller\"}}"u8.ToArray();
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFC;

        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "-"], bytes);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains("stdin: the input is not UTF-8 text: byte 0xFC", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_WithoutFile_IsABadArgumentExit2()
    {
        var run = await CliRun.InvokeAsync(["eval"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("eval: give FILE (a CheckRequest) or --fhir FILE", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_Seed_PrintsOnlyOneCheckResponseOnStdout()
    {
        var seed = Directory.EnumerateFiles(TestPaths.Seeds, "*.json").Order(StringComparer.Ordinal).First();

        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, seed]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var suitability = json.RootElement.GetProperty("suitability").GetString();
        Assert.Contains(suitability, new[] { "SUITABLE", "SUITABLE_WITH_PRECAUTIONS", "CLINICIAN_REVIEW_REQUIRED", "NOT_SUITABLE" });
        Assert.Matches("^[0-9a-f]{64}$", json.RootElement.GetProperty("ruleset").GetProperty("revision").GetString());
        Assert.Matches("^[0-9a-f-]{36}$", json.RootElement.GetProperty("decisionId").GetString());
        run.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Eval_SameSeedFromStdin_AnswersAsFromTheFile()
    {
        var seed = Directory.EnumerateFiles(TestPaths.Seeds, "*.json").Order(StringComparer.Ordinal).First();

        var fromFile = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, seed]);
        var fromStdin = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "-"], await File.ReadAllTextAsync(seed));

        Assert.Equal(0, fromStdin.ExitCode);
        Assert.Equal(WithoutVolatileFields(fromFile.Output), WithoutVolatileFields(fromStdin.Output));
    }

    [Fact]
    public async Task Eval_InvalidRequest_Exits2WithOneLinePerViolation()
    {
        const string request = """
            {"patient":{"birthDate":"2026-13-45","gestationalAgeAtBirth":{"weeks":50,"days":0}},
             "conditions":[{"system":"http://loinc.org","code":"8310-5"}]}
            """;

        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.Rules, "-"], request);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("patient.birth_date: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("patient.gestational_age_at_birth", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("conditions[0].system: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eval_InvalidRuleSet_Exits1WithDiagnostics()
    {
        var run = await CliRun.InvokeAsync(["eval", "--rules", TestPaths.EmptyDirectory(), "-"], "{}");
        run.Logs.Expect("SafetyCheck.RuleSets");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains("error", run.Error, StringComparison.Ordinal);
    }

    private static string WithoutVolatileFields(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("decisionId");
        node.Remove("evaluatedAt");
        return node.ToJsonString();
    }
}
