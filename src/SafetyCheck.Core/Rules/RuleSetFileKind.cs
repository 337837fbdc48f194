namespace SafetyCheck.Core.Rules;

/// <summary>What a file of a rule directory is, by its path (see <see cref="RuleSetFileKinds.Of"/>).</summary>
public enum RuleSetFileKind
{
    /// <summary>Not a file of a rule set: documentation, the JSON Schemas, anything else.</summary>
    Other = 0,

    /// <summary><c>ruleset.json</c>.</summary>
    Manifest,

    /// <summary><c>conditions.json</c>.</summary>
    Catalog,

    /// <summary>A rule file: any other <c>*.json</c> outside <c>terminology/</c> and <c>schemas/</c>.</summary>
    Rules,

    /// <summary>A <c>*.cases.json</c> beside the rule files (not part of a revision).</summary>
    Cases,

    /// <summary>A SNOMED CT expansion: a <c>*.json</c> under <c>terminology/</c>.</summary>
    SnomedExpansion,

    /// <summary>An ICD-10-CM code table or another <c>*.txt</c> under <c>terminology/</c>.</summary>
    TerminologyText,
}
