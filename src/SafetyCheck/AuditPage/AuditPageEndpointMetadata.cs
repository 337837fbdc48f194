namespace SafetyCheck.AuditPage;

/// <summary>Marks the page's endpoints, so that routing offers them on the page's addresses only (<see cref="AuditPageMatcherPolicy"/>).</summary>
internal sealed class AuditPageEndpointMetadata
{
    public static readonly AuditPageEndpointMetadata Instance = new();

    private AuditPageEndpointMetadata()
    {
    }
}
