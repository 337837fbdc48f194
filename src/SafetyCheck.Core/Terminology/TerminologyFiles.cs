namespace SafetyCheck.Core.Terminology;

/// <summary>Where terminology lives in a rule directory, and which of its files are part of a rule revision.</summary>
public static class TerminologyFiles
{
    /// <summary>The folder, relative to the rule directory, with its trailing slash.</summary>
    public const string Folder = "terminology/";

    /// <summary>The folder of the SNOMED CT expansions, one <c>&lt;concept&gt;.json</c> each.</summary>
    public const string SnomedFolder = Folder + "snomed/";

    /// <summary>True for a path (relative, forward slashes) inside the terminology folder.</summary>
    public static bool IsTerminology(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith(Folder, StringComparison.Ordinal);
    }

    /// <summary>True for a SNOMED CT expansion file: any <c>*.json</c> inside the terminology folder.</summary>
    public static bool IsSnomedExpansion(string path) => IsTerminology(path) && path.EndsWith(".json", StringComparison.Ordinal);

    /// <summary>True for an ICD-10-CM code table: <c>icd10cm-fyYYYY.txt</c> inside the terminology folder.</summary>
    public static bool IsIcd10CmTable(string path) =>
        IsTerminology(path) && Icd10CmCodeTableReader.FileNamePattern().IsMatch(Path.GetFileName(path));

    /// <summary>
    /// True for a terminology file that is part of the rule revision: expansions (<c>*.json</c>) and code tables
    /// (<c>*.txt</c>; a <c>*.txt</c> that is not a code table is a load error). Documentation (<c>README.md</c>) is not.
    /// </summary>
    public static bool IsRevisionFile(string path) =>
        IsTerminology(path) && (path.EndsWith(".json", StringComparison.Ordinal) || path.EndsWith(".txt", StringComparison.Ordinal));
}
