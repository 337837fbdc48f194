using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Telemetry;

namespace SafetyCheck.IntegrationTests.Telemetry;

/// <summary>
/// Every metric, span and log record the service exports, caught by OpenTelemetry's in-memory exporters while Check is
/// called with patient data: the counts are there, the patient data is nowhere.
/// </summary>
public sealed class TelemetryPrivacyTests
{
    private const string PatientRef = "MRN-5518-ZETA-ONLY-HERE";
    private const string BirthDate = "2024-12-30";
    private const string ConditionCode = "24079001";

    [Fact]
    public async Task Check_WithPatientData_NoMetricSpanOrLogAttributeHoldsIt()
    {
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        var logs = new List<LogRecord>();
        var host = await TestServerHost.StartAsync(
            TestPaths.Rules,
            configure: b => b.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
                o.AddInMemoryExporter(logs);
            }),
            configureServices: s => s.AddSafetyCheckOpenTelemetry(tracing: true)
                .WithMetrics(m => m.AddInMemoryExporter(metrics))
                .WithTracing(t => t.AddInMemoryExporter(spans)));
        string decisionId;
        await using (host)
        {
            var request = AuditRequests.Eczema("telemetry");
            request.Patient.PatientRef = PatientRef;
            request.Patient.BirthDate = BirthDate;
            var response = await host.Client.CheckAsync(request);
            decisionId = response.DecisionId;
            await host.Client.CheckAsync(AuditRequests.Fever("fever"));
            var invalid = AuditRequests.Infant("invalid", PatientRef);
            invalid.Patient.BirthDate = "1800-01-01";
            await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => host.Client.CheckAsync(invalid).ResponseAsync);
            host.Services.GetRequiredService<MeterProvider>().ForceFlush();
            host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        }

        // What is there: decisions by verdict, the rule that fired, and spans of this decision.
        var decisions = metrics.Where(m => m.Name == "safetycheck.decisions").SelectMany(m => m.MetricPoints).ToArray();
        Assert.Contains(decisions, p => Tags(p).Contains(new("verdict", "SUITABLE_WITH_PRECAUTIONS")));
        Assert.Contains(decisions, p => Tags(p).Contains(new("verdict", "NOT_SUITABLE")));
        Assert.Contains(metrics.Where(m => m.Name == "safetycheck.rule.firings").SelectMany(m => m.MetricPoints), p => Tags(p).Contains(new("rule", "eczema")));
        Assert.Contains(metrics, m => m.Name == "safetycheck.decision.duration");
        Assert.Contains(metrics, m => m.Name == "safetycheck.calls.rejected");
        var ours = spans.Where(s => s.TraceId == spans.Single(r => r.OperationName == "record" && Equals(r.GetTagItem("safetycheck.decision_id"), decisionId)).TraceId).ToArray();
        Assert.Contains(ours, s => s.OperationName == "validate");
        Assert.Contains(ours, s => s.OperationName == "evaluate");
        Assert.Contains(logs, l => l.Attributes?.Any(a => a.Key == "DecisionId" && Equals(a.Value, decisionId)) == true);

        // What is not: the patient_ref, the birth date, the condition code, anywhere.
        var exported = new List<string>();
        foreach (var metric in metrics)
        {
            exported.Add(metric.Name);
            exported.AddRange(metric.MetricPoints.SelectMany(Tags).Select(t => $"{t.Key}={t.Value}"));
        }

        foreach (var span in spans)
        {
            exported.Add(span.DisplayName);
            exported.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            exported.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")));
            exported.AddRange(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
        }

        foreach (var log in logs)
        {
            exported.Add(log.FormattedMessage ?? "");
            exported.Add(log.Body ?? "");
            exported.AddRange((log.Attributes ?? []).Select(a => $"{a.Key}={a.Value}"));
            log.ForEachScope<object?>(
                (scope, _) =>
                {
                    foreach (var item in scope)
                    {
                        exported.Add($"{item.Key}={item.Value}");
                    }
                },
                null);
        }

        Assert.True(exported.Count > 100, $"only {exported.Count} exported values");
        foreach (var secret in new[] { PatientRef, BirthDate, "1800-01-01", ConditionCode })
        {
            Assert.DoesNotContain(exported, e => e.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }
}
