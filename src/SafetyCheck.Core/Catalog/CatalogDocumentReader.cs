using System.Globalization;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// Walks a loaded <c>conditions.json</c> tree, checks it strictly and builds its conditions, reporting every
/// problem at the start of the offending property name or value. Any reported problem means no catalog.
/// </summary>
internal sealed class CatalogDocumentReader
{
    private static readonly string[] RootProperties = [SchemaReference.MemberName, "conditions"];
    private static readonly string[] ConditionProperties = ["id", "display", "benign", "icd10", "icd10Exclude", "snomed", "overrides"];
    private static readonly string[] PatternProperties = ["code", "seventh", "gestationalWeeks"];
    private static readonly string[] SnomedOverrideProperties = ["condition", "snomed"];

    private readonly JsonSourceMap source;
    private readonly Dictionary<string, SourcePosition> ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Owner> snomedOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Owner> patternOwners = new(StringComparer.Ordinal);
    private readonly List<(string Owner, string Id, JToken Token, bool SnomedOnly)> overrides = [];
    private bool failed;

    public CatalogDocumentReader(JsonSourceMap source)
    {
        this.source = source;
    }

    /// <summary>The conditions of the document in file order; null when any problem was reported.</summary>
    public IReadOnlyList<CatalogCondition>? Read(JToken root)
    {
        if (root is not JObject document)
        {
            Report(root, "expected an object with a 'conditions' array at the top level");
            return null;
        }

        JArray? list = null;
        bool seen = false;
        foreach (JProperty property in document.Properties())
        {
            if (property.Name == SchemaReference.MemberName)
            {
                // The editor's schema reference: a non-empty string, nothing else is read from it.
                if (property.Value.Type != JTokenType.String || string.IsNullOrWhiteSpace(Text(property.Value)))
                {
                    Report(property.Value, $"'{SchemaReference.MemberName}' must be a non-empty string: the relative path of the file's JSON Schema");
                }

                continue;
            }

            if (property.Name != "conditions")
            {
                ReportUnknown(property, RootProperties);
                continue;
            }

            seen = true;
            list = property.Value as JArray;
            if (list is null)
            {
                Report(property.Value, "'conditions' must be an array of condition objects");
            }
        }

        if (!seen)
        {
            Report(document, "missing required property 'conditions'");
        }

        var conditions = new List<CatalogCondition>();
        for (int i = 0; list is not null && i < list.Count; i++)
        {
            if (ReadCondition(list[i], i) is CatalogCondition condition)
            {
                conditions.Add(condition);
            }
        }

        CheckOverrides();
        return failed ? null : conditions;
    }

