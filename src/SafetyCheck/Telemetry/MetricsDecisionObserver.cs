using SafetyCheck.Core.Pipeline;

namespace SafetyCheck.Telemetry;

/// <summary>Hands every outcome of the decision pipeline to <see cref="SafetyCheckMetrics"/>.</summary>
internal sealed class MetricsDecisionObserver(SafetyCheckMetrics metrics) : IDecisionObserver
{
    public void Decided(Decided decision, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(decision);
        metrics.Decided(decision.Assessment, elapsed);
    }

    public void Rejected(Rejected rejection, TimeSpan elapsed) => metrics.Rejected(elapsed);

    public void Unavailable(Unavailable unavailable, TimeSpan elapsed) => metrics.Unavailable(elapsed);
}
