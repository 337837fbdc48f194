namespace SafetyCheck.Fhir.Mapping;

/// <summary>Something the caller sent that the check did not use, and why: reported with every answer, never dropped silently.</summary>
/// <param name="Path">The resource or element: <c>Condition/c1</c>, <c>Condition/c1.code.coding[1]</c>, <c>Bundle.entry[4].resource</c>.</param>
/// <param name="Reason">Why it was not used, in words an integrator can act on.</param>
public sealed record IgnoredElement(string Path, string Reason)
{
    /// <summary>
    /// What it holds may change the verdict and the check could not read it (a record of a kind the check does not
    /// read, a condition it cannot recognise): listed before the rest, which is bookkeeping.
    /// </summary>
    public bool MayMatter { get; init; }

    /// <summary><c>path: reason</c>, one line.</summary>
    public override string ToString() => $"{Path}: {Reason}";
}
