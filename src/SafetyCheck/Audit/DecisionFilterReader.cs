using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;
using Proto = SafetyCheck.Protos.V1;

namespace SafetyCheck.Audit;

/// <summary>Turns a ListDecisions request into an <see cref="EntryFilter"/> of decisions, reporting every bad field at once.</summary>
internal static class DecisionFilterReader
{
    /// <summary>Page size when the request leaves it 0.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Longest rule id accepted as a filter.</summary>
    public const int MaxRuleIdLength = 256;

    /// <summary>What <c>page_token</c> is told when it is not a token this service issued.</summary>
    public const string PageTokenRefused = "not a page token this service issued (nor one issued before the service was upgraded: tokens name their filter since); pass next_page_token as received, or start again without page_token";

    // google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    /// <summary>The filter, or null with the violations.</summary>
    public static EntryFilter? Read(Proto.ListDecisionsRequest request, out IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<FieldViolation>();
        var from = ReadTime(request.StartTime, "start_time", problems);
        var to = ReadTime(request.EndTime, "end_time", problems);

        // Compared at the request's own precision (nanoseconds): two bounds within one store tick are still ordered.
        if (from is not null && to is not null && !IsBefore(request.StartTime, request.EndTime))
        {
            problems.Add(new FieldViolation("end_time", "must be after start_time (the range is start inclusive, end exclusive)"));
        }

        Suitability? verdict = null;
        if (request.Verdict != Proto.Suitability.Unspecified)
        {
            if (System.Enum.IsDefined(request.Verdict))
            {
                verdict = (Suitability)request.Verdict;
            }
            else
            {
                problems.Add(new FieldViolation("verdict", $"unknown verdict {(int)request.Verdict}; one of {string.Join(", ", EnumNames.All<Suitability>())}"));
            }
        }

        if (request.RuleId.Length > MaxRuleIdLength)
        {
            problems.Add(new FieldViolation("rule_id", $"must be at most {MaxRuleIdLength} characters"));
        }
        else if (ControlCharacters.In(request.RuleId))
        {
            problems.Add(new FieldViolation("rule_id", ControlCharacters.Refusal));
        }

        if (request.Revision.Length > 0 && !IsRevision(request.Revision))
        {
            problems.Add(new FieldViolation("revision", "must be a rule revision: 64 lowercase hex digits"));
        }

        if (request.PageSize is < 0 or > EntryFilter.MaxPageSize)
        {
            problems.Add(new FieldViolation("page_size", $"must be between 1 and {EntryFilter.MaxPageSize} (0 means {DefaultPageSize}); got {request.PageSize}"));
        }

        // No token this service issues holds a control character; the store is not asked about one (PostgreSQL
        // cannot even bind NUL).
        if (ControlCharacters.In(request.PageToken))
        {
            problems.Add(new FieldViolation("page_token", PageTokenRefused));
        }

        violations = problems;
        return problems.Count > 0 ? null : new EntryFilter
        {
            From = from,
            To = to,
            Verdict = verdict,
            RuleId = request.RuleId.Length > 0 ? request.RuleId : null,
            Revision = request.Revision.Length > 0 ? request.Revision : null,
            PageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize,
            PageToken = request.PageToken.Length > 0 ? request.PageToken : null,
        };
    }

    /// <summary>True for 64 lowercase hex digits, the form of every rule revision.</summary>
    public static bool IsRevision(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    private static DateTimeOffset? ReadTime(Timestamp? time, string field, List<FieldViolation> problems)
    {
        if (time is null)
        {
            return null;
        }

        if (time.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || time.Nanos is < 0 or > 999_999_999)
        {
            problems.Add(new FieldViolation(field, "must be a valid timestamp between 0001-01-01 and 9999-12-31 (nanos 0-999999999)"));
            return null;
        }

        return CeilingToTick(time);
    }

    /// <summary>True when <paramref name="start"/> is strictly before <paramref name="end"/>, nanoseconds included.</summary>
    private static bool IsBefore(Timestamp start, Timestamp end) =>
        start.Seconds < end.Seconds || (start.Seconds == end.Seconds && start.Nanos < end.Nanos);

    /// <summary>
    /// The timestamp as a store instant, rounded up to the next 100 ns tick when it falls between ticks. Rows are
    /// recorded at whole ticks, so a row is at or after the timestamp exactly when it is at or after its ceiling: the
    /// same conversion keeps the start inclusive and the end exclusive. Past the last tick (9999-12-31T23:59:59.9999999Z)
    /// it stays at that tick, where no row is recorded.
    /// </summary>
    private static DateTimeOffset CeilingToTick(Timestamp time)
    {
        const int NanosPerTick = 100;
        var utcTicks = DateTimeOffset.UnixEpoch.Ticks + (time.Seconds * TimeSpan.TicksPerSecond) + ((time.Nanos + NanosPerTick - 1) / NanosPerTick);
        return new DateTimeOffset(Math.Min(utcTicks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero);
    }
}
