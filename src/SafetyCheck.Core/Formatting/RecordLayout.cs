namespace SafetyCheck.Core.Formatting;

/// <summary>How <see cref="JsonLayoutWriter"/> writes records: objects of plain values (strings, numbers, booleans) inside arrays.</summary>
internal enum RecordLayout
{
    /// <summary>As any object: one member per line (rule files, case files, ruleset.json).</summary>
    Expanded = 0,

    /// <summary>On one line each, filled with the array's other items like strings (conditions.json's ICD-10-CM patterns).</summary>
    Filled,

    /// <summary>On one line each, one record per line (the expansions' sources and descendants, as the writer makes them).</summary>
    OnePerLine,
}
