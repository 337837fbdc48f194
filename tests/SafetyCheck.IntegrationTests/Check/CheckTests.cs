using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Check;

/// <summary>Check through the real gRPC pipeline in memory, on the shipped rule set.</summary>
public sealed class CheckTests
{
    private static readonly DateTimeOffset SessionTime = new(2025, 6, 2, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Check_ValidRequest_ReturnsTheContractFields()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var response = await host.Client.CheckAsync(Infant("req-42"));

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", response.DecisionId);
        Assert.Equal("req-42", response.RequestId);
        Assert.NotEqual(Suitability.Unspecified, response.Suitability);
        var identity = host.Provider.Current!.RuleSet.Identity;
        Assert.Equal((identity.Name, identity.Version), (response.Ruleset.Name, response.Ruleset.Version));
        Assert.Matches("^[0-9a-f]{64}$", response.Ruleset.Revision);
        Assert.Equal(Timestamp.FromDateTimeOffset(SessionTime), response.AsOf);
        Assert.Equal(Timestamp.FromDateTimeOffset(TestServerHost.Now), response.EvaluatedAt);
        Assert.Equal(93, response.Facts.ChronologicalAgeDays);
        Assert.Equal(AgeBand.Infant, response.Facts.AgeBand);
        Assert.Equal(GestationCategory.Term, response.Facts.GestationCategory);
        Assert.Equal(BirthWeightCategory.NormalBirthWeight, response.Facts.BirthWeightCategory);
        Assert.False(response.Facts.HasCorrectedAgeDays);
        Assert.Equal(39 * 7 + 93, response.Facts.PostmenstrualAgeDays);
        Assert.Empty(response.Trace);
        Assert.All(response.Precautions, p => Assert.InRange(p.Summary.Length, 1, 140));
    }

    [Fact]
    public async Task Check_ResponseJson_UsesTheContractEnumNames()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var response = await host.Client.CheckAsync(Infant("json"));
        var json = JsonFormatter.Default.Format(response);

