namespace SafetyCheck.AuditPage;

/// <summary>The pictures: verdicts per day and each rule's firings per revision, over a period of whole UTC days.</summary>
/// <param name="Frame">The page frame.</param>
/// <param name="From">First day (inclusive).</param>
/// <param name="To">Last day (inclusive).</param>
/// <param name="Problem">Why the period given was not used; null when it was.</param>
/// <param name="Days">Verdicts per day; empty when the store keeps no counts.</param>
/// <param name="VerdictSvg">The verdicts picture (SVG markup written by the server, every text escaped).</param>
/// <param name="Firings">Firings per rule and revision.</param>
/// <param name="FiringSvg">The firings picture.</param>
public sealed record PicturesPageModel(
    PageFrame Frame,
    DateOnly From,
    DateOnly To,
    string? Problem,
    IReadOnlyList<DayVerdicts> Days,
    string VerdictSvg,
    FiringMatrix Firings,
    string FiringSvg);
