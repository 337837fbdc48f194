using System.Diagnostics;

namespace SafetyCheck.Core.Telemetry;

/// <summary>
/// The names under which the service reports itself to OpenTelemetry: the <c>SafetyCheck</c> meter and activity source,
/// and the span and attribute names of a decision. Spans carry the decision id, the rule revision, the verdict and counts;
/// never a patient_ref, a birth date or a code the caller sent. Starting a span costs nothing while no listener samples
/// the source.
/// </summary>
public static class SafetyCheckTelemetry
{
    /// <summary>The meter and activity source name (<c>SafetyCheck</c>).</summary>
    public const string Name = "SafetyCheck";

    /// <summary>Span: the request's fields are checked.</summary>
    public const string ValidateSpan = "validate";

    /// <summary>Span: facts are derived and the rules evaluated and combined.</summary>
    public const string EvaluateSpan = "evaluate";

    /// <summary>Span: the decision is recorded in the audit trail (or, for <c>eval</c>, not).</summary>
    public const string RecordSpan = "record";

    /// <summary>Attribute: the decision id (a UUIDv7 the service issued).</summary>
    public const string DecisionIdAttribute = "safetycheck.decision_id";

    /// <summary>Attribute: the rule revision (SHA-256 hex of the rule set).</summary>
    public const string RevisionAttribute = "safetycheck.revision";

    /// <summary>Attribute: the verdict (<c>SUITABLE</c>, …).</summary>
    public const string VerdictAttribute = "safetycheck.verdict";

    /// <summary>Attribute: how many field violations a rejected request had.</summary>
    public const string ViolationCountAttribute = "safetycheck.violation_count";

    /// <summary>Attribute: how many rules fired.</summary>
    public const string FiredCountAttribute = "safetycheck.fired_rule_count";

    /// <summary>The activity source of the decision spans.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);
}
