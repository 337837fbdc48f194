namespace SafetyCheck.AuditPage;

/// <summary>Log messages of the auditor's page. Keys, tokens, cookies and record contents are never logged; auditor names are.</summary>
internal static partial class AuditPageLog
{
    [LoggerMessage(701, LogLevel.Information, "The auditor's page is served on {Urls}; sign-in with API keys{OpenIdConnect}")]
    public static partial void Serving(ILogger logger, string urls, string openIdConnect);

    [LoggerMessage(702, LogLevel.Information, "Auditor {Name} signed in to the auditor's page ({Method})")]
    public static partial void SignedIn(ILogger logger, string name, string method);

    [LoggerMessage(703, LogLevel.Information, "Refused a sign-in to the auditor's page ({Method}) for {Name}: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string method, string name, string reason);

    [LoggerMessage(704, LogLevel.Information, "Auditor {Name} signed out of the auditor's page")]
    public static partial void SignedOut(ILogger logger, string name);

    [LoggerMessage(705, LogLevel.Warning, "OpenID Connect sign-in to the auditor's page failed: {Reason}")]
    public static partial void OpenIdConnectFailed(ILogger logger, string reason);

    [LoggerMessage(706, LogLevel.Information, "Auditor {Name} started verification {Job} of the audit trail ({Records} records)")]
    public static partial void VerificationStarted(ILogger logger, string name, string job, long records);

    [LoggerMessage(707, LogLevel.Information, "Verification {Job} of the audit trail finished: {Result}")]
    public static partial void VerificationFinished(ILogger logger, string job, string result);

    [LoggerMessage(715, LogLevel.Error, "Verification {Job} of the audit trail FAILED: {Result}")]
    public static partial void VerificationFailed(ILogger logger, string job, string result);

    [LoggerMessage(708, LogLevel.Warning, "Verification {Job} of the audit trail could not read the store")]
    public static partial void VerificationUnreadable(ILogger logger, Exception exception, string job);

    [LoggerMessage(709, LogLevel.Warning, "The auditor's page could not read the audit store")]
    public static partial void StoreUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(710, LogLevel.Information, "Refused a form of the auditor's page on {Path}: its anti-forgery token is missing or not valid")]
    public static partial void FormRefused(ILogger logger, string path);

    [LoggerMessage(711, LogLevel.Warning, "Sign-in to the auditor's page from {Address} paused: {Failures} failed attempts in a minute")]
    public static partial void SignInThrottled(ILogger logger, string address, int failures);

    [LoggerMessage(712, LogLevel.Warning, "A checkpoint in {Directory} cannot be read and is not used: {File}: {Reason}")]
    public static partial void CheckpointUnreadable(ILogger logger, string directory, string file, string reason);

    [LoggerMessage(713, LogLevel.Information, "Counted {Decisions} decisions for the auditor's Revisions and Pictures pages in {Milliseconds} ms; later requests count only what is appended")]
    public static partial void SummariesCounted(ILogger logger, long decisions, long milliseconds);

    [LoggerMessage(714, LogLevel.Warning, "Could not count the audit trail for the auditor's Revisions and Pictures pages in advance; they will try again when opened")]
    public static partial void SummariesUncounted(ILogger logger, Exception exception);
}