    private CatalogCondition? ReadCondition(JToken token, int index)
    {
        if (token.Type == JTokenType.Undefined)
        {
            failed = true; // already reported by the scan
            return null;
        }

        if (token is not JObject entry)
        {
            Report(token, "expected a condition object { \"id\": ..., \"display\": ... }");
            return null;
        }

        // How messages name this condition: its id as written, else its position in the list.
        string label = entry.Property("id", StringComparison.Ordinal)?.Value is JValue { Type: JTokenType.String, Value: string named }
            ? $"condition '{named}'"
            : string.Create(CultureInfo.InvariantCulture, $"condition #{index + 1}");

        string? id = null;
        string? display = null;
        bool benign = false;
        bool hasId = false;
        bool hasDisplay = false;
        var icd10 = new List<Icd10Pattern>();
        var excludes = new List<(Icd10Pattern Pattern, JToken Token)>();
        JProperty? excludeProperty = null;
        bool hasIcd10 = false;
        var snomed = new List<string>();
        var snomedPositions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var snomedWritten = new HashSet<string>(StringComparer.Ordinal);
        var overridden = new List<string>();
        var overridePositions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var snomedOverrides = new Dictionary<string, IReadOnlyDictionary<string, (int, int)>>(StringComparer.Ordinal);
        var snomedOverrideIds = new List<(string Condition, string Id, JToken Token)>();
        string owner = entry.Property("id", StringComparison.Ordinal)?.Value is JValue { Type: JTokenType.String } idValue ? Text(idValue) : "";
        foreach (JProperty property in entry.Properties())
        {
            switch (property.Name)
            {
                case "id":
                    hasId = true;
                    id = ReadId(property.Value);
                    break;
                case "display":
                    hasDisplay = true;
                    display = ReadDisplay(property.Value);
                    break;
                case "benign":
                    if (property.Value.Type == JTokenType.Boolean)
                    {
                        benign = (bool)property.Value;
                    }
                    else
                    {
                        Report(property.Value, "'benign' must be true or false");
                    }

                    break;
                case "icd10":
                    hasIcd10 = true;
                    foreach (JToken item in Items(property, "ICD-10-CM patterns"))
                    {
                        if (ReadIncludePattern(item) is (Icd10Pattern pattern, JToken at))
                        {
                            Register(pattern, at, label);
                            icd10.Add(pattern);
                        }
                    }

                    break;
                case "icd10Exclude":
                    excludeProperty = property;
                    foreach (JToken item in Items(property, "ICD-10-CM patterns"))
                    {
                        if (ReadExcludePattern(item) is Icd10Pattern pattern)
                        {
                            excludes.Add((pattern, item));
                        }
                    }

                    break;
                case "overrides":
                    foreach (JToken item in Items(property, "condition ids"))
                    {
                        if (item is JObject narrow)
                        {
                            if (ReadSnomedOverride(narrow) is not { } read)
                            {
                                continue;
                            }

                            var (condition, conditionToken, ids) = read;

                            if (overridden.Contains(condition) || snomedOverrides.ContainsKey(condition))
                            {
                                Report(conditionToken, $"'{condition}' is listed twice in 'overrides'");
                                continue;
                            }

                            var positions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
                            foreach (var (sctid, written) in ids)
                            {
                                SourcePosition at = source.StartOf(written);
                                positions.Add(sctid, (at.Line, at.Column));
                                snomedOverrideIds.Add((condition, sctid, written));
                            }

                            snomedOverrides.Add(condition, positions);
                            overrides.Add((owner, condition, conditionToken, true));
                        }
                        else if (item.Type != JTokenType.String)
                        {
                            Report(item, "an 'overrides' entry is the id of another condition, e.g. \"asthma\", or { \"condition\": ..., \"snomed\": [...] } for SNOMED CT ids this row names exactly");
                        }
                        else if (overridden.Contains(Text(item)) || snomedOverrides.ContainsKey(Text(item)))
                        {
                            Report(item, $"'{Text(item)}' is listed twice in 'overrides'");
                        }
                        else
                        {
                            overridden.Add(Text(item));
                            SourcePosition at = source.StartOf(item);
                            overridePositions.Add(Text(item), (at.Line, at.Column));
                            overrides.Add((owner, Text(item), item, false));
                        }
                    }

                    break;
                case "snomed":
                    foreach (JToken item in Items(property, "SNOMED CT ids"))
                    {
                        if (item.Type == JTokenType.String)
                        {
                            snomedWritten.Add(Text(item));
                        }

                        if (ReadSnomed(item, label) is string sctid)
                        {
                            snomed.Add(sctid);
                            SourcePosition at = source.StartOf(item);
                            snomedPositions.Add(sctid, (at.Line, at.Column));
                        }
                    }

                    break;
                default:
                    ReportUnknown(property, ConditionProperties);
                    break;
            }
        }

        if (!hasId)
        {
            Report(entry, $"{label} is missing required property 'id'");
        }

        if (!hasDisplay)
        {
            Report(entry, $"{label} is missing required property 'display'");
        }

        if (excludeProperty is not null && !hasIcd10)
        {
            Report(excludeProperty, "'icd10Exclude' needs 'icd10' patterns to exclude from");
        }

        CheckExcludes(excludes, icd10, label);
        foreach (var (condition, sctid, written) in snomedOverrideIds.Where(o => !snomedWritten.Contains(o.Id)))
        {
            Report(written, $"{label} does not name SNOMED CT '{sctid}' in its 'snomed' list: the ids of an 'overrides' entry {{ \"condition\": \"{condition}\", \"snomed\": [...] }} are ids this row names exactly that the expansions of '{condition}' list too");
        }

        return id is null || display is null
            ? null
            : new CatalogCondition(id, display, benign, icd10, [.. excludes.Select(e => e.Pattern)], snomed)
            {
                Overrides = overridden.AsReadOnly(),
                OverridePositions = overridePositions,
                SnomedOverrides = snomedOverrides,
                SnomedPositions = snomedPositions,
            };
    }

