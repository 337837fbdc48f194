using System.Text.Json.Nodes;
using SafetyCheck.Fhir.Tests.Support;

namespace SafetyCheck.Fhir.Tests.Cli;

/// <summary>
/// Each synthetic bundle (under Bundles/ and seeds/fhir/) through <c>eval --fhir</c> gives the same response as its
/// hand-mapped CheckRequest (<c>NAME.request.json</c>) through <c>eval</c>: verdict, precautions, facts, everything
/// but the decision id and the evaluation time. The session flags are taken from the hand-mapped request.
/// </summary>
public sealed class EvalFhirEquivalenceTests
{
    public static TheoryData<string> Cases() => new(CaseNames());

    private static IEnumerable<string> CaseNames() =>
        Directory.EnumerateFiles(RepositoryFiles.Bundles, "*.request.json")
            .Select(request => Path.GetFileName(request)[..^".request.json".Length])
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EvalFhir_SyntheticBundle_SameResponseAsItsHandMappedRequest(string name)
    {
        var requestPath = Path.Combine(RepositoryFiles.Bundles, name + ".request.json");
        var bundlePath = BundlePath(name);

        var plain = await CliInvocation.RunAsync("eval", "--rules", RepositoryFiles.Rules, requestPath);
        var fhir = await CliInvocation.RunAsync(["eval", "--rules", RepositoryFiles.Rules, "--fhir", bundlePath, .. SessionFlags(requestPath)]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(fhir.ExitCode == 0, fhir.ToString());
        var expected = Comparable(plain.Output);
        var actual = Comparable(fhir.Output);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"eval:\n{expected}\neval --fhir:\n{actual}");
    }

    [Fact]
    public void Cases_EveryBundleHasAHandMappedRequest()
    {
        var bundles = Directory.EnumerateFiles(RepositoryFiles.Bundles, "*.json").Where(f => !f.EndsWith(".request.json", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(RepositoryFiles.FhirSeeds, "*.json"))
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal);

        Assert.Equal(bundles, CaseNames());
    }

    [Fact]
    public async Task Cases_CoverEveryAgeBandAndSeveralVerdicts()
    {
        var bands = new HashSet<string>();
        var verdicts = new HashSet<string>();
        foreach (var name in CaseNames())
        {
            var run = await CliInvocation.RunAsync("eval", "--rules", RepositoryFiles.Rules, Path.Combine(RepositoryFiles.Bundles, name + ".request.json"));
            var response = JsonNode.Parse(run.Output)!;
            bands.Add((string)response["facts"]!["ageBand"]!);
            verdicts.Add((string)response["suitability"]!);
        }

        Assert.Equal(["ADOLESCENT", "CHILD", "INFANT", "NEONATE", "TODDLER"], bands.Order());
        Assert.True(verdicts.Count >= 3, string.Join(", ", verdicts));
    }

    internal static string BundlePath(string name)
    {
        var local = Path.Combine(RepositoryFiles.Bundles, name + ".json");
        return File.Exists(local) ? local : Path.Combine(RepositoryFiles.FhirSeeds, name + ".json");
    }

    /// <summary>The eval flags that give the hand-mapped request's session.</summary>
    internal static string[] SessionFlags(string requestPath)
    {
        var session = JsonNode.Parse(File.ReadAllText(requestPath))!["session"]!;
        var flags = new List<string> { "--at", (string)session["scheduledAt"]! };
        foreach (var (flag, field) in new[] { ("--time-zone", "timeZone"), ("--setting", "setting"), ("--pressure", "pressure") })
        {
            if (session[field] is { } value)
            {
                flags.AddRange([flag, (string)value!]);
            }
        }

        if (session["areas"] is JsonArray areas)
        {
            flags.AddRange(["--areas", string.Join(",", areas.Select(a => (string)a!))]);
        }

        if (session["medicalRelease"] is { } release && (bool)release)
        {
            flags.Add("--medical-release");
        }

        return [.. flags];
    }

    private static JsonObject Comparable(string output)
    {
        var response = JsonNode.Parse(output)!.AsObject();
        response.Remove("decisionId");
        response.Remove("evaluatedAt");
        return response;
    }
}
