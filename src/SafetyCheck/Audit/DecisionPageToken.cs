using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit;

/// <summary>
/// The page tokens ListDecisions and the auditor's decision list (in its "Older" link) hand out:
/// <c>f1:FILTER:STORE_TOKEN</c>, the store's own token bound to a digest of the filter it was issued for (verdict, rule,
/// revision, time bounds, caller, chain, kind, order), so a token sent with another filter is refused instead of
/// silently skipping the rows that filter would have returned before it. The digest catches mistakes; it is not a
/// secret (a client that computes it has sent the same filter anyway). The page size is not part of the filter: it may
/// change from page to page. Tokens of the earlier form (the store's token alone) are refused like any token this
/// service did not issue; a listing restarts without page_token. The auditor's page words both refusals its own way
/// (<see cref="SafetyCheck.AuditPage.DecisionListQuery"/>).
/// </summary>
internal static class DecisionPageToken
{
    /// <summary>What <c>page_token</c> is told when it was issued for another filter.</summary>
    public const string OtherFilter = "was issued for another filter: send the same filter, or start again without page_token";

    private const string Prefix = "f1:";

    // 16 hex digits (64 bits) of SHA-256: enough to tell filters apart, short enough for a URL.
    private const int DigestLength = 16;

    /// <summary>The token to hand out for the store's <paramref name="storeToken"/>; empty when there is no next page.</summary>
    public static string Write(EntryFilter filter, string? storeToken) =>
        string.IsNullOrEmpty(storeToken) ? "" : $"{Prefix}{Digest(filter)}:{storeToken}";

    /// <summary>
    /// The store's token inside <paramref name="token"/> (null for the first page), or null with
    /// <paramref name="refusal"/> saying why it is not accepted with <paramref name="filter"/>.
    /// </summary>
    public static string? Read(EntryFilter filter, string? token, out string? refusal)
    {
        refusal = null;
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length <= Prefix.Length + DigestLength + 1
            || token[Prefix.Length + DigestLength] != ':')
        {
            refusal = DecisionFilterReader.PageTokenRefused;
            return null;
        }

        if (!string.Equals(token.Substring(Prefix.Length, DigestLength), Digest(filter), StringComparison.Ordinal))
        {
            refusal = OtherFilter;
            return null;
        }

        return token[(Prefix.Length + DigestLength + 1)..];
    }

    /// <summary>The filter in one canonical text (each value length-prefixed, absent values marked), hashed.</summary>
    private static string Digest(EntryFilter filter)
    {
        var text = new StringBuilder();
        Append(text, filter.From?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Append(text, filter.To?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Append(text, filter.Verdict?.ToString());
        Append(text, filter.RuleId);
        Append(text, filter.Revision);
        Append(text, filter.Caller);
        Append(text, filter.Chain);
        Append(text, filter.Kind);
        Append(text, filter.NewestFirst ? "newest" : "sequence");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash)[..DigestLength];
    }

    private static void Append(StringBuilder text, string? value) =>
        text.Append(value is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{value.Length}:{value}")).Append(';');
}
