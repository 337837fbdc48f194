using System.Globalization;
using System.Security.Cryptography;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>
/// What differs between two archived revisions: rules added, removed or changed (property by property: the
/// expression, what it contributes, its texts, its evidence), policy parameters, and files (the catalog and
/// terminology are compared as files). Rules are matched by id; a rule's line is not compared, since editing one rule
/// moves the others.
/// </summary>
/// <param name="From">The earlier revision.</param>
/// <param name="To">The later revision.</param>
/// <param name="Rules">Changed, added and removed rules, by rule id.</param>
/// <param name="Unchanged">Rules that are the same in both.</param>
/// <param name="Parameters">Policy parameters that differ, by name.</param>
/// <param name="Files">Files added, removed or changed, by path: <see cref="FieldChange.Field"/> is the path, before and after their SHA-256.</param>
public sealed record RevisionComparison(
    RulesetIdentity From,
    RulesetIdentity To,
    IReadOnlyList<RuleChange> Rules,
    int Unchanged,
    IReadOnlyList<FieldChange> Parameters,
    IReadOnlyList<FieldChange> Files)
{
    public static RevisionComparison Of(RuleSet from, RuleSet to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var before = from.Rules.ToDictionary(r => r.RuleId, StringComparer.Ordinal);
        var after = to.Rules.ToDictionary(r => r.RuleId, StringComparer.Ordinal);
        var rules = new List<RuleChange>();
        var unchanged = 0;
        foreach (var id in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.GetValueOrDefault(id);
            var now = after.GetValueOrDefault(id);
            if (was is null || now is null)
            {
                rules.Add(new RuleChange(id, was is null ? "added" : "removed", [], was, now));
                continue;
            }

            var fields = Fields(was, now);
            if (fields.Count == 0)
            {
                unchanged++;
            }
            else
            {
                rules.Add(new RuleChange(id, "changed", fields, was, now));
            }
        }

        return new RevisionComparison(from.Identity, to.Identity, rules, unchanged, CompareParameters(from, to), CompareFiles(from, to));
    }

    private static List<FieldChange> Fields(RuleDefinition was, RuleDefinition now)
    {
        var fields = new List<FieldChange>();
        void Compare(string field, string before, string after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                fields.Add(new FieldChange(field, before, after));
            }
        }

        Compare("expression", was.Expression, now.Expression);
        Compare("kind", EnumNames.Of(was.Kind), EnumNames.Of(now.Kind));
        Compare("outcome", EnumNames.Of(was.Outcome), EnumNames.Of(now.Outcome));
        Compare("severity", EnumNames.Of(was.Severity), EnumNames.Of(now.Severity));
        Compare("summary", was.Summary, now.Summary);
        Compare("detail", was.Detail, now.Detail);
        Compare("topic", was.Topic, now.Topic);
        Compare("avoid areas", Names(was.AvoidAreas), Names(now.AvoidAreas));
        Compare("avoid the condition's site", was.AvoidConditionSite ? "yes" : "no", now.AvoidConditionSite ? "yes" : "no");
        Compare("max pressure", EnumNames.Of(was.MaxPressure), EnumNames.Of(now.MaxPressure));
        Compare("conflict outcome", EnumNames.Of(was.ConflictOutcome), EnumNames.Of(now.ConflictOutcome));
        Compare("conditions", string.Join(", ", was.ConditionIds), string.Join(", ", now.ConditionIds));
        Compare("evidence grade", was.Evidence.Grade, now.Evidence.Grade);
        Compare("citations", Citations(was.Evidence), Citations(now.Evidence));
        Compare("file", was.File, now.File);
        return fields;
    }

    private static List<FieldChange> CompareParameters(RuleSet from, RuleSet to)
    {
        var before = from.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var after = to.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(name => new FieldChange(name, Parameter(before.GetValueOrDefault(name)), Parameter(after.GetValueOrDefault(name))))
            .Where(c => c.Before != c.After)];
    }

    private static List<FieldChange> CompareFiles(RuleSet from, RuleSet to)
    {
        var before = from.Files.ToDictionary(f => f.Path, f => Hash(f.Content), StringComparer.Ordinal);
        var after = to.Files.ToDictionary(f => f.Path, f => Hash(f.Content), StringComparer.Ordinal);
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(path => new FieldChange(path, before.GetValueOrDefault(path) ?? "", after.GetValueOrDefault(path) ?? ""))
            .Where(c => c.Before != c.After)];
    }

    private static string Parameter(PolicyParameter? parameter) =>
        parameter is null ? "" : $"{parameter.Value.ToString(CultureInfo.InvariantCulture)} {parameter.Unit}".Trim();

    private static string Names(IEnumerable<BodyArea> areas) => string.Join(", ", areas.Select(EnumNames.Of));

    private static string Citations(Evidence evidence) =>
        string.Join("; ", evidence.Citations.Select(c => $"{c.Title} ({c.Year.ToString(CultureInfo.InvariantCulture)}){(c.Url.Length > 0 ? " " + c.Url : "")}"));

    private static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
