using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Profiles;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Core.Tests.Validation;

public sealed class RequestValidatorTests
{
    /// <summary>scheduled_at of the baseline request: 2026-05-01T10:00:00Z.</summary>
    private static readonly DateTimeOffset ScheduledAt = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The server clock, deliberately a different day from <see cref="ScheduledAt"/>.</summary>
    private static readonly DateTimeOffset ClockNow = new(2026, 6, 15, 8, 30, 0, TimeSpan.Zero);

    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    [Fact]
    public void Validate_MinimalValidRequest_BuildsProfileWithDefaults()
    {
        var result = Validate(BaseRequest());

        Assert.True(result.IsValid);
        Assert.Empty(result.Violations);
        var profile = result.Profile;
        Assert.Equal("req-1", profile.RequestId);
        Assert.Equal("synthetic-001", profile.PatientRef);
        Assert.Equal(new DateOnly(2025, 11, 1), profile.BirthDate);
        Assert.Null(profile.GestationalAgeAtBirth);
        Assert.Null(profile.BirthWeightGrams);
        Assert.Empty(profile.Conditions);
        Assert.Equal(ScheduledAt, profile.Session.AsOf);
        Assert.Equal("UTC", profile.Session.TimeZoneId);
        Assert.Equal(Setting.Unspecified, profile.Session.Setting);
        Assert.Equal(Pressure.Unspecified, profile.Session.Pressure);
        Assert.False(profile.Session.MedicalRelease);
        Assert.Empty(profile.Session.Areas);
        Assert.Null(profile.TemperatureCelsius);
        Assert.Null(profile.MinutesSinceLastFeed);
        Assert.False(profile.Explain);
    }

    [Fact]
    public void Validate_NoSession_UsesClockAndUtc()
    {
        var result = Validate(BaseRequest() with { Session = null });

        Assert.True(result.IsValid);
        Assert.Equal(ClockNow, result.Profile.Session.AsOf);
        Assert.Equal(TimeSpan.Zero, result.Profile.Session.AsOf.Offset);
        Assert.Equal("UTC", result.Profile.Session.TimeZoneId);
    }

    [Fact]
    public void Validate_SessionWithoutScheduledAt_UsesClock()
    {
        var request = BaseRequest() with { Session = new UnvalidatedSession { TimeZone = "Europe/London", Setting = 1 } };

        var result = Validate(request);

        Assert.True(result.IsValid);
        Assert.Equal(ClockNow, result.Profile.Session.AsOf);
        Assert.Equal("Europe/London", result.Profile.Session.TimeZoneId);
    }

