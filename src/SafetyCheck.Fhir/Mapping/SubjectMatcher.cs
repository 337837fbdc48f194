using Hl7.Fhir.Model;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// Tells whether a reference names the Patient of this check: <c>Patient/ID</c>, an absolute URL ending in
/// <c>/Patient/ID</c> (with or without <c>/_history/N</c>), or the Patient entry's <c>fullUrl</c>.
/// </summary>
internal sealed class SubjectMatcher(string? patientId, string? fullUrl)
{
    public SubjectMatch Classify(ResourceReference? subject)
    {
        var reference = subject?.Reference;
        if (string.IsNullOrEmpty(reference))
        {
            return SubjectMatch.Unknown;
        }

        if (fullUrl is not null && reference == fullUrl)
        {
            return SubjectMatch.ThisPatient;
        }

        if (!string.IsNullOrEmpty(patientId))
        {
            var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
            var target = history < 0 ? reference : reference[..history];
            var local = "Patient/" + patientId;
            if (target == local || target.EndsWith("/" + local, StringComparison.Ordinal))
            {
                return SubjectMatch.ThisPatient;
            }
        }

        return SubjectMatch.Other;
    }
}
