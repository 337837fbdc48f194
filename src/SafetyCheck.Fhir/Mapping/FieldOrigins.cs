using SafetyCheck.Core.Validation;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// Which FHIR element each request field came from, so that a violation the check reports on a request field
/// (<c>conditions[2].onset_date</c>) names what the caller sent (<c>Condition/c3.onsetDateTime</c>).
/// </summary>
public sealed class FieldOrigins
{
    private readonly Dictionary<string, string> origins = new(StringComparer.Ordinal);

    internal void Add(string requestField, string fhirElement)
    {
        if (fhirElement.Length > 0)
        {
            origins[requestField] = fhirElement;
        }
    }

    /// <summary>
    /// The violation with its field renamed to the FHIR element it came from (the longest request-field prefix that
    /// is known); unchanged when the field did not come from FHIR (the session's fields).
    /// </summary>
    public FieldViolation ToFhir(FieldViolation violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        var field = violation.Field;
        for (var prefix = field; prefix.Length > 0; prefix = Parent(prefix))
        {
            if (origins.TryGetValue(prefix, out var element))
            {
                return violation with { Field = element };
            }
        }

        return violation;
    }

    /// <summary><c>a.b[2].c</c> → <c>a.b[2]</c> → <c>a.b</c> → <c>a</c> → empty.</summary>
    private static string Parent(string path)
    {
        var cut = path.LastIndexOfAny(['.', '[']);
        return cut <= 0 ? "" : path[..cut];
    }
}
