namespace SafetyCheck.Fhir.Mapping;

/// <summary>Something the caller sent that the check did not use, and why: reported with every answer, never dropped silently.</summary>
/// <param name="Path">The resource or element: <c>Condition/c1</c>, <c>Condition/c1.code.coding[1]</c>, <c>Bundle.entry[4].resource</c>.</param>
/// <param name="Reason">Why it was not used, in words an integrator can act on.</param>
public sealed record IgnoredElement(string Path, string Reason)
{
    /// <summary><c>path: reason</c>, one line.</summary>
    public override string ToString() => $"{Path}: {Reason}";
}
