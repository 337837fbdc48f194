using System.Globalization;
using System.Runtime.CompilerServices;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Profiles;
using SafetyCheck.Core.Requests;

namespace SafetyCheck.Core.Validation;

/// <summary>
/// Turns an <see cref="UnvalidatedRequest"/> into a <see cref="ChildProfile"/>, reporting every violation at once,
/// in contract field order, with protobuf field paths (<c>patient.birth_date</c>, <c>conditions[2].code</c>).
/// </summary>
/// <remarks>
/// Checks that need the as_of date (birth date and onset dates not after it, under 18 at it) run only when
/// <c>session.scheduled_at</c> and <c>session.time_zone</c> are themselves valid; checks that compare an onset date
/// with the birth date run only when the birth date is valid. When there are more than
/// <see cref="MaxConditions"/> conditions (or <see cref="MaxSessionAreas"/> session areas) only that count is reported,
/// not each entry, so the error stays bounded.
/// </remarks>
public sealed class RequestValidator(TimeProvider clock)
{
    /// <summary>Maximum length of <c>request_id</c>, in UTF-16 code units.</summary>
    public const int MaxRequestIdLength = 64;

    /// <summary>Maximum length of <c>patient.patient_ref</c>, in UTF-16 code units.</summary>
    public const int MaxPatientRefLength = 128;

    /// <summary>Lowest accepted birth weight, grams.</summary>
    public const int MinBirthWeightGrams = 200;

    /// <summary>Highest accepted birth weight, grams.</summary>
    public const int MaxBirthWeightGrams = 7000;

    /// <summary>Maximum number of conditions in one request.</summary>
    public const int MaxConditions = 100;

    /// <summary>
    /// Maximum number of <c>session.areas</c> entries. There are 11 areas and duplicates collapse, so more entries are
    /// never needed; without a bound a 256 KiB message could carry a quarter of a million, each one a violation.
    /// </summary>
    public const int MaxSessionAreas = 32;

    /// <summary>Maximum length of <c>conditions[].code</c>, in UTF-16 code units.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>Maximum length of <c>conditions[].display</c>, in UTF-16 code units.</summary>
    public const int MaxDisplayLength = 256;

    /// <summary>Maximum length of <c>session.time_zone</c>, in characters.</summary>
    public const int MaxTimeZoneLength = 64;

    /// <summary>The child must be younger than this many completed years at the as_of date.</summary>
    public const int AgeLimitYears = 18;

    /// <summary>Lowest accepted body temperature, °C.</summary>
    public const double MinTemperatureCelsius = 30.0;

    /// <summary>Highest accepted body temperature, °C.</summary>
    public const double MaxTemperatureCelsius = 45.0;

    /// <summary>
    /// Highest accepted <c>observations.minutes_since_last_feed</c>: 10080 minutes (7 days). The contract only says
    /// ≥ 0; anything longer is not a plausible "time since the last feed" for a child and is refused.
    /// </summary>
    public const int MaxMinutesSinceLastFeed = 10_080;

    /// <summary>Time zone used when <c>session.time_zone</c> is empty.</summary>
    public const string DefaultTimeZone = "UTC";

    /// <summary><c>scheduled_at.seconds</c> of 0001-01-01T00:00:00Z, the earliest valid protobuf Timestamp.</summary>
    private const long MinTimestampSeconds = -62_135_596_800;

    /// <summary><c>scheduled_at.seconds</c> of 9999-12-31T23:59:59Z, the latest valid protobuf Timestamp.</summary>
    private const long MaxTimestampSeconds = 253_402_300_799;

    private const int MaxNanos = 999_999_999;

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>Characters an IANA time zone id is made of.</summary>
    private static readonly System.Buffers.SearchValues<char> TimeZoneIdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_-+");