    [Fact]
    public void Validate_FullValidRequest_CopiesEveryField()
    {
        var request = BaseRequest() with
        {
            Patient = new UnvalidatedPatient
            {
                PatientRef = "synthetic-002",
                BirthDate = "2026-01-10",
                GestationalAgeAtBirth = (31, 4),
                BirthWeightGrams = 1480,
            },
            Conditions =
            [
                new UnvalidatedCondition { System = CodeSystems.Icd10Cm, Code = "P07.33", Display = "Preterm newborn, 30 weeks" },
                new UnvalidatedCondition { System = CodeSystems.SnomedCt, Code = "271807003", Status = 2, OnsetDate = "2026-02-01", BodySite = 7 },
            ],
            Session = Session() with { Setting = 4, Pressure = 1, MedicalRelease = true, Areas = [7, 10] },
            TemperatureCelsius = 36.8,
            MinutesSinceLastFeed = 45,
            Explain = true,
        };

        var result = Validate(request);

        Assert.True(result.IsValid);
        var profile = result.Profile;
        Assert.Equal(new GestationalAge(31, 4), profile.GestationalAgeAtBirth);
        Assert.Equal(1480, profile.BirthWeightGrams);
        Assert.Equal(
            [
                new ProfileCondition(CodeSystems.Icd10Cm, "P07.33", "Preterm newborn, 30 weeks", ConditionStatus.Active, null, null),
                new ProfileCondition(CodeSystems.SnomedCt, "271807003", "", ConditionStatus.Resolved, new DateOnly(2026, 2, 1), BodyArea.Back),
            ],
            profile.Conditions);
        Assert.Equal(Setting.Nicu, profile.Session.Setting);
        Assert.Equal(Pressure.Light, profile.Session.Pressure);
        Assert.True(profile.Session.MedicalRelease);
        Assert.Equal([BodyArea.Back, BodyArea.Legs], profile.Session.Areas);
        Assert.Equal(36.8, profile.TemperatureCelsius);
        Assert.Equal(45, profile.MinutesSinceLastFeed);
        Assert.True(profile.Explain);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Validate_RequestIdLength_AtMost64(int length, bool valid)
    {
        var result = Validate(BaseRequest() with { RequestId = new string('r', length) });

        AssertValidity(result, valid, "request_id", "must be at most 64 characters");
    }

    [Theory]
    [InlineData("req\n1")]
    [InlineData("req\u00001")]
    [InlineData("req\u007f")]
    public void Validate_RequestIdWithControlCharacter_ReportsRequestId(string requestId)
    {
        var result = Validate(BaseRequest() with { RequestId = requestId });

        AssertSingle(result, "request_id", "must not contain control characters");
    }

    [Theory]
    [InlineData("req-\u202E1", "U+202E")]
    [InlineData("\u200Breq-1", "U+200B")]
    [InlineData("req-1\uFEFF", "U+FEFF")]
    public void Validate_RequestIdWithInvisibleCharacter_ReportsRequestIdNamingTheCharacter(string requestId, string named)
    {
        var result = Validate(BaseRequest() with { RequestId = requestId });

        AssertSingle(result, "request_id", $"must not contain invisible characters ({named} here): a direction mark or a zero-width space makes two different identifiers look the same");
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("\u00A0")]
    public void Validate_BlankRequestId_ReportsRequestId(string requestId)
    {
        var result = Validate(BaseRequest() with { RequestId = requestId });

        AssertSingle(result, "request_id", "must not be blank: leave it empty, or send the identifier");
    }

    [Theory]
    [InlineData(" req-1")]
    [InlineData("req 1 ")]
    public void Validate_RequestIdWithSpacesAtItsEnds_IsEchoedAsSent(string requestId)
    {
        var result = Validate(BaseRequest() with { RequestId = requestId });

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        Assert.Equal(requestId, result.Profile!.RequestId);
    }

    [Fact]
    public void Validate_NoPatient_ReportsPatient()
    {
        var result = Validate(BaseRequest() with { Patient = null });

        AssertSingle(result, "patient", "is required");
    }

    [Theory]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void Validate_PatientRefLength_AtMost128(int length, bool valid)
    {
        var result = Validate(WithPatient(p => p with { PatientRef = new string('p', length) }));

        AssertValidity(result, valid, "patient.patient_ref", "must be at most 128 characters");
    }

    [Fact]
    public void Validate_PatientRefWithControlCharacter_ReportsPatientRef()
    {
        var result = Validate(WithPatient(p => p with { PatientRef = "abc\r\n" }));

        AssertSingle(result, "patient.patient_ref", "must not contain control characters");
    }

    [Theory]
    [InlineData(" ", "must not be blank: leave it empty, or send the identifier")]
    [InlineData(" P1", "must not begin or end with whitespace: it is matched by its exact text")]
    [InlineData("P1\u00A0", "must not begin or end with whitespace: it is matched by its exact text")]
    [InlineData("P\u200D1", "must not contain invisible characters (U+200D here): a direction mark or a zero-width space makes two different identifiers look the same")]
    public void Validate_PatientRefBlankPaddedOrWithInvisibleCharacter_ReportsPatientRef(string patientRef, string message)
    {
        var result = Validate(WithPatient(p => p with { PatientRef = patientRef }));

        AssertSingle(result, "patient.patient_ref", message);
    }

    [Fact]
    public void Validate_PatientRefWithInnerSpace_IsValid()
    {
        var result = Validate(WithPatient(p => p with { PatientRef = "ward 3 bed 2" }));

        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("2026-13-45", "must be a date YYYY-MM-DD that the calendar has: this year, month or day does not exist")]
    [InlineData("2023-02-29", "must be a date YYYY-MM-DD that the calendar has: this year, month or day does not exist")]
    [InlineData("2026-02-30", "must be a date YYYY-MM-DD that the calendar has: this year, month or day does not exist")]
    [InlineData("2026-04-31", "must be a date YYYY-MM-DD that the calendar has: this year, month or day does not exist")]
    [InlineData("2026-5-01", "must be a date YYYY-MM-DD")]
    [InlineData("26-05-01", "must be a date YYYY-MM-DD")]
    [InlineData("0000-01-01", "must be a date YYYY-MM-DD that the calendar has: this year, month or day does not exist")]
    [InlineData(" 2026-01-01", "must be a date YYYY-MM-DD")]
    [InlineData("2026-01-01 ", "must be a date YYYY-MM-DD")]
    [InlineData("2026-01-01T00:00:00Z", "must be a date YYYY-MM-DD")]
    [InlineData("01/05/2026", "must be a date YYYY-MM-DD")]
    [InlineData("2026/01/01", "must be a date YYYY-MM-DD")]
    [InlineData("\uff12\uff10\uff12\uff16-01-01", "must be a date YYYY-MM-DD")]
    public void Validate_MalformedBirthDate_ReportsBirthDate(string birthDate, string description)
    {
        var result = Validate(WithPatient(p => p with { BirthDate = birthDate }));

        AssertSingle(result, "patient.birth_date", description);
    }

    [Theory]
    [InlineData("2024-02-29", true)]
    [InlineData("2026-05-01", true)]
    [InlineData("2026-05-02", false)]
    [InlineData("2027-01-01", false)]
    public void Validate_BirthDateAgainstAsOfDate_NotAfterIt(string birthDate, bool valid)
    {
        var result = Validate(WithPatient(p => p with { BirthDate = birthDate }));

        AssertValidity(result, valid, "patient.birth_date", "must not be after the session date (as_of 2026-05-01)");
    }

    [Theory]
    [InlineData("2008-05-02", true)]
    [InlineData("2008-05-01", false)]
    [InlineData("2000-01-01", false)]
    public void Validate_EighteenthBirthday_ChildMustBeUnder18(string birthDate, bool valid)
    {
        var result = Validate(WithPatient(p => p with { BirthDate = birthDate }));

        AssertValidity(result, valid, "patient.birth_date", "the child must be under 18 at the session (as_of 2026-05-01)");
    }

    [Theory]
    // Born 29 February: 18 completed years on 28 February of a non-leap year.
    [InlineData("2008-02-29", "2026-02-27T12:00:00Z", true)]
    [InlineData("2008-02-29", "2026-02-28T12:00:00Z", false)]
    [InlineData("2008-02-29", "2026-03-01T12:00:00Z", false)]
    public void Validate_BornOnLeapDay_Turns18OnFebruary28(string birthDate, string scheduledAt, bool valid)
    {
        var request = WithPatient(p => p with { BirthDate = birthDate }) with { Session = Session(scheduledAt) };

        var result = Validate(request);

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            var violation = Assert.Single(result.Violations);
            Assert.Equal("patient.birth_date", violation.Field);
            Assert.StartsWith("the child must be under 18 at the session (as_of ", violation.Description, StringComparison.Ordinal);
        }
    }

