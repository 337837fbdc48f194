using System.Diagnostics;
using System.Diagnostics.Metrics;
using SafetyCheck.Core.Telemetry;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// The audit writer's instruments on the <c>SafetyCheck</c> meter: how long each group commit of decision records took
/// (<c>safetycheck.audit.commit.duration</c>, seconds) and how many records it held
/// (<c>safetycheck.audit.commit.batch_size</c>, records). One recording per commit, none per record; nothing is recorded
/// while no listener is enabled. Shared by every writer in the process (a writer has no host to hand it a meter factory).
/// </summary>
internal static class AuditCommitMetrics
{
    private static readonly Meter Meter = new(SafetyCheckTelemetry.Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "safetycheck.audit.commit.duration",
        unit: "s",
        description: "Time one group commit of audit entries took in the audit store, until durable.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>(
        "safetycheck.audit.commit.batch_size",
        unit: "{record}",
        description: "Audit entries of every kind (decisions, reloads, outages, ...) committed together in one write (group commit).",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });

    /// <summary>Records one commit of <paramref name="records"/> records that started at <paramref name="startedTimestamp"/> (<see cref="Stopwatch.GetTimestamp()"/>).</summary>
    public static void Committed(int records, long startedTimestamp)
    {
        if (Duration.Enabled)
        {
            Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
        }

        if (BatchSize.Enabled)
        {
            BatchSize.Record(records);
        }
    }
}