    private readonly TimeProvider _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>Validates <paramref name="request"/>; the clock supplies as_of when the session has no scheduled_at.</summary>
    public ValidationResult Validate(UnvalidatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The session is checked first because the date checks need its as_of date; its violations are moved after
        // the conditions' at the end, in contract field order. One list: its array is only made by a first violation.
        var violations = new List<FieldViolation>();
        var session = ValidateSession(request.Session, violations);
        var sessionCount = violations.Count;

        CheckIdentifier(violations, "request_id", request.RequestId, MaxRequestIdLength);
        var patient = ValidatePatient(request.Patient, session.AsOfDate, violations);
        var conditions = ValidateConditions(request.Conditions, session.AsOfDate, patient.BirthDate, violations);
        if (sessionCount > 0)
        {
            var sessionViolations = violations[..sessionCount];
            violations.RemoveRange(0, sessionCount);
            violations.AddRange(sessionViolations);
        }

        ValidateObservations(request, violations);

        if (violations.Count > 0)
        {
            return ValidationResult.Invalid(violations);
        }

        return ValidationResult.Valid(new ChildProfile
        {
            RequestId = request.RequestId,
            PatientRef = request.Patient!.PatientRef,
            BirthDate = patient.BirthDate!.Value,
            GestationalAgeAtBirth = patient.GestationalAge,
            BirthWeightGrams = request.Patient.BirthWeightGrams,
            Conditions = conditions,
            Session = session.Planned!,
            TemperatureCelsius = request.TemperatureCelsius,
            MinutesSinceLastFeed = request.MinutesSinceLastFeed,
            Explain = request.Explain,
        });
    }

    private SessionResult ValidateSession(UnvalidatedSession? session, List<FieldViolation> violations)
    {
        session ??= new UnvalidatedSession();

        DateTimeOffset? asOf = null;
        if (session.ScheduledAtSeconds is not { } seconds)
        {
            asOf = _clock.GetUtcNow().ToUniversalTime();
        }
        else if (seconds is < MinTimestampSeconds or > MaxTimestampSeconds)
        {
            violations.Add(new("session.scheduled_at", "seconds must be within 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"));
        }
        else if (session.ScheduledAtNanos is < 0 or > MaxNanos)
        {
            violations.Add(new("session.scheduled_at", "nanos must be between 0 and 999999999"));
        }
        else
        {
            asOf = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(session.ScheduledAtNanos / 100);
        }

        var zoneId = string.IsNullOrEmpty(session.TimeZone) ? DefaultTimeZone : session.TimeZone;
        var zone = FindTimeZone(zoneId);
        if (zone is null)
        {
            violations.Add(new("session.time_zone", TimeZones.Refusal(zoneId)));
        }

        DateOnly? asOfDate = null;
        if (asOf is { } instant && zone is not null)
        {
            if (CalendarMath.TryGetLocalDate(instant, zone, out var date))
            {
                asOfDate = date;
            }
            else
            {
                violations.Add(new("session.scheduled_at", "must fall on a date from 0001-01-01 to 9999-12-31 in the session time zone"));
            }
        }

        var setting = CheckEnum<Setting>(violations, "session.setting", session.Setting);
        var pressure = CheckEnum<Pressure>(violations, "session.pressure", session.Pressure);

        var sent = session.Areas;
        if (sent.Count > MaxSessionAreas)
        {
            violations.Add(new("session.areas", Invariant($"must have at most {MaxSessionAreas} entries (got {sent.Count})")));
        }

        Span<BodyArea> distinct = stackalloc BodyArea[MaxSessionAreas];
        var count = 0;
        for (var i = 0; i < sent.Count && sent.Count <= MaxSessionAreas; i++)
        {
            var value = sent[i];
            var area = (BodyArea)value;
            if (value == 0 || !Enum.IsDefined(area))
            {
                violations.Add(new(Invariant($"session.areas[{i}]"), Invariant($"must be a BodyArea value from 1 to {MaxValue<BodyArea>()} (got {value})")));
            }
            else if (!distinct[..count].Contains(area))
            {
                distinct[count++] = area;
            }
        }

        PlannedSession? planned = asOf is { } at && asOfDate is not null
            ? new PlannedSession(at, zoneId, setting, pressure, session.MedicalRelease, count == 0 ? [] : distinct[..count].ToArray())
            : null;
        return new SessionResult(planned, asOfDate);
    }

    private static TimeZoneInfo? FindTimeZone(string id)
    {
        if (id.Length > MaxTimeZoneLength || id.StartsWith('/') || id.Contains("..", StringComparison.Ordinal)
            || id.AsSpan().ContainsAnyExcept(TimeZoneIdCharacters))
        {
            return null;
        }

        return TimeZones.TryFind(id, out var zone) ? zone : null;
    }