    [Theory]
    // 2026-03-01T23:30Z is 2 March in Auckland, 1 March in UTC and Los Angeles.
    [InlineData("2026-03-02", "UTC", false)]
    [InlineData("2026-03-02", "Pacific/Auckland", true)]
    [InlineData("2026-03-02", "America/Los_Angeles", false)]
    [InlineData("2026-03-01", "America/Los_Angeles", true)]
    public void Validate_BirthDateNearMidnight_ComparesWithAsOfDateInTimeZone(string birthDate, string zone, bool valid)
    {
        var request = WithPatient(p => p with { BirthDate = birthDate }) with
        {
            Session = Session("2026-03-01T23:30:00Z") with { TimeZone = zone },
        };

        var result = Validate(request);

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            AssertSingle(result, "patient.birth_date", "must not be after the session date (as_of 2026-03-01)");
        }
    }

    [Theory]
    [InlineData("UTC", true)]
    [InlineData("Pacific/Auckland", false)]
    public void Validate_EighteenthBirthdayNearMidnight_UsesAsOfDateInTimeZone(string zone, bool valid)
    {
        var request = WithPatient(p => p with { BirthDate = "2008-03-02" }) with
        {
            Session = Session("2026-03-01T23:30:00Z") with { TimeZone = zone },
        };

        var result = Validate(request);

        AssertValidity(result, valid, "patient.birth_date", "the child must be under 18 at the session (as_of 2026-03-02)");
    }

    [Theory]
    [InlineData(22, 0)]
    [InlineData(27, 6)]
    [InlineData(37, 0)]
    [InlineData(44, 6)]
    public void Validate_GestationalAgeInRange_IsKept(int weeks, int days)
    {
        var result = Validate(WithPatient(p => p with { GestationalAgeAtBirth = (weeks, days) }));

        Assert.True(result.IsValid);
        Assert.Equal(new GestationalAge(weeks, days), result.Profile.GestationalAgeAtBirth);
    }

    [Theory]
    [InlineData(21, 6, "patient.gestational_age_at_birth.weeks", "must be between 22 and 44 (got 21)")]
    [InlineData(45, 0, "patient.gestational_age_at_birth.weeks", "must be between 22 and 44 (got 45)")]
    [InlineData(0, 0, "patient.gestational_age_at_birth.weeks", "must be between 22 and 44 (got 0)")]
    [InlineData(30, -1, "patient.gestational_age_at_birth.days", "must be between 0 and 6 (got -1)")]
    [InlineData(30, 7, "patient.gestational_age_at_birth.days", "must be between 0 and 6 (got 7)")]
    public void Validate_GestationalAgeOutOfRange_ReportsPart(int weeks, int days, string field, string description)
    {
        var result = Validate(WithPatient(p => p with { GestationalAgeAtBirth = (weeks, days) }));

        AssertSingle(result, field, description);
    }

    [Fact]
    public void Validate_GestationalWeeksAndDaysBothOutOfRange_ReportsBoth()
    {
        var result = Validate(WithPatient(p => p with { GestationalAgeAtBirth = (50, 9) }));

        Assert.Equal(
            ["patient.gestational_age_at_birth.weeks", "patient.gestational_age_at_birth.days"],
            result.Violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData(199, false)]
    [InlineData(200, true)]
    [InlineData(7000, true)]
    [InlineData(7001, false)]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    public void Validate_BirthWeight_Between200And7000(int grams, bool valid)
    {
        var result = Validate(WithPatient(p => p with { BirthWeightGrams = grams }));

        AssertValidity(result, valid, "patient.birth_weight_grams", string.Create(CultureInfo.InvariantCulture, $"must be between 200 and 7000 (got {grams})"));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Validate_ConditionCount_AtMost100(int count, bool valid)
    {
        var conditions = Enumerable.Range(0, count).Select(_ => Condition()).ToArray();

        var result = Validate(BaseRequest() with { Conditions = conditions });

        AssertValidity(result, valid, "conditions", string.Create(CultureInfo.InvariantCulture, $"must have at most 100 entries (got {count})"));
        if (valid)
        {
            Assert.Equal(count, result.Profile!.Conditions.Count);
        }
    }

    [Fact]
    public void Validate_TooManyConditions_ReportsOnlyTheCount()
    {
        var conditions = Enumerable.Range(0, 150).Select(_ => Condition() with { System = "urn:other", Code = "" }).ToArray();

        var result = Validate(BaseRequest() with { Conditions = conditions });

        AssertSingle(result, "conditions", "must have at most 100 entries (got 150)");
    }

    [Theory]
    [InlineData(CodeSystems.Icd10Cm)]
    [InlineData(CodeSystems.SnomedCt)]
    [InlineData(CodeSystems.Catalog)]
    public void Validate_SupportedCodeSystem_IsAccepted(string system)
    {
        var result = Validate(WithCondition(Condition() with { System = system }, index: 3));

        Assert.True(result.IsValid);
        Assert.Equal(system, result.Profile.Conditions[3].System);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://hl7.org/fhir/sid/icd-10")]
    [InlineData("http://loinc.org")]
    [InlineData("HTTP://SNOMED.INFO/SCT")]
    [InlineData("http://snomed.info/sct ")]
    [InlineData("urn:safetycheck:Condition")]
    public void Validate_UnsupportedCodeSystem_ReportsSystem(string system)
    {
        var result = Validate(WithCondition(Condition() with { System = system }, index: 3));

        AssertSingle(result, "conditions[3].system", "must be one of http://hl7.org/fhir/sid/icd-10-cm, http://snomed.info/sct, urn:safetycheck:condition");
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData("P07 33", "must not contain whitespace or control characters")]
    [InlineData(" P07.33", "must not contain whitespace or control characters")]
    [InlineData("P07.33\t", "must not contain whitespace or control characters")]
    [InlineData("P07\u000133", "must not contain whitespace or control characters")]
    [InlineData("P07\u00a033", "must not contain whitespace or control characters")]
    public void Validate_BadCode_ReportsCode(string code, string description)
    {
        var result = Validate(WithCondition(Condition() with { Code = code }, index: 3));

        AssertSingle(result, "conditions[3].code", description);
    }

    [Theory]
    [InlineData("L20.9\u200b", "U+200B")] // zero-width space
    [InlineData("\u200fL20.9", "U+200F")] // right-to-left mark
    [InlineData("L20\u0301.9", "U+0301")] // combining acute accent
    [InlineData("\ufeff128188000", "U+FEFF")] // byte order mark
    public void Validate_CodeWithAnInvisibleCharacter_ReportsCodeNamingIt(string code, string character)
    {
        var result = Validate(WithCondition(Condition() with { Code = code }, index: 3));

        var violation = Assert.Single(result.Violations);
        Assert.Equal("conditions[3].code", violation.Field);
        Assert.StartsWith($"must not contain invisible characters ({character} here)", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Validate_RequestIdLength_CountsCharactersNotUtf16Units(int emoji, bool valid)
    {
        // U+1F600 is one character, stored by .NET as two UTF-16 units: 64 of them are 64 characters.
        var text = string.Concat(Enumerable.Repeat("\U0001F600", emoji));
        var result = Validate(BaseRequest() with { RequestId = text });

        AssertValidity(result, valid, "request_id", "must be at most 64 characters");
    }

    [Theory]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Validate_DisplayLength_CountsCharactersNotUtf16Units(int characters, bool valid)
    {
        var text = string.Concat(Enumerable.Repeat("\U0001D11E", characters));
        var result = Validate(WithCondition(Condition() with { Display = text }, index: 3));

        AssertValidity(result, valid, "conditions[3].display", "must be at most 256 characters");
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Validate_CodeLength_AtMost64(int length, bool valid)
    {
        var result = Validate(WithCondition(Condition() with { Code = new string('9', length) }, index: 3));

        AssertValidity(result, valid, "conditions[3].code", "must be at most 64 characters");
    }

    [Theory]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Validate_DisplayLength_AtMost256(int length, bool valid)
    {
        var result = Validate(WithCondition(Condition() with { Display = new string('d', length) }, index: 3));

        AssertValidity(result, valid, "conditions[3].display", "must be at most 256 characters");
    }

    [Theory]
    [InlineData(0, ConditionStatus.Active)]
    [InlineData(1, ConditionStatus.Active)]
    [InlineData(2, ConditionStatus.Resolved)]
    public void Validate_DefinedStatus_UnspecifiedReadsAsActive(int status, ConditionStatus expected)
    {
        var result = Validate(WithCondition(Condition() with { Status = status }, index: 3));

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Profile.Conditions[3].Status);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Validate_UndefinedStatus_ReportsStatus(int status)
    {
        var result = Validate(WithCondition(Condition() with { Status = status }, index: 3));

        AssertSingle(result, "conditions[3].status", string.Create(CultureInfo.InvariantCulture, $"must be a ConditionStatus value from 0 to 2 (got {status})"));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("2025-11-01", "2025-11-01")]
    [InlineData("2026-05-01", "2026-05-01")]
    public void Validate_OnsetDateWithinBirthAndAsOf_IsKept(string onset, string? expected)
    {
        var result = Validate(WithCondition(Condition() with { OnsetDate = onset }, index: 3));

        Assert.True(result.IsValid);
        DateOnly? expectedDate = expected is null ? null : DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(expectedDate, result.Profile.Conditions[3].OnsetDate);
    }

    [Theory]
    [InlineData("2026-05-02", "must not be after the session date (as_of 2026-05-01)")]
    [InlineData("2025-10-31", "must not be before patient.birth_date (2025-11-01)")]
    [InlineData("2025-02-29", "must be a date YYYY-MM-DD that the calendar has: this year, month or day does not exist")]
    [InlineData("2026-5-1", "must be a date YYYY-MM-DD")]
    [InlineData("yesterday", "must be a date YYYY-MM-DD")]
    public void Validate_BadOnsetDate_ReportsOnsetDate(string onset, string description)
    {
        var result = Validate(WithCondition(Condition() with { OnsetDate = onset }, index: 3));

        AssertSingle(result, "conditions[3].onset_date", description);
    }

    [Theory]
    // 2026-03-01T23:30Z: 2 March in Auckland.
    [InlineData("Pacific/Auckland", true)]
    [InlineData("UTC", false)]
    public void Validate_OnsetDateNearMidnight_ComparesWithAsOfDateInTimeZone(string zone, bool valid)
    {
        var request = WithCondition(Condition() with { OnsetDate = "2026-03-02" }, index: 0) with
        {
            Session = Session("2026-03-01T23:30:00Z") with { TimeZone = zone },
        };

        var result = Validate(request);

        AssertValidity(result, valid, "conditions[0].onset_date", "must not be after the session date (as_of 2026-03-01)");
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, BodyArea.WholeBody)]
    [InlineData(6, BodyArea.Abdomen)]
    [InlineData(11, BodyArea.Feet)]
    public void Validate_DefinedBodySite_ZeroIsNotGiven(int site, BodyArea? expected)
    {
        var result = Validate(WithCondition(Condition() with { BodySite = site }, index: 3));

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Profile.Conditions[3].BodySite);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(-1)]
    public void Validate_UndefinedBodySite_ReportsBodySite(int site)
    {
        var result = Validate(WithCondition(Condition() with { BodySite = site }, index: 3));

        AssertSingle(result, "conditions[3].body_site", string.Create(CultureInfo.InvariantCulture, $"must be a BodyArea value from 0 to 11 (got {site})"));
    }

    [Theory]
    [InlineData(MinSeconds, 0, "0001-01-01", "0001-01-01T00:00:00.0000000+00:00")]
    [InlineData(MaxSeconds, 999_999_999, "9999-01-01", "9999-12-31T23:59:59.9999999+00:00")]
    [InlineData(0, 0, "1970-01-01", "1970-01-01T00:00:00.0000000+00:00")]
    [InlineData(1_777_629_600, 123_456_789, "2025-11-01", "2026-05-01T10:00:00.1234567+00:00")]
    public void Validate_ScheduledAtInRange_BecomesAsOf(long seconds, int nanos, string birthDate, string expected)
    {
        var request = WithPatient(p => p with { BirthDate = birthDate }) with
        {
            Session = new UnvalidatedSession { ScheduledAtSeconds = seconds, ScheduledAtNanos = nanos },
        };

        var result = Validate(request);

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        Assert.Equal(expected, result.Profile.Session.AsOf.ToString("O", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(MinSeconds - 1, 0, "seconds must be within 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z")]
    [InlineData(MaxSeconds + 1, 0, "seconds must be within 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z")]
    [InlineData(long.MinValue, 0, "seconds must be within 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z")]
    [InlineData(long.MaxValue, 0, "seconds must be within 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z")]
    [InlineData(1_777_629_600, -1, "nanos must be between 0 and 999999999")]
    [InlineData(1_777_629_600, 1_000_000_000, "nanos must be between 0 and 999999999")]
    public void Validate_ScheduledAtOutOfRange_ReportsScheduledAt(long seconds, int nanos, string description)
    {
        var request = BaseRequest() with { Session = new UnvalidatedSession { ScheduledAtSeconds = seconds, ScheduledAtNanos = nanos } };

        var result = Validate(request);

        AssertSingle(result, "session.scheduled_at", description);
    }

    [Fact]
    public void Validate_ScheduledAtPastYear9999InTimeZone_ReportsScheduledAt()
    {
        var request = WithPatient(p => p with { BirthDate = "9999-01-01" }) with
        {
            Session = new UnvalidatedSession { ScheduledAtSeconds = MaxSeconds, TimeZone = "Pacific/Kiritimati" },
        };

        var result = Validate(request);

        AssertSingle(result, "session.scheduled_at", "must fall on a date from 0001-01-01 to 9999-12-31 in the session time zone");
    }

    [Theory]
    [InlineData("", "UTC")]
    [InlineData("UTC", "UTC")]
    [InlineData("Europe/London", "Europe/London")]
    [InlineData("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires")]
    [InlineData("Etc/GMT+5", "Etc/GMT+5")]
    [InlineData("America/Port-au-Prince", "America/Port-au-Prince")]
    [InlineData("US/Pacific", "US/Pacific")]
    public void Validate_IanaTimeZone_IsStoredAsGiven(string zone, string expected)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { TimeZone = zone } });

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        Assert.Equal(expected, result.Profile.Session.TimeZoneId);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Pacific Standard Time")]
    [InlineData("Local")]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/localtime")]
    [InlineData("Europe/London/")]
    [InlineData("Europe/London\n")]
    [InlineData(" UTC")]
    [InlineData("Europe/Lo\u0000ndon")]
    public void Validate_UnknownTimeZone_ReportsTimeZone(string zone)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { TimeZone = zone } });

        AssertSingle(result, "session.time_zone", "must be an IANA time zone name such as Europe/London");
    }

    [Theory]
    [InlineData("localtime")]
    [InlineData("posixrules")]
    [InlineData("Factory")]
    [InlineData("posix/Europe/London")]
    [InlineData("right/Europe/London")]
    public void Validate_TimeZoneNamingTheServersOwnSetting_IsRefused(string zone)
    {
        // Each resolves in this host's zone database, but to whatever the host is set to (or to a copy of the
        // database other hosts do not have): the same request would get another date elsewhere.
        var result = Validate(BaseRequest() with { Session = Session() with { TimeZone = zone } });

        AssertSingle(result, "session.time_zone", $"'{zone}' names a server's own setting, not a place: send the IANA time zone of the session such as Europe/London");
    }

    [Theory]
    [InlineData("europe/london", "Europe/London")]
    [InlineData("AMERICA/NEW_YORK", "America/New_York")]
    public void Validate_TimeZoneInAnotherCase_NamesTheZonesSpelling(string zone, string spelled)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { TimeZone = zone } });

        AssertSingle(result, "session.time_zone", $"must be an IANA time zone name written as the zone database writes it: '{spelled}'");
    }

    [Fact]
    public void Validate_OverlongTimeZone_ReportsTimeZone()
    {
        var result = Validate(BaseRequest() with { Session = Session() with { TimeZone = "Europe/" + new string('x', 60) } });

        AssertSingle(result, "session.time_zone", "must be an IANA time zone name such as Europe/London");
    }

    [Fact]
    public void Validate_InvalidTimeZone_SkipsChecksThatNeedTheAsOfDate()
    {
        var request = WithPatient(p => p with { BirthDate = "2030-01-01" }) with
        {
            Conditions = [Condition() with { OnsetDate = "2031-01-01" }],
            Session = Session() with { TimeZone = "Nowhere/Special" },
        };

        var result = Validate(request);

        AssertSingle(result, "session.time_zone", "must be an IANA time zone name such as Europe/London");
    }

    [Theory]
    [InlineData(0, Setting.Unspecified)]
    [InlineData(1, Setting.Home)]
    [InlineData(4, Setting.Nicu)]
    public void Validate_DefinedSetting_IsKept(int setting, Setting expected)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { Setting = setting } });

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Profile.Session.Setting);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    public void Validate_UndefinedSetting_ReportsSetting(int setting)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { Setting = setting } });

        AssertSingle(result, "session.setting", string.Create(CultureInfo.InvariantCulture, $"must be a Setting value from 0 to 4 (got {setting})"));
    }

    [Theory]
    [InlineData(0, Pressure.Unspecified)]
    [InlineData(3, Pressure.Firm)]
    public void Validate_DefinedPressure_IsKept(int pressure, Pressure expected)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { Pressure = pressure } });

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Profile.Session.Pressure);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-2)]
    public void Validate_UndefinedPressure_ReportsPressure(int pressure)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { Pressure = pressure } });

        AssertSingle(result, "session.pressure", string.Create(CultureInfo.InvariantCulture, $"must be a Pressure value from 0 to 3 (got {pressure})"));
    }

    [Theory]
    [InlineData(new[] { 6, 6, 2, 6, 1 }, new[] { BodyArea.Abdomen, BodyArea.Head, BodyArea.WholeBody })]
    [InlineData(new[] { 11, 1 }, new[] { BodyArea.Feet, BodyArea.WholeBody })]
    [InlineData(new int[0], new BodyArea[0])]
    public void Validate_Areas_DuplicatesRemovedInRequestOrder(int[] areas, BodyArea[] expected)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { Areas = areas } });

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Profile.Session.Areas);
    }

    [Fact]
    public void Validate_MoreAreasThanTheBound_ReportsOnlyTheCount()
    {
        var areas = Enumerable.Repeat(99, RequestValidator.MaxSessionAreas + 1).ToArray();

        var result = Validate(BaseRequest() with { Session = Session() with { Areas = areas } });

        var violation = Assert.Single(result.Violations);
        Assert.Equal("session.areas", violation.Field);
        Assert.Equal($"must have at most {RequestValidator.MaxSessionAreas} entries (got {RequestValidator.MaxSessionAreas + 1})", violation.Description);
    }

    [Fact]
    public void Validate_AreasAtTheBoundWithDuplicates_Accepted()
    {
        var areas = Enumerable.Repeat((int)BodyArea.Back, RequestValidator.MaxSessionAreas).ToArray();

        var result = Validate(BaseRequest() with { Session = Session() with { Areas = areas } });

        Assert.Empty(result.Violations);
    }

    [Theory]
    [InlineData(new[] { 1, 0 }, "session.areas[1]", 0)]
    [InlineData(new[] { 12 }, "session.areas[0]", 12)]
    [InlineData(new[] { 2, 3, -1 }, "session.areas[2]", -1)]
    public void Validate_UndefinedOrZeroArea_ReportsArea(int[] areas, string field, int value)
    {
        var result = Validate(BaseRequest() with { Session = Session() with { Areas = areas } });

        AssertSingle(result, field, string.Create(CultureInfo.InvariantCulture, $"must be a BodyArea value from 1 to 11 (got {value})"));
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(36.6)]
    [InlineData(45.0)]
    public void Validate_TemperatureInRange_IsKept(double celsius)
    {
        var result = Validate(BaseRequest() with { TemperatureCelsius = celsius });

        Assert.True(result.IsValid);
        Assert.Equal(celsius, result.Profile.TemperatureCelsius);
    }

    [Theory]
    [InlineData(double.NaN, "must be a finite number")]
    [InlineData(double.PositiveInfinity, "must be a finite number")]
    [InlineData(double.NegativeInfinity, "must be a finite number")]
    [InlineData(29.99, "must be between 30.0 and 45.0 (°C)")]
    [InlineData(45.01, "must be between 30.0 and 45.0 (°C)")]
    [InlineData(0.0, "must be between 30.0 and 45.0 (°C)")]
    [InlineData(98.6, "must be between 30.0 and 45.0 (°C)")]
    public void Validate_BadTemperature_ReportsTemperature(double celsius, string description)
    {
        var result = Validate(BaseRequest() with { TemperatureCelsius = celsius });

        AssertSingle(result, "observations.temperature_celsius", description);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(10_080, true)]
    [InlineData(-1, false)]
    [InlineData(10_081, false)]
    [InlineData(int.MinValue, false)]
    public void Validate_MinutesSinceLastFeed_Between0And10080(int minutes, bool valid)
    {
        var result = Validate(BaseRequest() with { MinutesSinceLastFeed = minutes });

        AssertValidity(result, valid, "observations.minutes_since_last_feed", string.Create(CultureInfo.InvariantCulture, $"must be between 0 and 10080 (got {minutes})"));
    }

    [Fact]
    public void Validate_ImpossibleBirthDateAndGestationAndCodeSystem_ReportsExactlyThree()
    {
        var request = WithPatient(p => p with { BirthDate = "2026-13-45", GestationalAgeAtBirth = (50, 0) }) with
        {
            Conditions = [Condition() with { System = "http://loinc.org" }],
        };

        var result = Validate(request);

        Assert.False(result.IsValid);
        Assert.Equal(
            ["patient.birth_date", "patient.gestational_age_at_birth.weeks", "conditions[0].system"],
            result.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Validate_EveryFieldInvalid_ReportsAllInContractOrder()
    {
        var request = new UnvalidatedRequest
        {
            RequestId = new string('x', 65),
            Patient = new UnvalidatedPatient
            {
                PatientRef = "a\u0007b",
                BirthDate = "2026-05-02",
                GestationalAgeAtBirth = (21, 7),
                BirthWeightGrams = 100,
            },
            Conditions =
            [
                Condition(),
                new UnvalidatedCondition
                {
                    System = "urn:x", Code = "a b", Display = new string('d', 300), Status = 9, OnsetDate = "2026-02-30", BodySite = 40,
                },
            ],
            Session = new UnvalidatedSession
            {
                ScheduledAtSeconds = ScheduledAt.ToUnixTimeSeconds(),
                TimeZone = "Europe/London",
                Setting = 9,
                Pressure = 9,
                Areas = [2, 99],
            },
            TemperatureCelsius = double.NaN,
            MinutesSinceLastFeed = -3,
        };

        var result = Validate(request);

        Assert.Null(result.Profile);
        Assert.Equal(
            [
                "request_id",
                "patient.patient_ref",
                "patient.birth_date",
                "patient.gestational_age_at_birth.weeks",
                "patient.gestational_age_at_birth.days",
                "patient.birth_weight_grams",
                "conditions[1].system",
                "conditions[1].code",
                "conditions[1].display",
                "conditions[1].status",
                "conditions[1].onset_date",
                "conditions[1].body_site",
                "session.setting",
                "session.pressure",
                "session.areas[1]",
                "observations.temperature_celsius",
                "observations.minutes_since_last_feed",
            ],
            result.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Validate_OnsetBeforeInvalidBirthDate_ReportsOnlyTheBirthDate()
    {
        var request = WithPatient(p => p with { BirthDate = "not-a-date" }) with
        {
            Conditions = [Condition() with { OnsetDate = "1900-01-01" }],
        };

        var result = Validate(request);

        AssertSingle(result, "patient.birth_date", "must be a date YYYY-MM-DD");
    }

    [Fact]
    public void Validate_NullRequest_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RequestValidator(new FakeTimeProvider()).Validate(null!));
    }

    [Fact]
    public void Constructor_NullClock_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RequestValidator(null!));
    }

    private static ValidationResult Validate(UnvalidatedRequest request) =>
        new RequestValidator(new FakeTimeProvider(ClockNow)).Validate(request);

    private static UnvalidatedRequest BaseRequest() => new()
    {
        RequestId = "req-1",
        Patient = new UnvalidatedPatient { PatientRef = "synthetic-001", BirthDate = "2025-11-01" },
        Session = Session(),
    };

    private static UnvalidatedSession Session() => new() { ScheduledAtSeconds = ScheduledAt.ToUnixTimeSeconds() };

    private static UnvalidatedSession Session(string scheduledAt) => new()
    {
        ScheduledAtSeconds = DateTimeOffset.Parse(scheduledAt, CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
    };

    private static UnvalidatedCondition Condition() => new() { System = CodeSystems.Icd10Cm, Code = "L20.9" };

    private static UnvalidatedRequest WithPatient(Func<UnvalidatedPatient, UnvalidatedPatient> change)
    {
        var request = BaseRequest();
        return request with { Patient = change(request.Patient!) };
    }

    /// <summary>A request whose conditions are valid except the one at <paramref name="index"/>.</summary>
    private static UnvalidatedRequest WithCondition(UnvalidatedCondition condition, int index)
    {
        var conditions = Enumerable.Range(0, index + 1).Select(i => i == index ? condition : Condition()).ToArray();
        return BaseRequest() with { Conditions = conditions };
    }

    private static void AssertSingle(ValidationResult result, string field, string description)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Profile);
        var violation = Assert.Single(result.Violations);
        Assert.Equal(new FieldViolation(field, description), violation);
    }

    private static void AssertValidity(ValidationResult result, bool valid, string field, string description)
    {
        if (valid)
        {
            Assert.True(result.IsValid, string.Join("; ", result.Violations));
        }
        else
        {
            AssertSingle(result, field, description);
        }
    }
}