    /// <summary>
    /// A narrow <c>overrides</c> entry, <c>{ "condition": "acute-infection", "snomed": ["45261009"] }</c>: the condition
    /// (and where it is written) and the SNOMED CT ids; null when the entry has a problem (reported).
    /// </summary>
    private (string Condition, JToken ConditionToken, List<(string Id, JToken Token)> Ids)? ReadSnomedOverride(JObject entry)
    {
        JToken? condition = null;
        JProperty? snomedProperty = null;
        foreach (JProperty property in entry.Properties())
        {
            switch (property.Name)
            {
                case "condition":
                    condition = property.Value;
                    break;
                case "snomed":
                    snomedProperty = property;
                    break;
                default:
                    ReportUnknown(property, SnomedOverrideProperties);
                    break;
            }
        }

        bool ok = true;
        if (condition is null)
        {
            Report(entry, "missing required property 'condition' (the row whose expansions list the ids)");
            ok = false;
        }
        else if (condition.Type != JTokenType.String)
        {
            Report(condition, "'condition' is the id of another condition, e.g. \"acute-infection\"");
            ok = false;
        }

        var ids = new List<(string Id, JToken Token)>();
        if (snomedProperty is null)
        {
            Report(entry, "missing required property 'snomed' (the ids this row names exactly that the other row's expansions list)");
            ok = false;
        }
        else
        {
            foreach (JToken item in Items(snomedProperty, "SNOMED CT ids"))
            {
                if (item.Type != JTokenType.String)
                {
                    Report(item, "a SNOMED CT id must be a string of digits, e.g. \"45261009\"");
                    ok = false;
                }
                else if (ids.Any(i => i.Id == Text(item)))
                {
                    Report(item, $"SNOMED CT id '{Text(item)}' is listed twice in this 'overrides' entry");
                    ok = false;
                }
                else
                {
                    ids.Add((Text(item), item));
                }
            }
        }

        return ok ? (Text(condition!), condition!, ids) : null;
    }

    private string? ReadId(JToken value)
    {
        if (value.Type != JTokenType.String)
        {
            Report(value, "'id' must be a string");
            return null;
        }

        string id = Text(value);
        if (!IsKebabCase(id))
        {
            Report(value, $"id '{id}' must be lower-case kebab-case: a-z and 0-9 in words joined by single hyphens, e.g. 'acute-infection'");
            return null;
        }

        if (!ids.TryAdd(id, source.StartOf(value)))
        {
            Report(value, $"duplicate condition id '{id}' (first at {ids[id]})");
            return null;
        }

        return id;
    }

    private string? ReadDisplay(JToken value)
    {
        if (value.Type == JTokenType.String && !string.IsNullOrWhiteSpace(Text(value)))
        {
            return Text(value);
        }

        Report(value, "'display' must be a non-empty string");
        return null;
    }