        Assert.Contains("\"ageBand\": \"INFANT\"", json, StringComparison.Ordinal);
        Assert.Contains("\"gestationCategory\": \"TERM\"", json, StringComparison.Ordinal);
        Assert.Matches("\"suitability\": \"(SUITABLE|SUITABLE_WITH_PRECAUTIONS|CLINICIAN_REVIEW_REQUIRED|NOT_SUITABLE)\"", json);
    }

    [Fact]
    public async Task Check_Explain_TracesEveryRule()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = Infant("explain");
        request.Explain = true;

        var response = await host.Client.CheckAsync(request);

        var ruleIds = host.Provider.Current!.RuleSet.Rules.Select(r => r.RuleId).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(ruleIds, response.Trace.Select(t => t.RuleId).ToHashSet(StringComparer.Ordinal));
        Assert.All(response.Trace, t => Assert.Equal("", t.Error));
        Assert.All(response.Precautions.Where(p => ruleIds.Contains(p.RuleId)), p => Assert.Contains(response.Trace, t => t.RuleId == p.RuleId && t.Fired));
    }

    [Fact]
    public async Task Check_Fever_IsNotSuitable()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = Infant("fever");
        request.Observations = new Observations { TemperatureCelsius = 39.5 };

        var response = await host.Client.CheckAsync(request);

        Assert.Equal(Suitability.NotSuitable, response.Suitability);
        Assert.Contains(response.Precautions, p => p.Outcome == Suitability.NotSuitable && p.Evidence.Citations.Count > 0);
    }

    [Fact]
    public async Task Check_UnrecognisedActiveCode_RequiresReviewAndEchoesTheCode()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = Infant("unknown-code");
        request.Conditions.Add(new Condition { System = "http://snomed.info/sct", Code = "999999999999" });

        var response = await host.Client.CheckAsync(request);

        Assert.Equal(Suitability.ClinicianReviewRequired, response.Suitability);
        Assert.Equal(new CodeRef { System = "http://snomed.info/sct", Code = "999999999999", Reason = "not a valid SNOMED CT id" }, Assert.Single(response.UnrecognizedConditions));
        var precaution = Assert.Single(response.Precautions, p => p.RuleId == "unrecognized-condition");
        Assert.Contains("http://snomed.info/sct|999999999999", precaution.TriggeredBy);
    }

    [Fact]
    public async Task Check_SameRequestTwice_DiffersOnlyInDecisionIdAndAuditReceipt()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var first = await host.Client.CheckAsync(Infant("same"));
        var second = await host.Client.CheckAsync(Infant("same"));

        Assert.NotEqual(first.DecisionId, second.DecisionId);
        Assert.Equal(first.Audit.Sequence + 1, second.Audit.Sequence);
        second.DecisionId = first.DecisionId;
        second.Audit = first.Audit;
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Check_ThreeBadFields_InvalidArgumentWithExactlyThreeFieldViolations()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = new CheckRequest
        {
            Patient = new Patient { BirthDate = "2026-13-45", GestationalAgeAtBirth = new GestationalAge { Weeks = 50 } },
            Conditions = { new Condition { System = "http://loinc.org", Code = "8310-5" } },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = BadRequestOf(error).FieldViolations;
        Assert.Equal(3, violations.Count);
        Assert.Equal(
            ["conditions[0].system", "patient.birth_date", "patient.gestational_age_at_birth.weeks"],
            violations.Select(v => v.Field).Order(StringComparer.Ordinal));
        Assert.All(violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        Assert.Contains("patient.birth_date", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoPatient_InvalidArgumentNamingPatient()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(new CheckRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("patient", Assert.Single(BadRequestOf(error).FieldViolations).Field);
    }

    [Fact]
    public async Task Check_ChildOf18AtTheSession_InvalidArgument()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = Infant("adult");
        request.Patient.BirthDate = "2007-06-02";

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(request).ResponseAsync);

        Assert.Equal("patient.birth_date", Assert.Single(BadRequestOf(error).FieldViolations).Field);
    }

    [Fact]
    public async Task Check_ManyBadConditions_ErrorDetailsStayWithinHeaderLimits()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var request = Infant("many");
        for (var i = 0; i < 100; i++)
        {
            request.Conditions.Add(new Condition { System = "urn:example:" + new string('x', 60), Code = "", OnsetDate = "not a date", BodySite = (BodyArea)77 });
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.InRange(error.Trailers.GetValueBytes("grpc-status-details-bin")!.Length, 1, 6 * 1024);
        var violations = BadRequestOf(error).FieldViolations;
        Assert.Contains("more violations are not listed", violations[^1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MessageOverTheSizeLimit_ResourceExhausted()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: ["--SafetyCheck:Limits:MaxReceiveMessageSize=1024"]);
        var request = Infant(new string('r', 2000));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task GetRuleset_ReturnsTheServedRevisionAndEveryRule()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        var loaded = host.Provider.Current!.RuleSet;

        var ruleset = await host.Client.GetRulesetAsync(new GetRulesetRequest());

        Assert.Equal(loaded.Identity.Revision, ruleset.Ref.Revision);
        Assert.Matches("^[0-9a-f]{64}$", ruleset.Ref.Revision);
        Assert.Equal(loaded.Rules.Select(r => r.RuleId), ruleset.Rules.Select(r => r.RuleId));
        Assert.Equal(loaded.Parameters.Select(p => p.Name), ruleset.Parameters.Select(p => p.Name));
        Assert.All(ruleset.Rules, r =>
        {
            Assert.Contains(r.Kind, new[] { "precaution", "benefit" });
            Assert.NotEqual(Suitability.Unspecified, r.Outcome);
            Assert.False(string.IsNullOrEmpty(r.Expression));
            Assert.EndsWith(".json", r.File, StringComparison.Ordinal);
            Assert.NotEmpty(r.Evidence.Citations);
        });
    }

    /// <summary>A term infant 93 days old at the session, at home, planned light back massage.</summary>
    private static CheckRequest Infant(string requestId) => new()
    {
        RequestId = requestId,
        Patient = new Patient
        {
            BirthDate = "2025-03-01",
            GestationalAgeAtBirth = new GestationalAge { Weeks = 39 },
            BirthWeightGrams = 3400,
        },
        Session = new Session
        {
            ScheduledAt = Timestamp.FromDateTimeOffset(SessionTime),
            Setting = Setting.Home,
            Pressure = Pressure.Light,
            Areas = { BodyArea.Back },
        },
    };

    private static BadRequest BadRequestOf(RpcException error)
    {
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        return Assert.Single(status.Details.Select(d => d.TryUnpack<BadRequest>(out var b) ? b : null).OfType<BadRequest>());
    }
}
