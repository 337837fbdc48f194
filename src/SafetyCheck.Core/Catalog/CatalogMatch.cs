namespace SafetyCheck.Core.Catalog;

/// <summary>The catalog entry an input code resolved to.</summary>
/// <param name="ConditionId">Canonical condition id.</param>
/// <param name="KnownBenign">Recognised, and no rule concerns it.</param>
/// <param name="GestationalWeeks">Completed gestational weeks the code encodes (preterm-weeks codes); else null.</param>
public sealed record CatalogMatch(string ConditionId, bool KnownBenign, int? GestationalWeeks);
