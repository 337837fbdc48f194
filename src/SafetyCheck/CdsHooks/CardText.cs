using SafetyCheck.Core.Domain;

namespace SafetyCheck.CdsHooks;

/// <summary>The fixed wording of cards: summaries by verdict and what to do.</summary>
internal static class CardText
{
    /// <summary>Longest summary: the specification asks for fewer than 140 characters.</summary>
    public const int MaxSummary = 139;

    /// <summary>
    /// The verdict card's summary. <paramref name="precautions"/> counts the precautions that limit the session (outcome
    /// above SUITABLE); <paramref name="guidance"/> the guidance ones (INFO, outcome SUITABLE), which do not lower the
    /// verdict but are listed below it: a SUITABLE verdict with guidance never says "no precautions".
    /// </summary>
    public static string VerdictSummary(Suitability verdict, int precautions, int guidance) => verdict switch
    {
        Suitability.NotSuitable => "Massage is not suitable for this child now: see why before booking or ordering",
        Suitability.ClinicianReviewRequired => "A clinician must review this child before the massage session",
        Suitability.SuitableWithPrecautions => precautions == 1
            ? "Massage is suitable with 1 precaution for the therapist"
            : $"Massage is suitable with {precautions} precautions for the therapist",
        _ => guidance switch
        {
            0 => NoPrecautionsFound,
            1 => "Massage is suitable as planned, with 1 guidance note for the therapist",
            _ => $"Massage is suitable as planned, with {guidance} guidance notes for the therapist",
        },
    };

    /// <summary>
    /// The SUITABLE summary without precautions: it says no more than what was checked (the conditions and
    /// observations read, <see cref="WhatWasRead"/>), never "for this child".
    /// </summary>
    public const string NoPrecautionsFound = "Massage is suitable: no precautions found in the conditions and observations read";

    /// <summary>What the check reads of the child's record, and what it does not: on every verdict card (the prefetch of <see cref="CdsServices"/>).</summary>
    public const string WhatWasRead =
        "**What the check read:** the Patient (birth date), the child's Conditions (problem list and diagnoses, resolved ones too), " +
        "and Observations of gestational age at birth, birth weight and body temperature; and the planned session as the EHR sent it.\n\n" +
        "**What it did not read:** immunisations (Immunization), procedures (Procedure), medicines (MedicationRequest, MedicationStatement, " +
        "MedicationAdministration) and allergies (AllergyIntolerance), nor notes. A vaccination, an operation, a medicine or an allergy " +
        "recorded only there is not seen by this check: look at them before the session.";

    public static string WhatToDo(Suitability verdict, int guidance) => verdict switch
    {
        Suitability.NotSuitable => "**What to do:** do not go ahead with this massage session. Discuss it with the child's clinician; the precautions below say why, and when it may be reconsidered.",
        Suitability.ClinicianReviewRequired => "**What to do:** before the session, the child's clinician reviews the precautions below and either releases the child for massage or changes the plan. Check again after the plan or the record changes.",
        Suitability.SuitableWithPrecautions => "**What to do:** the session can go ahead if the therapist follows every precaution below.",
        _ when guidance > 0 => "**What to do:** the session can go ahead as planned; the guidance below is for the therapist (it does not limit the session).",
        _ => "**What to do:** the session can go ahead as planned.",
    };

    public const string CheckNotMade = "Massage safety check could not be made: do not rely on it for this session";

    public const string UntilChecked = "**What to do:** until the check is made, treat the session as needing a clinician's review before it goes ahead.";

    /// <summary>
    /// <paramref name="summary"/> first, then <paramref name="session"/> (the session's local date and time, when a call
    /// has several) in brackets; the summary is shortened with an ellipsis so the whole stays within
    /// <see cref="MaxSummary"/> characters and the session is never cut off.
    /// </summary>
    public static string Summary(string? session, string summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var suffix = string.IsNullOrEmpty(session) ? "" : $" ({session})";
        var room = MaxSummary - suffix.Length;
        var text = summary.Length <= room ? summary : summary[..(room - 1)].TrimEnd() + "…";
        return text + suffix;
    }

    /// <summary>Contract name in lower case words: <c>NOT_SUITABLE</c> → <c>not suitable</c>.</summary>
    public static string Words<T>(T value)
        where T : struct, Enum => EnumNames.Of(value).Replace('_', ' ').ToLowerInvariant();
}
