using Newtonsoft.Json.Linq;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary><c>terminology expand</c> against a real HTTP server on loopback that answers <c>$expand</c> from a fixture.</summary>
public sealed class TerminologyCliTests
{
    private const string CerebralPalsy = "128188000";
    private const string SpasticCerebralPalsy = "230773005";

    private static readonly Dictionary<string, (string, (string, string)[])> Fixture = new(StringComparer.Ordinal)
    {
        [CerebralPalsy] = ("Cerebral palsy",
        [
            (SpasticCerebralPalsy, "Spastic cerebral palsy"),
            ("43486001", "Hemiplegic cerebral palsy"),
            ("48721008", "Quadriplegic cerebral palsy"),
        ]),
        ["195967001"] = ("Asthma", []),
        ["386661006"] = ("Fever", []),
    };

    [Fact]
    public async Task Expand_PagingServer_WritesTheDescendantsWithProvenanceAndTheSubtypeGetsItsRow()
    {
        await using var server = await FixtureTerminologyServer.StartAsync(Fixture);
        var rules = TestPaths.CopyOfRules();
        var file = Path.Combine(rules, "terminology", "snomed", $"{CerebralPalsy}.json");
        if (File.Exists(file))
        {
            File.Delete(file);
        }

        // Fever stands for a concept with no subtypes on the server and no file yet, whatever the shipped rules hold.
        File.Delete(Path.Combine(rules, "terminology", "snomed", "386661006.json"));

        var run = await CliRun.InvokeAsync(["terminology", "expand", "--server", server.BaseUrl, "--rules", rules, "--concept", CerebralPalsy, "--concept", "195967001", "--concept", "386661006", "--page-size", "2"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("expanded 3 concepts", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 files written", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 concepts have no subtypes", run.Output, StringComparison.Ordinal);
        Assert.Equal(4, server.Requests.Count);
        Assert.Contains(server.Requests, r => r.Contains("count=2&offset=2", StringComparison.Ordinal));
        var json = JObject.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal(CerebralPalsy, (string?)json["concept"]);
        Assert.Equal("Cerebral palsy", (string?)json["display"]);
        var source = Assert.Single((JArray)json["sources"]!);
        Assert.Equal(FixtureTerminologyServer.Version, (string?)source["version"]);
        Assert.Equal(DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string?)source["date"]);
        Assert.StartsWith(server.BaseUrl + "/ValueSet/$expand?url=http%3A%2F%2Fsnomed.info%2Fsct%3Ffhir_vs%3Decl%2F%3C%3C128188000", (string?)source["url"], StringComparison.Ordinal);
        Assert.Equal(["Hemiplegic cerebral palsy", "Quadriplegic cerebral palsy", "Spastic cerebral palsy"], ((JArray)json["descendants"]!).Select(d => (string)d["display"]!));
        // Asthma has no subtypes on this server: its shipped file is rewritten empty rather than left stale.
        var asthma = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(rules, "terminology", "snomed", "195967001.json")));
        Assert.Empty((JArray)asthma["descendants"]!);
        Assert.Equal("Asthma", (string?)asthma["display"]);
        Assert.False(File.Exists(Path.Combine(rules, "terminology", "snomed", "386661006.json")));

        var check = await CliRun.InvokeAsync(["check", "--rules", rules]);
        Assert.True(check.ExitCode == 0, check.ToString());

        var eval = await CliRun.InvokeAsync(["eval", "--rules", rules, "-"], $$"""
            { "patient": { "birthDate": "2020-05-01" }, "session": { "scheduledAt": "2026-03-02T10:00:00Z" },
              "conditions": [ { "system": "http://snomed.info/sct", "code": "{{SpasticCerebralPalsy}}" } ] }
            """);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var response = JObject.Parse(eval.Output);
        Assert.Contains("cerebral-palsy", ((JArray)response["facts"]!["conditionIds"]!).Select(i => (string)i!));
        Assert.Empty((JArray?)response["unrecognizedConditions"] ?? []);
        Assert.Contains(((JArray)response["precautions"]!).Select(p => (string)p["ruleId"]!), id => id == "cerebral-palsy");
    }

    [Fact]
    public async Task Expand_ServerAnswersAnError_Exits1NamingItAndWritesNothing()
    {
        await using var server = await FixtureTerminologyServer.StartAsync(Fixture, status: 500);
        var rules = TestPaths.CopyOfRules();
        var before = Snapshot(rules);

        var run = await CliRun.InvokeAsync(["terminology", "expand", "--server", server.BaseUrl, "--rules", rules, "--concept", CerebralPalsy]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("the server answered 500", run.Error, StringComparison.Ordinal);
        Assert.Contains("Unable to expand", run.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(rules));
    }

    [Fact]
    public async Task Expand_ServerTooSlow_Exits1WithATimeout()
    {
        await using var server = await FixtureTerminologyServer.StartAsync(Fixture, delay: TimeSpan.FromSeconds(10));
        var rules = TestPaths.CopyOfRules();

        var run = await CliRun.InvokeAsync(["terminology", "expand", "--server", server.BaseUrl, "--rules", rules, "--concept", CerebralPalsy, "--timeout", "1"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("did not answer within 1 s", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expand_NothingListening_Exits1()
    {
        string url;
        await using (var server = await FixtureTerminologyServer.StartAsync(Fixture))
        {
            url = server.BaseUrl;
        }

        var run = await CliRun.InvokeAsync(["terminology", "expand", "--server", url, "--rules", TestPaths.CopyOfRules(), "--concept", CerebralPalsy]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("cannot reach the server", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "--server is required")]
    [InlineData(new[] { "--server", "ftp://tx.example.org/fhir" }, "not an http or https base URL")]
    [InlineData(new[] { "--server", "fhir" }, "not an http or https base URL")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1/fhir", "--timeout", "0" }, "--timeout 0")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1/fhir", "--page-size", "0" }, "--page-size 0")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1/fhir", "--concept", "128188001" }, "not a valid SNOMED CT concept id")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1/fhir", "--concept", "404684003" }, "no row of conditions.json names it")]
    public async Task Expand_BadArgument_Exits2(string[] arguments, string expected)
    {
        var run = await CliRun.InvokeAsync(["terminology", "expand", "--rules", TestPaths.Rules, .. arguments]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllText, StringComparer.Ordinal);
}
