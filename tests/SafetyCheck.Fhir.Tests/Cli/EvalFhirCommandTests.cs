using System.Text.Json.Nodes;
using SafetyCheck.Fhir.Tests.Support;

namespace SafetyCheck.Fhir.Tests.Cli;

public sealed class EvalFhirCommandTests
{
    private const string At = "2026-03-02T10:00:00Z";

    [Fact]
    public async Task EvalFhir_Seed_ResponseOnStdoutIgnoredOnStderr()
    {
        var run = await Eval(Path.Combine(RepositoryFiles.FhirSeeds, "toddler-eczema-bundle.json"), "--at", At, "--time-zone", "Europe/London");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("SUITABLE_WITH_PRECAUTIONS", (string)JsonNode.Parse(run.Output)!["suitability"]!);
        Assert.Equal(
            ["ignored: MedicationStatement/emollient: is a MedicationStatement, a record the check does not read (it reads Patient, Condition and Observation): what it records may change the verdict, and the check has not seen it; for the check to count it, it must be sent as a Condition, so ask the clinician about it",
             "ignored: Condition/ruled-out-fracture: verificationStatus is refuted: not the child's condition"],
            run.ErrorLines);
    }

    [Theory]
    [InlineData("2023", "a year only")]
    [InlineData("2023-08", "a year and month only")]
    public async Task EvalFhir_PartialBirthDate_Exit2NamingPatientBirthDate(string birthDate, string precision)
    {
        var run = await EvalJson($$"""{"resourceType":"Patient","id":"p","birthDate":"{{birthDate}}"}""");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("Patient.birthDate: is " + precision, line);
    }

