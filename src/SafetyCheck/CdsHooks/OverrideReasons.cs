using SafetyCheck.Audit.Feedback;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The override reasons the cards offer (CDS Hooks <c>overrideReasons</c>): one list, which the cards send
/// (<see cref="CdsCards"/>) and against which feedback is read (<see cref="FeedbackReader"/>), so that feedback can name
/// only a reason a card offered and the audit trail keeps the service's own display for it.
/// </summary>
internal static class OverrideReasons
{
    /// <summary>The system of the override reasons the cards offer.</summary>
    public const string CodeSystem = "urn:safetycheck:cds-override-reason";

    /// <summary>The reasons, in the order a card offers them.</summary>
    public static IReadOnlyList<OverrideReasonCode> All { get; } =
    [
        new(CodeSystem, "clinician-cleared", "The child's clinician has reviewed this and cleared the session"),
        new(CodeSystem, "plan-changed", "The session plan was changed to follow this"),
        new(CodeSystem, "record-incorrect", "The record the check used is incorrect"),
    ];

    /// <summary>The codes, comma-separated, for a refusal to list.</summary>
    public static string Codes { get; } = string.Join(", ", All.Select(r => r.Code));

    /// <summary>The reason with <paramref name="code"/> (ordinal), or null when the cards offer none with it.</summary>
    public static OverrideReasonCode? Find(string? code) => All.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));
}
