namespace SafetyCheck.Core.Domain;

/// <summary>How urgent a precaution is; maps to CDS Hooks card indicators (info, warning, critical).</summary>
public enum Severity
{
    Unspecified = 0,
    Info = 1,
    Caution = 2,
    Warning = 3,
    Critical = 4,
}
