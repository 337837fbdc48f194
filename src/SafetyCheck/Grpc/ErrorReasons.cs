namespace SafetyCheck.Grpc;

/// <summary>
/// The <c>google.rpc.ErrorInfo</c> reasons of the service's error statuses (domain <see cref="Domain"/>): stable
/// upper-snake-case codes a caller's code can switch on, whatever the wording of the message. Every non-OK status the
/// service writes carries one in <c>grpc-status-details-bin</c>.
/// </summary>
internal static class ErrorReasons
{
    /// <summary>The ErrorInfo domain of every reason here.</summary>
    public const string Domain = "safetycheck.v1";

    /// <summary>INVALID_ARGUMENT: fields of the request are wrong (the google.rpc.BadRequest detail lists them).</summary>
    public const string InvalidArgument = "INVALID_ARGUMENT";

    /// <summary>INVALID_ARGUMENT: the body could not be decoded as the method's protobuf message.</summary>
    public const string UndecodableRequest = "UNDECODABLE_REQUEST";

    /// <summary>UNIMPLEMENTED: the request is compressed with a grpc-encoding the service does not decode (the message names those it does).</summary>
    public const string UnsupportedEncoding = "UNSUPPORTED_ENCODING";

    /// <summary>RESOURCE_EXHAUSTED: the message is larger than SafetyCheck:Limits:MaxReceiveMessageSize.</summary>
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";

    /// <summary>UNAVAILABLE: no valid rule set is loaded (retry later; health says NOT_SERVING).</summary>
    public const string RuleSetUnavailable = "RULESET_UNAVAILABLE";

    /// <summary>UNAVAILABLE: the audit store cannot record or be read (retry later).</summary>
    public const string AuditUnavailable = "AUDIT_UNAVAILABLE";

    /// <summary>RESOURCE_EXHAUSTED: the caller's calls per second are used up (google.rpc.RetryInfo says when to retry).</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>RESOURCE_EXHAUSTED: the service's concurrent calls and queue are full (google.rpc.RetryInfo says when to retry).</summary>
    public const string Overloaded = "OVERLOADED";

    /// <summary>UNAUTHENTICATED: no credentials were sent.</summary>
    public const string CredentialsMissing = "CREDENTIALS_MISSING";

    /// <summary>UNAUTHENTICATED: the credentials sent are not valid (unknown key, bad or expired token, unmapped certificate).</summary>
    public const string CredentialsInvalid = "CREDENTIALS_INVALID";

    /// <summary>PERMISSION_DENIED: the caller holds none of the roles the service needs (metadata <c>required_roles</c>).</summary>
    public const string RoleMissing = "ROLE_MISSING";

    /// <summary>NOT_FOUND: no decision with that id is recorded.</summary>
    public const string DecisionNotFound = "DECISION_NOT_FOUND";

    /// <summary>FAILED_PRECONDITION: a stored record cannot be read as a decision record (run VerifyLog).</summary>
    public const string RecordUnreadable = "RECORD_UNREADABLE";

    /// <summary>UNIMPLEMENTED: the address serves grpc.health.v1.Health only.</summary>
    public const string HealthOnlyAddress = "HEALTH_ONLY_ADDRESS";

    /// <summary>CANCELLED: the caller cancelled or its deadline passed.</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>INTERNAL: the service failed; the error is logged (a fault of the service, never of the request).</summary>
    public const string Internal = "INTERNAL";
}