    private static PatientResult ValidatePatient(UnvalidatedPatient? patient, DateOnly? asOfDate, List<FieldViolation> violations)
    {
        if (patient is null)
        {
            violations.Add(new("patient", "is required"));
            return default;
        }

        CheckIdentifier(violations, "patient.patient_ref", patient.PatientRef, MaxPatientRefLength, trimmed: true);

        var birthDate = ParseDate(violations, "patient.birth_date", patient.BirthDate, required: true);
        if (birthDate is { } birth && asOfDate is { } asOf)
        {
            if (birth > asOf)
            {
                violations.Add(new("patient.birth_date", $"must not be after the session date (as_of {Format(asOf)})"));
            }
            else if (CalendarMath.CompletedYears(birth, asOf) >= AgeLimitYears)
            {
                violations.Add(new("patient.birth_date", $"the child must be under 18 at the session (as_of {Format(asOf)})"));
            }
        }

        GestationalAge? gestationalAge = null;
        if (patient.GestationalAgeAtBirth is { } sent)
        {
            var (weeks, days) = sent;
            var weeksValid = CheckRange(violations, "patient.gestational_age_at_birth.weeks", weeks, GestationalAgeBounds.MinWeeks, GestationalAgeBounds.MaxWeeks);
            var daysValid = CheckRange(violations, "patient.gestational_age_at_birth.days", days, 0, 6);
            if (weeksValid && daysValid)
            {
                gestationalAge = new GestationalAge(weeks, days);
            }
        }

        if (patient.BirthWeightGrams is { } grams)
        {
            CheckRange(violations, "patient.birth_weight_grams", grams, MinBirthWeightGrams, MaxBirthWeightGrams);
        }

        return new PatientResult(birthDate, gestationalAge);
    }

    private static ProfileCondition[] ValidateConditions(
        IReadOnlyList<UnvalidatedCondition> conditions, DateOnly? asOfDate, DateOnly? birthDate, List<FieldViolation> violations)
    {
        if (conditions.Count > MaxConditions)
        {
            violations.Add(new("conditions", Invariant($"must have at most {MaxConditions} entries (got {conditions.Count})")));
            return [];
        }

        // Only used when the whole request is valid, so every entry is filled then.
        var result = conditions.Count == 0 ? [] : new ProfileCondition[conditions.Count];
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var path = new ConditionPath(i);
            var before = violations.Count;

            if (!IsCodeSystem(condition.System))
            {
                violations.Add(new(path.Of("system"), "must be one of " + string.Join(", ", CodeSystems.All)));
            }

            CheckCode(violations, path, condition.Code);

            if (TextLength.Exceeds(condition.Display, MaxDisplayLength))
            {
                violations.Add(new(path.Of("display"), Invariant($"must be at most {MaxDisplayLength} characters")));
            }

            var status = CheckEnum<ConditionStatus>(violations, path, "status", condition.Status);

            var onset = ParseDate(violations, path, "onset_date", condition.OnsetDate);
            if (onset is { } onsetDate)
            {
                if (asOfDate is { } asOf && onsetDate > asOf)
                {
                    violations.Add(new(path.Of("onset_date"), $"must not be after the session date (as_of {Format(asOf)})"));
                }
                else if (birthDate is { } birth && onsetDate < birth)
                {
                    violations.Add(new(path.Of("onset_date"), $"must not be before patient.birth_date ({Format(birth)})"));
                }
            }

            var site = CheckEnum<BodyArea>(violations, path, "body_site", condition.BodySite);

            if (violations.Count == before)
            {
                result[i] = new ProfileCondition(
                    condition.System,
                    condition.Code,
                    condition.Display,
                    status == ConditionStatus.Unspecified ? ConditionStatus.Active : status,
                    onset,
                    site == BodyArea.Unspecified ? null : site);
            }
        }

