namespace SafetyCheck.Core.Rules;

/// <summary>
/// The unit of a number in a rule expression or of a policy parameter, as far as the literal-number review needs it
/// (see <see cref="LiteralParameterReview"/>). Facts name their unit (<c>AgeDays</c>, <c>BirthWeightGrams</c>);
/// parameters say it in their <c>unit</c>.
/// </summary>
internal enum MeasureUnit
{
    /// <summary>No unit known: never matched.</summary>
    None = 0,
    Days,
    Weeks,
    Months,
    Years,
    Grams,
    Celsius,
    Minutes,
}
