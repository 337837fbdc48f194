using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using SafetyCheck.Audit.Records;

namespace SafetyCheck.Audit;

/// <summary>
/// Who made a call, as the audit record names it: the authenticated principal's name (an API key name or token
/// subject, set by the authentication layer), else <c>anonymous</c>.
/// </summary>
internal static class CallerIdentity
{
    private const int KeptPrefix = 200;

    /// <summary>The caller of <paramref name="context"/>.</summary>
    public static string Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().User.Identity is { IsAuthenticated: true, Name: { } name } && !string.IsNullOrWhiteSpace(name)
            ? name
            : DecisionRecordFactory.AnonymousCaller;
    }

    /// <summary>
    /// <paramref name="caller"/> as recorded: unchanged up to <see cref="DecisionRecordFactory.MaxCallerLength"/>
    /// characters; a longer one keeps its first 200 characters and a hash of the whole, so two long names stay apart.
    /// </summary>
    public static string? ForRecord(string? caller) =>
        caller is null || caller.Length <= DecisionRecordFactory.MaxCallerLength
            ? caller
            : $"{caller[..KeptPrefix]}…sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caller)))[..16]}";
}
