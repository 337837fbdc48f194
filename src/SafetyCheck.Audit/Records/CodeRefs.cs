using SafetyCheck.Core.Domain;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// How a v2 record writes a coded reference: <c>&lt;system&gt;|&lt;code&gt;</c> in one string, the supported code
/// systems by a short alias — <c>sct</c> (SNOMED CT), <c>icd10cm</c> (ICD-10-CM), <c>condition</c> (the catalog's own
/// ids) — and any other system as its absolute URI, which has a colon and no <c>|</c>, so an alias and a URI never
/// meet. The aliases are part of schema v2 and never change meaning.
/// </summary>
public static class CodeRefs
{
    private static readonly (string Alias, string System)[] Aliases =
    [
        ("sct", CodeSystems.SnomedCt),
        ("icd10cm", CodeSystems.Icd10Cm),
        ("condition", CodeSystems.Catalog),
    ];

    /// <summary>The alias of <paramref name="system"/>, or the system itself.</summary>
    /// <exception cref="ArgumentException">The system is not an absolute URI (no colon) or holds a <c>|</c>.</exception>
    public static string SystemPart(string system)
    {
        ArgumentNullException.ThrowIfNull(system);
        foreach (var (alias, known) in Aliases)
        {
            if (string.Equals(system, known, StringComparison.Ordinal))
            {
                return alias;
            }
        }

        return system.Contains(':', StringComparison.Ordinal) && !system.Contains('|', StringComparison.Ordinal)
            ? system
            : throw new ArgumentException($"The code system '{system}' is not an absolute URI without '|'; a record cannot name it.", nameof(system));
    }

    /// <summary>The system and code of a reference written by a v2 record.</summary>
    /// <exception cref="InvalidDataException">The text is not <c>system|code</c> with a known alias or a URI.</exception>
    public static (string System, string Code) Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var bar = reference.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0)
        {
            throw new InvalidDataException($"'{reference}' is not a coded reference (system|code)");
        }

        var system = reference[..bar];
        foreach (var (alias, known) in Aliases)
        {
            if (string.Equals(system, alias, StringComparison.Ordinal))
            {
                return (known, reference[(bar + 1)..]);
            }
        }

        return system.Contains(':', StringComparison.Ordinal)
            ? (system, reference[(bar + 1)..])
            : throw new InvalidDataException($"'{system}' in '{reference}' is neither a code system alias nor a URI");
    }
}