    /// <summary>
    /// The elements of an array-valued property; reports a non-array or an empty array, and skips empty elements
    /// (<c>[1,,2]</c>, already reported by the scan).
    /// </summary>
    private List<JToken> Items(JProperty property, string what)
    {
        var items = new List<JToken>();
        if (property.Value is not JArray array)
        {
            Report(property.Value, $"'{property.Name}' must be an array of {what}");
            return items;
        }

        if (array.Count == 0)
        {
            Report(array, $"'{property.Name}' is empty; list at least one or remove the property");
        }

        foreach (JToken item in array)
        {
            if (item.Type == JTokenType.Undefined)
            {
                failed = true;
            }
            else
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>An <c>icd10</c> element: a pattern string, or <c>{ "code", "seventh"?, "gestationalWeeks"? }</c>.</summary>
    private (Icd10Pattern Pattern, JToken At)? ReadIncludePattern(JToken item)
    {
        if (item.Type == JTokenType.String)
        {
            return ParsePattern(item, seventh: null, gestationalWeeks: null) is Icd10Pattern plain ? (plain, item) : null;
        }

        if (item is not JObject entry)
        {
            Report(item, "an ICD-10-CM pattern must be a string such as \"R50\" or an object { \"code\": ... }");
            return null;
        }

        JToken? code = null;
        JToken? seventhToken = null;
        JToken? weeksToken = null;
        foreach (JProperty property in entry.Properties())
        {
            switch (property.Name)
            {
                case "code":
                    code = property.Value;
                    break;
                case "seventh":
                    seventhToken = property.Value;
                    break;
                case "gestationalWeeks":
                    weeksToken = property.Value;
                    break;
                default:
                    ReportUnknown(property, PatternProperties);
                    break;
            }
        }

        string? seventh = seventhToken is null ? null : ReadSeventh(seventhToken);
        int? weeks = weeksToken is null ? null : ReadGestationalWeeks(weeksToken);
        if (code is null)
        {
            Report(entry, "missing required property 'code'");
            return null;
        }

        if (code.Type != JTokenType.String)
        {
            Report(code, "'code' must be a string such as \"S42\" or \"S00-T88\"");
            return null;
        }

        if (ParsePattern(code, seventh, weeks) is not Icd10Pattern pattern)
        {
            return null;
        }

        if (seventhToken is not null && seventh is not null
            && pattern.Code.Length == Icd10Syntax.MaxLength && pattern.Code[^1] != Icd10Syntax.Wildcard)
        {
            Report(seventhToken, $"'seventh' cannot apply to '{pattern.Text}', which already fixes the 7th character");
            return null;
        }

        if (weeksToken is not null && weeks is not null && (pattern.IsRange || pattern.Code.Contains(Icd10Syntax.Wildcard, StringComparison.Ordinal)))
        {
            Report(weeksToken, $"'gestationalWeeks' needs a single code, not the range or wildcard '{pattern.Text}'");
            return null;
        }

        return (seventhToken is null || seventh is not null) && (weeksToken is null || weeks is not null)
            ? (pattern, code)
            : null;
    }

    private Icd10Pattern? ReadExcludePattern(JToken item)
    {
        if (item.Type != JTokenType.String)
        {
            Report(item, "an 'icd10Exclude' entry must be a code or range string such as \"P35.1\"");
            return null;
        }

        return ParsePattern(item, seventh: null, gestationalWeeks: null);
    }

    private Icd10Pattern? ParsePattern(JToken token, string? seventh, int? gestationalWeeks)
    {
        string text = Text(token);
        if (!Icd10Syntax.TryParsePattern(text, out string code, out string? rangeEnd, out string? error))
        {
            Report(token, $"invalid ICD-10-CM pattern '{text}': {error}");
            return null;
        }

        SourcePosition at = source.StartOf(token);
        return new Icd10Pattern(text, code, rangeEnd, seventh, gestationalWeeks) { Line = at.Line, Column = at.Column };
    }

    /// <summary>Allowed 7th characters: letters A–Z (any case), each once; returned upper-case and sorted.</summary>
    private string? ReadSeventh(JToken value)
    {
        if (value.Type != JTokenType.String || (Text(value)).Length == 0)
        {
            Report(value, "'seventh' must be a non-empty string of letters, e.g. \"ABDS\"");
            return null;
        }

        string text = Text(value);
        var letters = new SortedSet<char>();
        foreach (char c in text)
        {
            char upper = Icd10Syntax.ToUpperAscii(c);
            if (!Icd10Syntax.IsLetter(upper))
            {
                Report(value, $"'seventh' may contain only letters A-Z, not '{c}'");
                return null;
            }

            if (!letters.Add(upper))
            {
                Report(value, $"'seventh' lists '{upper}' twice");
                return null;
            }
        }

        return new string([.. letters]);
    }

    private int? ReadGestationalWeeks(JToken value)
    {
        // Newtonsoft holds an integer as a long, or a BigInteger when it does not fit.
        if (value is JValue { Type: JTokenType.Integer, Value: long weeks } && weeks >= GestationalAgeBounds.MinWeeks && weeks <= GestationalAgeBounds.MaxWeeks)
        {
            return (int)weeks;
        }

        Report(value, string.Create(
            CultureInfo.InvariantCulture,
            $"'gestationalWeeks' must be a whole number of completed weeks from {GestationalAgeBounds.MinWeeks} to {GestationalAgeBounds.MaxWeeks}"));
        return null;
    }

    private string? ReadSnomed(JToken item, string label)
    {
        if (item.Type != JTokenType.String)
        {
            Report(item, "a SNOMED CT id must be a string of digits, e.g. \"386661006\" (numbers this long lose precision)");
            return null;
        }

        string id = Text(item);
        if (SnomedCtId.Problem(id) is { } problem)
        {
            Report(item, $"invalid SNOMED CT id '{id}': {problem}");
            return null;
        }

        var owner = new Owner(label, id, source.StartOf(item));
        if (!snomedOwners.TryAdd(id, owner))
        {
            Owner first = snomedOwners[id];
            Report(item, first.Label == label
                ? $"SNOMED CT id '{id}' is listed twice (first at {first.At})"
                : $"SNOMED CT id '{id}' is already mapped to {first.Label} at {first.At}; a code maps to one condition");
            return null;
        }

        return id;
    }

    /// <summary>Records a pattern's key so that the same codes are never mapped twice.</summary>
    private void Register(Icd10Pattern pattern, JToken at, string label)
    {
        var owner = new Owner(label, pattern.Text, source.StartOf(at));
        if (patternOwners.TryAdd(pattern.Key, owner))
        {
            return;
        }

        Owner first = patternOwners[pattern.Key];
        Report(at, first.Label == label
            ? $"ICD-10-CM pattern '{pattern.Text}' repeats '{first.Text}' (first at {first.At})"
            : $"ICD-10-CM pattern '{pattern.Text}' repeats '{first.Text}' of {first.Label} at {first.At}; a code maps to one condition");
    }

    private void CheckExcludes(List<(Icd10Pattern Pattern, JToken Token)> excludes, List<Icd10Pattern> icd10, string label)
    {
        var seen = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        foreach ((Icd10Pattern pattern, JToken token) in excludes)
        {
            if (!seen.TryAdd(pattern.Key, source.StartOf(token)))
            {
                Report(token, $"excluded pattern '{pattern.Text}' is listed twice (first at {seen[pattern.Key]})");
            }
            else if (icd10.Any(include => include.Key == pattern.Key))
            {
                Report(token, $"pattern '{pattern.Text}' is both included and excluded in {label}");
            }
            else if (icd10.Count > 0 && !icd10.Any(include => include.MayOverlap(pattern)))
            {
                Report(token, $"excluded pattern '{pattern.Text}' excludes nothing: no 'icd10' pattern of {label} covers it");
            }
        }
    }

    /// <summary>
    /// Every 'overrides' entry names another condition of the catalog, and no two conditions override each other (a
    /// narrow entry, for SNOMED CT ids only, decides no tie, so it may name a condition that overrides its row).
    /// </summary>
    private void CheckOverrides()
    {
        var pairs = overrides.Where(o => !o.SnomedOnly).Select(o => (o.Owner, o.Id)).ToHashSet();
        foreach (var (owner, id, token, snomedOnly) in overrides)
        {
            if (id == owner)
            {
                Report(token, $"condition '{owner}' cannot override itself");
            }
            else if (!ids.ContainsKey(id))
            {
                Report(token, $"'overrides' names '{id}', which is not a condition id of the catalog");
            }
            else if (!snomedOnly && pairs.Contains((id, owner)))
            {
                Report(token, $"'{owner}' and '{id}' override each other; decide which one takes the codes they share");
            }
        }
    }

    private void ReportUnknown(JProperty property, string[] expected) =>
        Report(property, $"unknown property '{property.Name}'; expected one of: {string.Join(", ", expected)}");

    private void Report(JToken token, string message)
    {
        failed = true;
        source.Report(source.StartOf(token), message);
    }

    /// <summary>The string value of a token already known to be a string.</summary>
    private static string Text(JToken token) => (string?)token ?? "";

    /// <summary><c>[a-z0-9]+(-[a-z0-9]+)*</c>.</summary>
    private static bool IsKebabCase(string id)
    {
        if (id.Length == 0 || id[0] == '-' || id[^1] == '-' || id.Contains("--", StringComparison.Ordinal))
        {
            return false;
        }

        return id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
    }

    /// <summary>Where a code or pattern was first seen, and for which condition.</summary>
    private sealed record Owner(string Label, string Text, SourcePosition At);
}
