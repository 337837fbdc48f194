using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// Loads the condition catalog (<c>conditions.json</c>) strictly, reporting every problem at once as
/// <c>file:line:col: message</c> with the position of the first character of the offending property name or value.
/// </summary>
/// <remarks>
/// <para>The format:</para>
/// <code>
/// { "conditions": [
///   { "id": "fever", "display": "Fever", "icd10": ["R50", "P81.9"], "snomed": ["386661006"] },
///   { "id": "acute-infection", "display": "Acute infection", "icd10": ["A00-B89", "J00-J06"], "icd10Exclude": ["B18"] },
///   { "id": "fracture", "display": "Fracture", "icd10": [{ "code": "S42", "seventh": "ABCDEFGHJKMNPQR" }] },
///   { "id": "preterm-birth", "display": "Preterm newborn", "benign": true, "icd10": [{ "code": "P07.32", "gestationalWeeks": 29 }, "P07.3"] }
/// ] }
/// </code>
/// <list type="bullet">
/// <item><c>id</c> (required): unique, lower-case kebab-case <c>[a-z0-9]+(-[a-z0-9]+)*</c>.</item>
/// <item><c>display</c> (required): a non-empty string.</item>
/// <item><c>benign</c>: true for a known-benign condition (recognised, no rule concerns it); default false.</item>
/// <item><c>icd10</c>: patterns (see <see cref="Icd10Pattern"/>): a string, or an object with <c>code</c>,
/// optional <c>seventh</c> (allowed 7th-character letters) and optional <c>gestationalWeeks</c> (22–44, a single
/// code only). A normalised pattern may appear only once in the whole catalog.</item>
/// <item><c>icd10Exclude</c>: pattern strings this condition must not match; each must overlap one of its
/// <c>icd10</c> patterns.</item>
/// <item><c>snomed</c>: SNOMED CT concept ids, strings of 6 to 18 digits with a valid check digit and a concept
/// partition (see <see cref="Terminology.SnomedCtId"/>); each in one condition only. A row's concept also covers the
/// descendants its frozen expansion lists (<c>terminology/snomed/&lt;id&gt;.json</c>, see <see cref="ConditionCatalog"/>).</item>
/// <item><c>overrides</c>: ids of other conditions this one takes codes from on purpose (its more specific ICD-10-CM
/// patterns, its SNOMED CT subtypes in a tie, the ids it names exactly that their expansions list), so that
/// <c>check</c> does not warn about them; two conditions cannot override each other. An entry may instead be
/// <c>{ "condition": "acute-infection", "snomed": ["45261009"] }</c>: ids of this condition's own <c>snomed</c> list that
/// it takes from that condition's expansions on purpose, and nothing else (it decides no tie and acknowledges no
/// ICD-10-CM overlap, so it may name a condition that overrides this one).</item>
/// </list>
/// <para>
/// Unknown properties, duplicate properties, wrong types and JSON that only Newtonsoft tolerates (trailing commas,
/// single quotes, unquoted names) are errors. Comments are allowed. A condition without codes is allowed: it is
/// reachable through the catalog's own code system by its id.
/// </para>
/// </remarks>
public static class CatalogLoader
{
    /// <summary>Reads and loads the catalog at <paramref name="path"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">The name diagnostics use, e.g. <c>conditions.json</c> relative to the rule directory.</param>
    public static CatalogLoadResult Load(string path, string displayName)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(displayName);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException exception)
        {
            return Failure(displayName, $"cannot read the condition catalog: {exception.Message}");
        }
        catch (UnauthorizedAccessException exception)
        {
            return Failure(displayName, $"cannot read the condition catalog: {exception.Message}");
        }

        return Parse(json, displayName);
    }

    /// <summary>Loads the catalog from its JSON text.</summary>
    /// <param name="json">The content of <c>conditions.json</c>.</param>
    /// <param name="displayName">The name diagnostics use.</param>
    public static CatalogLoadResult Parse(string json, string displayName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(displayName);
        var diagnostics = new List<Diagnostic>();
        var source = JsonSourceMap.Read(json, displayName, diagnostics);
        IReadOnlyList<CatalogCondition>? conditions = source.Root is null
            ? null
            : new CatalogDocumentReader(source).Read(source.Root);
        if (conditions is null || diagnostics.Count > 0)
        {
            Diagnostic[] ordered = [.. diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)];
            return new CatalogLoadResult(null, ordered.AsReadOnly());
        }

        return new CatalogLoadResult(new ConditionCatalog(conditions), []);
    }

    private static CatalogLoadResult Failure(string file, string message) =>
        new(null, new[] { new Diagnostic(file, 0, 0, message) }.AsReadOnly());
}
