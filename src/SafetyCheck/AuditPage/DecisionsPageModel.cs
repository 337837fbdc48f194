using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>The decision list: the filters as typed, one page of decisions newest first, and the link to the older ones.</summary>
/// <param name="Frame">The page frame.</param>
/// <param name="Form">The filters and their problems.</param>
/// <param name="Rows">This page's decisions; empty when a filter is not acceptable.</param>
/// <param name="OlderLink">The link to the next, older page; null on the last page.</param>
/// <param name="IsFirstPage">False when this page was reached by paging.</param>
/// <param name="Revisions">The archived revisions, for the revision filter.</param>
/// <param name="RuleIds">Rule ids suggested for the rule filter (those of the rules served now).</param>
public sealed record DecisionsPageModel(
    PageFrame Frame,
    DecisionFilterForm Form,
    IReadOnlyList<DecisionRow> Rows,
    string? OlderLink,
    bool IsFirstPage,
    IReadOnlyList<RulesetIdentity> Revisions,
    IReadOnlyList<string> RuleIds);
