using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Evaluation;

/// <summary>A code as the caller sent it, with the status it was sent with.</summary>
/// <param name="System">The code system, as sent.</param>
/// <param name="Code">The code, as sent.</param>
/// <param name="Status">Active or resolved.</param>
/// <param name="Reason">
/// Why the catalog did not recognise it (<c>not in the catalog</c>, <c>not an ICD-10-CM FY2026 code</c>, <c>not a valid
/// SNOMED CT id</c>); empty when not known, as for codes read back from an audit record, which does not keep it
/// (it follows from the code and the rule revision).
/// </param>
public sealed record CodeReference(string System, string Code, ConditionStatus Status = ConditionStatus.Active, string Reason = "");