    [Fact]
    public async Task EvalFhir_ViolationFoundByThePipeline_NamedByTheFhirElement()
    {
        var run = await EvalJson("""
            {"patient":{"resourceType":"Patient","id":"p","birthDate":"2005-01-01"},
             "conditions":{"resourceType":"Bundle","type":"searchset"},
             "ga":{"resourceType":"Observation","id":"ga","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"76516-4"}]},
                   "subject":{"reference":"Patient/p"},"valueQuantity":{"value":50,"system":"http://unitsofmeasure.org","code":"wk"}}}
            """);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            ["Patient.birthDate: the child must be under 18 at the session (as_of 2026-03-02)",
             "Observation/ga.valueQuantity: must be between 22 and 44 (got 50)"],
            run.ErrorLines);
    }

    [Fact]
    public async Task EvalFhir_FeverStartingTheDayAfterTheSession_NotCheckedAndReportedWithItsDate()
    {
        var run = await EvalJson("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","birthDate":"2023-08-25"}},
              {"resource":{"resourceType":"Condition","id":"fever","subject":{"reference":"Patient/p"},
                "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
                "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"R50.9"}]},"onsetDateTime":"2026-03-03"}}]}
            """);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("SUITABLE", (string)JsonNode.Parse(run.Output)!["suitability"]!);
        Assert.Equal(
            ["ignored: Condition/fever.onsetDateTime: begins after the session date (as_of 2026-03-02): the earliest date it can denote is 2026-03-03, so the condition is not yet the child's and is not checked"],
            run.ErrorLines);
    }

    [Fact]
    public async Task EvalFhir_MemberNameThatIsNotUnicodeText_Exit2NamingWhere()
    {
        var run = await EvalJson("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","birthDate":"2023-08-25","\ud800x":1}}]}
            """);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith("entry[0].resource: has a member whose name is not Unicode text", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task EvalFhir_MalformedFhir_Exit2BeforeLoadingRules()
    {
        var run = await CliInvocation.RunAsync("eval", "--rules", "/nonexistent", "--fhir", Write("""{"resourceType":"Patient","birthDate":"tomorrow"}"""), "--at", At);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("Patient.birthDate: ", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task EvalFhir_PrefetchSearchIncomplete_Exit2NamingTheOutcomeEntry()
    {
        var run = await EvalJson("""
            {"patient":{"resourceType":"Patient","id":"p","birthDate":"2023-08-25"},
             "conditions":{"resourceType":"Bundle","type":"searchset","entry":[
                {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"incomplete"}]},"search":{"mode":"outcome"}}]}}
            """);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith("prefetch.conditions.entry[0]: ", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("", "prefetch.conditions: is required")]
    [InlineData(""","conditions":{"resourceType":"Patient","id":"p","birthDate":"2023-08-25"}""", "prefetch.conditions: is a Patient, not a search result")]
    [InlineData(""","conditions":{}""", "prefetch.conditions: is not a FHIR resource")]
    public async Task EvalFhir_PrefetchConditionsMissingOrNotASearchResult_Exit2NamingTheKey(string conditions, string message)
    {
        var run = await EvalJson("""{"patient":{"resourceType":"Patient","id":"p","birthDate":"2023-08-25"}""" + conditions + "}");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith(message, Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("--at", "yesterday", "--at: must be an RFC 3339 timestamp")]
    [InlineData("--at", "2026-03-02T10:00:00", "--at: must be an RFC 3339 timestamp")]
    [InlineData("--setting", "SPA", "--setting: 'SPA' is not one of")]
    [InlineData("--pressure", "DEEP", "--pressure: 'DEEP' is not one of")]
    [InlineData("--areas", "BACK,TAIL", "--areas: 'TAIL' is not one of")]
    [InlineData("--time-zone", "Mars/Olympus", "--time-zone: must be an IANA time zone name")]
    public async Task EvalFhir_BadSessionFlag_Exit2NamingTheFlag(string flag, string value, string message)
    {
        var arguments = flag == "--at" ? new[] { flag, value } : ["--at", At, flag, value];

        var run = await Eval(Path.Combine(RepositoryFiles.FhirSeeds, "toddler-eczema-bundle.json"), arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.ErrorLines, line => line.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvalFhir_FlagsInLowerCase_Accepted()
    {
        var run = await Eval(Path.Combine(RepositoryFiles.FhirSeeds, "toddler-eczema-bundle.json"), "--at", At, "--setting", "home", "--areas", "back, arms");

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task EvalFhir_UnrecognisedSnomedBesideKnownBenignIcd_ClinicianReview()
    {
        var run = await EvalJson("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","birthDate":"2015-04-10"}},
              {"resource":{"resourceType":"Condition","id":"htn","subject":{"reference":"Patient/p"},
                "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
                "code":{"coding":[{"system":"http://snomed.info/sct","code":"70272006"},{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I10"}]}}}]}
            """);

        Assert.True(run.ExitCode == 0, run.ToString());
        var response = JsonNode.Parse(run.Output)!;
        Assert.Equal("CLINICIAN_REVIEW_REQUIRED", (string)response["suitability"]!);
        Assert.Contains("70272006", response["unrecognizedConditions"]!.ToJsonString());
    }

    [Theory]
    [InlineData("eval", "seeds/term-newborn.json", "--fhir", "seeds/fhir/toddler-eczema-bundle.json")]
    [InlineData("eval")]
    [InlineData("eval", "seeds/term-newborn.json", "--setting", "HOME")]
    public async Task Eval_FileAndFhirMixedOrNeither_BadArgumentExit2(params string[] args)
    {
        var run = await CliInvocation.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, run.ErrorLines.Count);
        Assert.StartsWith("eval: ", run.ErrorLines[0]);
        Assert.Equal("see: safetycheck eval --help", run.ErrorLines[1]);
    }

    [Fact]
    public async Task EvalHelp_ShowsAWorkedFhirExample()
    {
        var run = await CliInvocation.RunAsync("eval", "--help");

        Assert.Contains("safetycheck eval --fhir seeds/fhir/toddler-eczema-bundle.json --at 2026-03-02T10:00:00Z", run.Output);
        Assert.Contains("--time-zone", run.Output);
        Assert.Contains("--medical-release", run.Output);
    }

    private static Task<CliInvocation> Eval(string file, params string[] flags) =>
        CliInvocation.RunAsync(["eval", "--rules", RepositoryFiles.Rules, "--fhir", file, .. flags]);

    private static Task<CliInvocation> EvalJson(string json) => Eval(Write(json), "--at", At);

    private static string Write(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), "safetycheck-fhir-tests", Path.GetRandomFileName() + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("""{"resourceType":"Condition","id":"fracture","subject":{"reference":"Patient/p"},"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"S52.501A"}]},"onsetString":"a few weeks ago","recordedDate":"2026-02-20"}""")]
    [InlineData("""{"resourceType":"Condition","id":"fracture","subject":{"reference":"Patient/p"},"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"S52.501A"}]},"abatementDateTime":"2026-02-25"}""")]
    [InlineData("""{"resourceType":"Condition","id":"fracture","subject":{"reference":"Patient/p"},"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"S52.501A"}]},"onsetRange":{"low":{"value":1,"system":"http://unitsofmeasure.org","code":"a"},"high":{"value":1,"system":"http://unitsofmeasure.org","code":"a"}}}""")]
    public async Task EvalFhir_ResolvedFractureWhoseOnsetIsUnreadableButRecent_ReviewedNotSuitable(string fracture)
    {
        // Born 2023-08-25: an onset at age 1 ends on 2025-08-24, outside 42 days; the other two are recent.
        var recent = !fracture.Contains("onsetRange", StringComparison.Ordinal);
        var run = await EvalJson($$$"""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","birthDate":"2023-08-25"}},
              {"resource":{{{fracture}}}}]}
            """);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(recent ? "CLINICIAN_REVIEW_REQUIRED" : "SUITABLE", (string)JsonNode.Parse(run.Output)!["suitability"]!);
    }
}
