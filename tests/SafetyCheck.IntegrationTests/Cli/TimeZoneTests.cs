using System.Text.Json;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>
/// Ages are counted to the calendar date in the session's zone, the way a minimal container runs the service:
/// invariant globalization, no ICU. Without time zone data the service refuses to start, never refusing each request.
/// </summary>
public sealed class TimeZoneTests
{
    private static readonly Dictionary<string, string?> Invariant = new()
    {
        ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
        ["DOTNET_SYSTEM_GLOBALIZATION_PREDEFINED_CULTURES_ONLY"] = "1",
    };

    [Theory]
    [InlineData("Pacific/Auckland", 28, "INFANT", "2025-06-02")]
    [InlineData("America/Los_Angeles", 27, "NEONATE", "2025-06-01")]
    [InlineData("UTC", 27, "NEONATE", "2025-06-01")]
    public async Task Eval_InvariantGlobalization_AgeCountedInTheSessionsZone(string zone, int ageDays, string band, string asOfDate)
    {
        // 20:00 UTC on 1 June is already 2 June in Auckland: the child is 28 days old there, and still a neonate elsewhere.
        var request = $$$"""{"patient":{"birthDate":"2025-05-05"},"session":{"scheduledAt":"2025-06-01T20:00:00Z","timeZone":"{{{zone}}}","setting":"HOME","pressure":"LIGHT","areas":["BACK"]}}""";

        var run = await CliProcess.RunAsync(["eval", "--rules", TestPaths.Rules, "-"], Invariant, input: request);

        Assert.True(run.ExitCode == 0, run.Error);
        using var response = JsonDocument.Parse(run.Output);
        var facts = response.RootElement.GetProperty("facts");
        Assert.Equal(ageDays, facts.GetProperty("chronologicalAgeDays").GetInt32());
        Assert.Equal(band, facts.GetProperty("ageBand").GetString());
        Assert.Equal((asOfDate, zone), (facts.GetProperty("asOfDate").GetString(), facts.GetProperty("timeZone").GetString()));
    }

    [Fact]
    public async Task Eval_NoTimeZone_FactsSayTheUtcDateWasUsed()
    {
        // 22:00 in New York on 3 March is 4 March in UTC: without a zone the answer says which date it counted to.
        const string request = """{"patient":{"birthDate":"2022-01-10"},"session":{"scheduledAt":"2026-03-03T22:00:00-05:00"}}""";

        var run = await CliProcess.RunAsync(["eval", "--rules", TestPaths.Rules, "-"], input: request);

        Assert.True(run.ExitCode == 0, run.Error);
        using var response = JsonDocument.Parse(run.Output);
        var facts = response.RootElement.GetProperty("facts");
        Assert.Equal(("2026-03-04", "UTC"), (facts.GetProperty("asOfDate").GetString(), facts.GetProperty("timeZone").GetString()));
    }

    [Fact]
    public async Task Serve_NoTimeZoneData_RefusesToStartWithOneLine()
    {
        var empty = TestPaths.EmptyDirectory();

        var run = await CliProcess.RunAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>(Invariant) { ["TZDIR"] = empty });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cannot start the service: this host has no time zone data", line, StringComparison.Ordinal);
        Assert.Contains("tzdata", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_NoTimeZoneData_CannotRun()
    {
        var run = await CliProcess.RunAsync(["eval", "--rules", TestPaths.Rules, "-"], new Dictionary<string, string?>(Invariant) { ["TZDIR"] = TestPaths.EmptyDirectory() }, input: "{}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no time zone data", run.Error, StringComparison.Ordinal);
    }
}