        return result;
    }

    private static bool IsCodeSystem(string system)
    {
        var all = CodeSystems.All;
        for (var i = 0; i < all.Count; i++)
        {
            if (string.Equals(all[i], system, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void ValidateObservations(UnvalidatedRequest request, List<FieldViolation> violations)
    {
        if (request.TemperatureCelsius is { } celsius)
        {
            if (!double.IsFinite(celsius))
            {
                violations.Add(new("observations.temperature_celsius", "must be a finite number"));
            }
            else if (celsius is < MinTemperatureCelsius or > MaxTemperatureCelsius)
            {
                violations.Add(new("observations.temperature_celsius", "must be between 30.0 and 45.0 (°C)"));
            }
        }

        if (request.MinutesSinceLastFeed is { } minutes)
        {
            CheckRange(violations, "observations.minutes_since_last_feed", minutes, 0, MaxMinutesSinceLastFeed);
        }
    }

    /// <summary>Optional identifier: bounded length, no control characters.</summary>
    /// <summary>
    /// An identifier the caller chose (empty when none was sent): at most <paramref name="maxLength"/> characters, none
    /// of them a control or format character (a direction override or a zero-width space would make two different
    /// identifiers look the same wherever they are shown), and not blank. With <paramref name="trimmed"/>, no
    /// whitespace at either end either: such an identifier is looked up by its exact text (a patient_ref is
    /// pseudonymised as sent), so "P1 " would silently be a different child from "P1".
    /// </summary>
    private static void CheckIdentifier(List<FieldViolation> violations, string field, string value, int maxLength, bool trimmed = false)
    {
        if (TextLength.Exceeds(value, maxLength))
        {
            violations.Add(new(field, Invariant($"must be at most {maxLength} characters")));
        }
        else if (ControlCharacters.In(value))
        {
            violations.Add(new(field, ControlCharacters.Refusal));
        }
        else if (FirstFormatCharacter(value) is { } format)
        {
            violations.Add(new(field, Invariant($"must not contain invisible characters (U+{(int)format:X4} here): a direction mark or a zero-width space makes two different identifiers look the same")));
        }
        else if (value.Length > 0 && string.IsNullOrWhiteSpace(value))
        {
            violations.Add(new(field, "must not be blank: leave it empty, or send the identifier"));
        }
        else if (trimmed && value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
        {
            violations.Add(new(field, "must not begin or end with whitespace: it is matched by its exact text"));
        }
    }

    private static char? FirstFormatCharacter(string value)
    {
        foreach (var c in value)
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return c;
            }
        }

        return null;
    }

    private static void CheckCode(List<FieldViolation> violations, ConditionPath path, string code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            violations.Add(new(path.Of("code"), "is required"));
        }
        else if (TextLength.Exceeds(code, MaxCodeLength))
        {
            violations.Add(new(path.Of("code"), Invariant($"must be at most {MaxCodeLength} characters")));
        }
        else if (ContainsWhiteSpaceOrControl(code))
        {
            violations.Add(new(path.Of("code"), "must not contain whitespace or control characters"));
        }
        else if (FirstInvisible(code) is { } invisible)
        {
            violations.Add(new(path.Of("code"), Invariant($"must not contain invisible characters (U+{(int)invisible:X4} here): a code copied with a direction mark, a zero-width space or a combining accent looks like one the catalog knows but is not; send it as its code system writes it")));
        }
    }

    /// <summary>
    /// The first character of <paramref name="value"/> that shows as nothing or changes the one before it (format
    /// characters such as U+200B and U+200F, and combining marks), or null: no code system writes one.
    /// </summary>
    private static char? FirstInvisible(string value)
    {
        foreach (var c in value)
        {
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                return c;
            }
        }

        return null;
    }

    private static bool ContainsWhiteSpaceOrControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CheckRange(List<FieldViolation> violations, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            violations.Add(new(field, Invariant($"must be between {min} and {max} (got {value})")));
            return false;
        }

        return true;
    }

    /// <summary>A defined wire value of <typeparamref name="T"/>, 0 (unspecified) included.</summary>
    private static T CheckEnum<T>(List<FieldViolation> violations, string field, int value)
        where T : struct, Enum
    {
        if (!TryEnum(value, out T parsed))
        {
            violations.Add(new(field, EnumViolation<T>(value)));
        }

        return parsed;
    }

    /// <summary><see cref="CheckEnum{T}(List{FieldViolation}, string, int)"/> for a field of a condition; the path is only built for a violation.</summary>
    private static T CheckEnum<T>(List<FieldViolation> violations, ConditionPath path, string field, int value)
        where T : struct, Enum
    {
        if (!TryEnum(value, out T parsed))
        {
            violations.Add(new(path.Of(field), EnumViolation<T>(value)));
        }

        return parsed;
    }

    /// <summary>The enum value of a wire number when it is defined (every enum here is an int enum); default otherwise.</summary>
    private static bool TryEnum<T>(int value, out T parsed)
        where T : struct, Enum
    {
        parsed = Unsafe.As<int, T>(ref value);
        if (Enum.IsDefined(parsed))
        {
            return true;
        }

        parsed = default;
        return false;
    }

    private static string EnumViolation<T>(int value)
        where T : struct, Enum => Invariant($"must be a {typeof(T).Name} value from 0 to {MaxValue<T>()} (got {value})");

    private static int MaxValue<T>()
        where T : struct, Enum => Enum.GetValues<T>().Max(v => Convert.ToInt32(v, CultureInfo.InvariantCulture));

    /// <summary>A strict <c>YYYY-MM-DD</c> calendar date; empty is null (and a violation when required).</summary>
    private static DateOnly? ParseDate(List<FieldViolation> violations, string field, string text, bool required)
    {
        if (text.Length == 0)
        {
            if (required)
            {
                violations.Add(new(field, "is required"));
            }

            return null;
        }

        if (TryParseDate(text, out var date))
        {
            return date;
        }

        violations.Add(new(field, DateRefusal(text)));
        return null;
    }

    /// <summary>An optional date field of a condition (see <see cref="TryParseDate"/>); the path is only built for a violation.</summary>
    private static DateOnly? ParseDate(List<FieldViolation> violations, ConditionPath path, string field, string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (TryParseDate(text, out var date))
        {
            return date;
        }

        violations.Add(new(path.Of(field), DateRefusal(text)));
        return null;
    }

    /// <summary>
    /// A calendar date in the exact shape <c>YYYY-MM-DD</c> (ASCII digits), year 0001 to 9999, a month 01–12 and a day
    /// that month has: what <c>DateOnly.TryParseExact(text, "yyyy-MM-dd")</c> accepts, without its formatting machinery.
    /// </summary>
    private static bool TryParseDate(string text, out DateOnly date)
    {
        date = default;
        if (!IsDateShape(text))
        {
            return false;
        }

        var year = ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0');
        var month = ((text[5] - '0') * 10) + (text[6] - '0');
        var day = ((text[8] - '0') * 10) + (text[9] - '0');
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// What a date field that <see cref="TryParseDate"/> refused is told: a text of the right shape names a day the
    /// calendar does not have (29 February of a common year, month 13, year 0), which "must be a date" alone would not
    /// explain. The text itself is not repeated: a birth date is patient data.
    /// </summary>
    private static string DateRefusal(string text) => IsDateShape(text)
        ? "must be a date YYYY-MM-DD that the calendar has: this year, month or day does not exist"
        : "must be a date YYYY-MM-DD";

    /// <summary>Exactly four ASCII digits, '-', two digits, '-', two digits (no signs, spaces or other digit scripts).</summary>
    private static bool IsDateShape(string text) =>
        text.Length == 10 && text[4] == '-' && text[7] == '-'
        && !text.AsSpan(0, 4).ContainsAnyExceptInRange('0', '9')
        && !text.AsSpan(5, 2).ContainsAnyExceptInRange('0', '9')
        && !text.AsSpan(8, 2).ContainsAnyExceptInRange('0', '9');

    private static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private readonly record struct SessionResult(PlannedSession? Planned, DateOnly? AsOfDate);

    /// <summary>The field path prefix <c>conditions[i]</c>, built into a string only when a violation names it.</summary>
    private readonly record struct ConditionPath(int Index)
    {
        public string Of(string field) => Invariant($"conditions[{Index}].{field}");
    }

    private readonly record struct PatientResult(DateOnly? BirthDate, GestationalAge? GestationalAge);
}
