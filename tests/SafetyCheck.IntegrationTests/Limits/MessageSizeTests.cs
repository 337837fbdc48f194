using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SafetyCheck.Core.Validation;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Limits;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Limits;

public sealed class MessageSizeTests
{
    [Fact]
    public void DefaultLimit_HoldsTheLargestValidRequestTwice()
    {
        var largest = LargestValidRequest();

        Assert.InRange(largest.CalculateSize() * 2, 1, new LimitsOptions().MaxReceiveMessageSize);
    }

    [Fact]
    public async Task Check_LargestValidRequest_IsDecidedNotRefused()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        var response = await host.Client.CheckAsync(LargestValidRequest());

        Assert.Equal(Suitability.ClinicianReviewRequired, response.Suitability);
        Assert.Equal(RequestValidator.MaxConditions, response.UnrecognizedConditions.Count);
    }

    [Fact]
    public async Task Check_OneByteOverTheConfiguredLimit_ResourceExhausted_AtTheLimitDecided()
    {
        var request = SampleRequests.Infant();
        var limit = 2048;
        request.RequestId = "";
        request.Conditions.Add(new Condition { System = "urn:safetycheck:condition", Code = "eczema", Display = "" });
        var filler = limit - request.CalculateSize() - 4;
        request.Conditions[0].Display = new string('d', filler);
        Assert.Equal(limit, request.CalculateSize());
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [$"--SafetyCheck:Limits:MaxReceiveMessageSize={limit}"]);

        var atLimit = await Record.ExceptionAsync(() => host.Client.CheckAsync(request).ResponseAsync);
        request.Conditions[0].Display += "d";
        var over = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(request).ResponseAsync);

        Assert.True(atLimit is null or RpcException { StatusCode: StatusCode.InvalidArgument }, atLimit?.ToString());
        Assert.Equal(StatusCode.ResourceExhausted, over.StatusCode);
    }

    /// <summary>Every string at its maximum length in 3-byte UTF-8 characters, 100 conditions, every area.</summary>
    private static CheckRequest LargestValidRequest()
    {
        const char ThreeBytes = '\u20ac';
        var request = new CheckRequest
        {
            RequestId = new string(ThreeBytes, RequestValidator.MaxRequestIdLength),
            Patient = new Patient
            {
                PatientRef = new string(ThreeBytes, RequestValidator.MaxPatientRefLength),
                BirthDate = "2025-03-01",
                GestationalAgeAtBirth = new GestationalAge { Weeks = 39, Days = 6 },
                BirthWeightGrams = 3400,
            },
            Session = new Session
            {
                ScheduledAt = Timestamp.FromDateTimeOffset(SampleRequests.SessionTime),
                TimeZone = "America/Argentina/ComodRivadavia",
                Setting = Setting.Home,
                Pressure = Pressure.Light,
                MedicalRelease = true,
                Areas = { System.Enum.GetValues<BodyArea>().Where(a => a != BodyArea.Unspecified) },
            },
            Observations = new Observations { TemperatureCelsius = 36.8, MinutesSinceLastFeed = 45 },
            Explain = true,
        };
        for (var i = 0; i < RequestValidator.MaxConditions; i++)
        {
            request.Conditions.Add(new Condition
            {
                System = "http://hl7.org/fhir/sid/icd-10-cm",
                Code = "Z" + new string('9', RequestValidator.MaxCodeLength - 1),
                Display = new string(ThreeBytes, RequestValidator.MaxDisplayLength),
                Status = ConditionStatus.Active,
                OnsetDate = "2025-04-01",
                BodySite = BodyArea.Back,
            });
        }

        return request;
    }
}
