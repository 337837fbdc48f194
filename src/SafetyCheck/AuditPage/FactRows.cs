using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Every fact of a record as the rules saw it, named as the record names it (<c>AgeDays</c> → <c>age_days</c>), read from
/// <see cref="ChildFacts"/> member by member so that a fact added to the vocabulary shows up without an edit here.
/// Conditions get a row each. Nothing here can name the patient: facts hold ages and codes, never an identifier.
/// </summary>
internal static class FactRows
{
    private static readonly MethodInfo EnumName = typeof(EnumNames).GetMethod(nameof(EnumNames.Of))!;

    public static IReadOnlyList<FactRow> Of(ChildFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var rows = new List<FactRow>();
        foreach (var property in typeof(ChildFacts).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsShown))
        {
            var value = property.GetValue(facts);
            if (value is IEnumerable<FactCondition> conditions)
            {
                rows.AddRange(conditions.Select(c => new FactRow("condition", Condition(c))));
                continue;
            }

            rows.Add(new FactRow(SnakeCase(property.Name), Format(value)));
        }

        return rows;
    }

    /// <summary>
    /// Every public fact but the enum twins (<c>AgeBandValue</c> beside <c>AgeBand</c>): the page shows each fact once,
    /// by its contract name.
    /// </summary>
    private static bool IsShown(PropertyInfo property) =>
        property.GetIndexParameters().Length == 0
        && !(property.PropertyType.IsEnum && property.Name.EndsWith("Value", StringComparison.Ordinal));

    /// <summary><c>eczema (http://snomed.info/sct|24079001), ACTIVE, onset 2025-01-02, at ARMS</c>.</summary>
    public static string Condition(FactCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var text = new StringBuilder($"{condition.Id} ({condition.Reference}), {EnumNames.Of(condition.Status)}");
        if (condition.OnsetDate is { } onset)
        {
            text.Append(", onset ").Append(onset.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture));
        }

        if (condition.BodySite is { } site)
        {
            text.Append(", at ").Append(EnumNames.Of(site));
        }

        return text.ToString();
    }

    public static string Format(object? value) => value switch
    {
        null => "unknown",
        bool b => b ? "yes" : "no",
        DateOnly d => d.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture),
        Enum e => (string)EnumName.MakeGenericMethod(e.GetType()).Invoke(null, [e])!,
        string s => s,
        IEnumerable list => string.Join(", ", list.Cast<object?>().Select(Format)) is { Length: > 0 } joined ? joined : "none",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string SnakeCase(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1])))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(pascal[i]));
        }

        return text.ToString();
    }
}
