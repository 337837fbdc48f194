using System.Globalization;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>What every part of one mapping shares: the session date, the child's birth date, and the two lists it builds.</summary>
internal sealed class MappingContext(FhirSession session, TimeZoneInfo zone, DateOnly asOfDate, SubjectMatcher subjects)
{
    public FhirSession Session { get; } = session;

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>The session date in the session's time zone.</summary>
    public DateOnly AsOfDate { get; } = asOfDate;

    public SubjectMatcher Subjects { get; } = subjects;

    /// <summary>The exact birth date; null when it could not be read (already a violation).</summary>
    public DateOnly? BirthDate { get; set; }

    public List<IgnoredElement> Ignored { get; } = [];

    public List<FieldViolation> Violations { get; } = [];

    public string AsOfText => Format(AsOfDate);

    public void Ignore(string path, string reason) => Ignored.Add(new IgnoredElement(path, reason));

    /// <summary>Something not used whose content may change the verdict: listed first (see <see cref="IgnoredElement.MayMatter"/>).</summary>
    public void IgnoreMayMatter(string path, string reason) => Ignored.Add(new IgnoredElement(path, reason) { MayMatter = true });

    /// <summary>What was not used, in the order found, those that <see cref="IgnoredElement.MayMatter"/> first.</summary>
    public List<IgnoredElement> IgnoredInOrder() => [.. Ignored.Where(i => i.MayMatter), .. Ignored.Where(i => !i.MayMatter)];

    public void Reject(string path, string description) => Violations.Add(new FieldViolation(path, description));

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
