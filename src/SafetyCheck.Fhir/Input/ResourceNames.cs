namespace SafetyCheck.Fhir.Input;

/// <summary>Resource type names in messages.</summary>
internal static class ResourceNames
{
    /// <summary><paramref name="resourceType"/> with its indefinite article: <c>a Patient</c>, <c>an Encounter</c>.</summary>
    public static string WithArticle(string resourceType)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        return "AEIOU".Contains(resourceType[0], StringComparison.Ordinal) ? $"an {resourceType}" : $"a {resourceType}";
    }
}
