using Hl7.Fhir.Model;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// Tells whether a reference names the Patient of this check: <c>Patient/ID</c>, an absolute URL ending in
/// <c>/Patient/ID</c> (with or without <c>/_history/N</c>), or the Patient entry's <c>fullUrl</c>.
/// </summary>
internal sealed class SubjectMatcher(string? patientId, string? fullUrl)
{
    /// <summary>
    /// Why a resource about someone else is not used. The reference it names is not repeated: it identifies another
    /// patient, and the reason is shown in this child's EHR (a card) and in logs of the check.
    /// </summary>
    public const string OtherSubjectReason = "its subject is another patient, not the Patient of this check (the reference is not repeated here)";

    public SubjectMatch Classify(ResourceReference? subject)
    {
        var reference = subject?.Reference;

        // A local reference (#id) names a resource contained in the one that holds it: whose it is cannot be told from
        // here, as with no reference at all (a condition is then kept, a measurement is not).
        if (string.IsNullOrEmpty(reference) || reference.StartsWith('#'))
        {
            return SubjectMatch.Unknown;
        }

        if (fullUrl is not null && reference == fullUrl)
        {
            return SubjectMatch.ThisPatient;
        }

        if (!string.IsNullOrEmpty(patientId) && PatientIdOf(reference) == patientId)
        {
            return SubjectMatch.ThisPatient;
        }

        return SubjectMatch.Other;
    }

    /// <summary>
    /// The Patient id a reference names (<c>Patient/ID</c>, or an absolute URL ending in <c>/Patient/ID</c>, with or
    /// without <c>/_history/N</c>); null when it names no Patient.
    /// </summary>
    public static string? PatientIdOf(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var parts = (history < 0 ? reference : reference[..history]).Split('/');
        return parts.Length >= 2 && parts[^2] == "Patient" && parts[^1].Length > 0 ? parts[^1] : null;
    }
}
