using System.Globalization;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Profiles;

namespace SafetyCheck.Core.Tests.Facts;

public sealed class FactsDeriverTests
{
    private static readonly StubCodeResolver Resolver = new();

    [Theory]
    [InlineData("2026-01-01", "2026-01-01", 0, 0, 0, AgeBand.Neonate)]
    [InlineData("2026-01-01", "2026-01-21", 20, 0, 0, AgeBand.Neonate)]
    [InlineData("2026-01-01", "2026-01-22", 21, 0, 0, AgeBand.Neonate)]
    [InlineData("2026-01-01", "2026-01-28", 27, 0, 0, AgeBand.Neonate)]
    [InlineData("2026-01-01", "2026-01-29", 28, 0, 0, AgeBand.Infant)]
    [InlineData("2026-01-01", "2026-02-01", 31, 1, 0, AgeBand.Infant)]
    [InlineData("2025-01-15", "2026-01-14", 364, 11, 0, AgeBand.Infant)]
    [InlineData("2025-01-15", "2026-01-15", 365, 12, 1, AgeBand.Toddler)]
    [InlineData("2024-01-15", "2026-01-14", 730, 23, 1, AgeBand.Toddler)]
    [InlineData("2024-01-15", "2026-01-15", 731, 24, 2, AgeBand.Toddler)]
    [InlineData("2023-01-15", "2026-01-14", 1095, 35, 2, AgeBand.Toddler)]
    [InlineData("2023-01-15", "2026-01-15", 1096, 36, 3, AgeBand.Child)]
    [InlineData("2014-05-01", "2026-04-30", 4382, 143, 11, AgeBand.Child)]
    [InlineData("2014-05-01", "2026-05-01", 4383, 144, 12, AgeBand.Adolescent)]
    [InlineData("2008-05-02", "2026-05-01", 6573, 215, 17, AgeBand.Adolescent)]
    public void Derive_ChronologicalAge_CountsDaysMonthsYearsAndBand(
        string birth, string asOfDate, int days, int months, int years, AgeBand band)
    {
        var facts = Derive(Profile(birth, asOfDate + "T12:00:00Z"));

        Assert.Equal(days, facts.AgeDays);
        Assert.Equal(months, facts.AgeMonths);
        Assert.Equal(years, facts.AgeYears);
        Assert.Equal(band, facts.AgeBandValue);
        Assert.Equal(EnumNames.Of(band), facts.AgeBand);
        Assert.Equal(Date(asOfDate), facts.AsOfDate);
    }

    [Theory]
    // Leap days: born 29 February turns one on 28 February of a non-leap year.
    [InlineData("2024-02-29", "2025-02-27", 364, 11, 0)]
    [InlineData("2024-02-29", "2025-02-28", 365, 12, 1)]
    [InlineData("2024-02-29", "2025-03-01", 366, 12, 1)]
    [InlineData("2024-02-29", "2028-02-28", 1460, 47, 3)]
    [InlineData("2024-02-29", "2028-02-29", 1461, 48, 4)]
    [InlineData("2024-02-28", "2024-03-01", 2, 0, 0)]
    [InlineData("2024-01-31", "2024-02-29", 29, 1, 0)]
    [InlineData("2025-01-31", "2025-02-28", 28, 1, 0)]
    [InlineData("2025-01-31", "2025-02-27", 27, 0, 0)]
    public void Derive_AroundLeapDaysAndMonthEnds_UsesClampedMonthConvention(string birth, string asOfDate, int days, int months, int years)
    {
        var facts = Derive(Profile(birth, asOfDate + "T12:00:00Z"));

        Assert.Equal(days, facts.AgeDays);
        Assert.Equal(months, facts.AgeMonths);
        Assert.Equal(years, facts.AgeYears);
    }

    [Theory]
    // 2026-03-01T23:30Z is 2 March in Auckland; 2026-03-02T05:00Z is still 1 March in Los Angeles.
    [InlineData("2026-03-01T23:30:00Z", "UTC", "2026-03-01", 27, AgeBand.Neonate)]
    [InlineData("2026-03-01T23:30:00Z", "Pacific/Auckland", "2026-03-02", 28, AgeBand.Infant)]
    [InlineData("2026-03-01T23:30:00Z", "America/Los_Angeles", "2026-03-01", 27, AgeBand.Neonate)]
    [InlineData("2026-03-02T05:00:00Z", "UTC", "2026-03-02", 28, AgeBand.Infant)]
    [InlineData("2026-03-02T05:00:00Z", "America/Los_Angeles", "2026-03-01", 27, AgeBand.Neonate)]
    public void Derive_AsOfNearMidnight_UsesCalendarDateInTimeZone(string asOf, string zone, string asOfDate, int days, AgeBand band)
    {
        var facts = Derive(Profile("2026-02-02", asOf, zone));

        Assert.Equal(Date(asOfDate), facts.AsOfDate);
        Assert.Equal(days, facts.AgeDays);
        Assert.Equal(band, facts.AgeBandValue);
    }

    [Theory]
    [InlineData(22, 0, GestationCategory.ExtremelyPreterm, 22)]
    [InlineData(27, 6, GestationCategory.ExtremelyPreterm, 27)]
    [InlineData(28, 0, GestationCategory.VeryPreterm, 28)]
    [InlineData(31, 6, GestationCategory.VeryPreterm, 31)]
    [InlineData(32, 0, GestationCategory.ModerateLatePreterm, 32)]
    [InlineData(36, 6, GestationCategory.ModerateLatePreterm, 36)]
    [InlineData(37, 0, GestationCategory.Term, 37)]
    [InlineData(41, 6, GestationCategory.Term, 41)]
    [InlineData(42, 0, GestationCategory.PostTerm, 42)]
    [InlineData(44, 6, GestationCategory.PostTerm, 44)]
    public void Derive_GestationalAge_CategoryByCompletedWeeks(int weeks, int days, GestationCategory category, int completedWeeks)
    {
        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z", ga: new GestationalAge(weeks, days)));

        Assert.Equal(category, facts.GestationCategoryValue);
        Assert.Equal(EnumNames.Of(category), facts.GestationCategory);
        Assert.True(facts.GestationKnown);
        Assert.Equal((weeks * 7) + days, facts.GestationalAgeDays.ToNullableInt32());
        Assert.Equal(Quantity.Of(completedWeeks), facts.GestationalAgeWeeks);
        Assert.Equal(Quantity.Of((weeks * 7) + days), facts.GestationalAgeDays);
    }

    [Theory]
    [InlineData(36, 6, true)]
    [InlineData(37, 0, false)]
    [InlineData(27, 6, true)]
    [InlineData(41, 6, false)]
    public void Derive_GestationalAge_CorrectedAgeOnlyBelow37Weeks(int weeks, int days, bool corrected)
    {
        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z", ga: new GestationalAge(weeks, days)));

        Assert.Equal(corrected, facts.CorrectedAgeDays.IsKnown);
        Assert.Equal(corrected, facts.CorrectedAgeMonths.IsKnown);
        Assert.Equal(corrected, facts.GestationalAgeWeeks.Below(37));
        Assert.Equal(!corrected, facts.GestationalAgeWeeks.AtLeast(37));
        Assert.True(facts.PostmenstrualAgeDays.IsKnown);
        if (!corrected)
        {
            Assert.Equal(facts.AgeDays, facts.InfantAgeDays);
            Assert.Equal(facts.AgeMonths, facts.InfantAgeMonths);
        }
    }

    [Theory]
    // Postmenstrual age 32 weeks = 224 days, 40 weeks = 280 days.
    [InlineData(28, 0, 27, 223, 31)]
    [InlineData(28, 0, 28, 224, 32)]
    [InlineData(30, 0, 69, 279, 39)]
    [InlineData(30, 0, 70, 280, 40)]
    [InlineData(38, 3, 0, 269, 38)]
    public void Derive_PostmenstrualAge_IsGestationPlusChronologicalDays(int weeks, int days, int ageDays, int pmaDays, int pmaWeeks)
    {
        var birth = new DateOnly(2026, 1, 1);
        var asOf = birth.AddDays(ageDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T12:00:00Z";

        var facts = Derive(Profile("2026-01-01", asOf, ga: new GestationalAge(weeks, days)));

        Assert.Equal(pmaDays, facts.PostmenstrualAgeDays.ToNullableInt32());
        Assert.Equal(Quantity.Of(pmaDays), facts.PostmenstrualAgeDays);
        Assert.Equal(Quantity.Of(pmaWeeks), facts.PostmenstrualAgeWeeks);
        Assert.Equal(pmaDays >= 224, facts.PostmenstrualAgeWeeks.AtLeast(32));
        Assert.Equal(pmaDays >= 280, facts.PostmenstrualAgeDays.AtLeast(280));
    }

    [Theory]
    // GA 32+0: 56 days short of term, due date 2026-02-26. Months before the due date are floored (-1, never 0).
    [InlineData("2026-01-01", 0, -56, -2)]
    [InlineData("2026-02-25", 55, -1, -1)]
    [InlineData("2026-02-26", 56, 0, 0)]
    [InlineData("2026-03-25", 83, 27, 0)]
    [InlineData("2026-03-26", 84, 28, 1)]
    [InlineData("2026-03-27", 85, 29, 1)]
    public void Derive_PretermInfant_CorrectedAgeCountsFromDueDate(string asOfDate, int ageDays, int correctedDays, int correctedMonths)
    {
        var facts = Derive(Profile("2026-01-01", asOfDate + "T12:00:00Z", ga: new GestationalAge(32, 0)));

        Assert.Equal(ageDays, facts.AgeDays);
        Assert.Equal(correctedDays, facts.CorrectedAgeDays.ToNullableInt32());
        Assert.Equal(correctedMonths, facts.CorrectedAgeMonths.ToNullableInt32());
        Assert.Equal(correctedDays, facts.InfantAgeDays);
        Assert.Equal(correctedMonths, facts.InfantAgeMonths);
        Assert.Equal(correctedDays < 0, facts.CorrectedAgeMonths.Below(0));
    }

    [Theory]
    // GA 30+0: 70 days short of term, due 2024-03-25. Corrected age is used while AgeMonths < the cut-off.
    [InlineData("2026-01-14", 24, 23, true, 21)]
    [InlineData("2026-01-15", 24, 24, false, 24)]
    [InlineData("2026-01-15", 36, 24, true, 21)]
    [InlineData("2025-01-14", 12, 11, true, 9)]
    [InlineData("2025-01-15", 12, 12, false, 12)]
    public void Derive_CorrectedAgeCutoff_InfantAgeSwitchesToChronological(
        string asOfDate, int cutoffMonths, int ageMonths, bool usesCorrected, int infantMonths)
    {
        var options = new FactsOptions { CorrectedAgeCutoffMonths = cutoffMonths };

        var facts = Derive(Profile("2024-01-15", asOfDate + "T12:00:00Z", ga: new GestationalAge(30, 0)), options);

        Assert.Equal(ageMonths, facts.AgeMonths);
        Assert.Equal(usesCorrected ? facts.AgeDays - 70 : facts.AgeDays, facts.InfantAgeDays);
        Assert.Equal(infantMonths, facts.InfantAgeMonths);
        Assert.Equal(facts.AgeDays - 70, facts.CorrectedAgeDays.ToNullableInt32());
    }

    [Fact]
    public void Derive_UnknownGestation_EveryGestationFactIsUnknown()
    {
        var facts = Derive(Profile("2026-01-01", "2026-01-15T12:00:00Z"));

        Assert.False(facts.GestationKnown);
        Assert.Null(facts.GestationalAgeDays.ToNullableInt32());
        Assert.True(facts.GestationalAgeWeeks.IsUnknown);
        Assert.False(facts.GestationalAgeWeeks.Below(37));
        Assert.False(facts.GestationalAgeWeeks.AtLeast(37));
        Assert.False(facts.GestationalAgeWeeks.Below(28));
        Assert.False(facts.GestationalAgeWeeks.AtMost(0));
        Assert.False(facts.GestationalAgeDays.Below(259));
        Assert.Equal(GestationCategory.Unspecified, facts.GestationCategoryValue);
        Assert.Equal("UNKNOWN", facts.GestationCategory);
        Assert.True(facts.CorrectedAgeDays.IsUnknown);
        Assert.True(facts.CorrectedAgeMonths.IsUnknown);
        Assert.True(facts.PostmenstrualAgeDays.IsUnknown);
        Assert.True(facts.PostmenstrualAgeWeeks.IsUnknown);
        Assert.Null(facts.CorrectedAgeDays.ToNullableInt32());
        Assert.Null(facts.PostmenstrualAgeDays.ToNullableInt32());
        Assert.Equal(14, facts.InfantAgeDays);
        Assert.Equal(facts.AgeMonths, facts.InfantAgeMonths);
    }

    [Theory]
    [InlineData(new[] { "P07.33" }, 210)]
    [InlineData(new[] { "P07.35" }, 224)]
    [InlineData(new[] { "P07.35", "P07.33" }, 210)]
    [InlineData(new[] { "L20.9", "P07.25", "P07.35" }, 182)]
    public void Derive_NoGestationalAgeButPretermWeeksCode_UsesSmallestCodedWeeks(string[] codes, int gaDays)
    {
        var conditions = codes.Select(c => Condition(c)).ToArray();

        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z", conditions: conditions));

        Assert.True(facts.GestationKnown);
        Assert.Equal(gaDays, facts.GestationalAgeDays.ToNullableInt32());
        Assert.Equal(Quantity.Of(gaDays / 7), facts.GestationalAgeWeeks);
        Assert.Equal(280 - gaDays, facts.AgeDays - facts.CorrectedAgeDays.ToNullableInt32());
        Assert.Equal(gaDays + 31, facts.PostmenstrualAgeDays.ToNullableInt32());
    }

    [Fact]
    public void Derive_PretermWeeksCodeResolved_StillNamesTheGestationalAge()
    {
        var conditions = new[] { Condition("P07.33") with { Status = ConditionStatus.Resolved } };

        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z", conditions: conditions));

        Assert.Equal(210, facts.GestationalAgeDays.ToNullableInt32());
        Assert.Equal(GestationCategory.VeryPreterm, facts.GestationCategoryValue);
    }

    [Fact]
    public void Derive_GestationalAgeGivenAndPretermWeeksCode_GivenValueWins()
    {
        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z", ga: new GestationalAge(34, 2), conditions: [Condition("P07.33")]));

        Assert.Equal(240, facts.GestationalAgeDays.ToNullableInt32());
        Assert.Equal(GestationCategory.ModerateLatePreterm, facts.GestationCategoryValue);
    }

    [Theory]
    [InlineData(200, BirthWeightCategory.ExtremelyLowBirthWeight)]
    [InlineData(999, BirthWeightCategory.ExtremelyLowBirthWeight)]
    [InlineData(1000, BirthWeightCategory.VeryLowBirthWeight)]
    [InlineData(1499, BirthWeightCategory.VeryLowBirthWeight)]
    [InlineData(1500, BirthWeightCategory.LowBirthWeight)]
    [InlineData(2499, BirthWeightCategory.LowBirthWeight)]
    [InlineData(2500, BirthWeightCategory.NormalBirthWeight)]
    [InlineData(7000, BirthWeightCategory.NormalBirthWeight)]
    public void Derive_BirthWeight_Category(int grams, BirthWeightCategory category)
    {
        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z") with { BirthWeightGrams = grams });

        Assert.Equal(category, facts.BirthWeightCategoryValue);
        Assert.Equal(EnumNames.Of(category), facts.BirthWeightCategory);
        Assert.Equal(Quantity.Of(grams), facts.BirthWeightGrams);
    }

    [Fact]
    public void Derive_UnknownBirthWeight_IsUnknownNotZero()
    {
        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z"));

        Assert.Equal(BirthWeightCategory.Unspecified, facts.BirthWeightCategoryValue);
        Assert.Equal("UNKNOWN", facts.BirthWeightCategory);
        Assert.True(facts.BirthWeightGrams.IsUnknown);
        Assert.False(facts.BirthWeightGrams.Below(2500));
        Assert.False(facts.BirthWeightGrams.AtLeast(0));
    }

    [Fact]
    public void Derive_Conditions_SortsRecognisedAndUnrecognisedInRequestOrder()
    {
        var conditions = new[]
        {
            new ProfileCondition(CodeSystems.Icd10Cm, "X99.9", "", ConditionStatus.Active, null, null),
            new ProfileCondition(CodeSystems.Icd10Cm, "R50.9", "Fever", ConditionStatus.Active, new DateOnly(2026, 1, 30), null),
            new ProfileCondition(CodeSystems.SnomedCt, "000000", "", ConditionStatus.Resolved, null, null),
            new ProfileCondition(CodeSystems.Catalog, StubCodeResolver.Eczema, "", ConditionStatus.Resolved, null, BodyArea.Arms),
            new ProfileCondition(CodeSystems.Icd10Cm, "Z23", "", ConditionStatus.Unspecified, null, null),
        };

        var derivation = FactsDeriver.Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z", conditions: conditions), Resolver, new FactsOptions());

        Assert.Equal([conditions[0], conditions[2]], derivation.Unrecognized);
        Assert.Equal(
            [
                new FactCondition(StubCodeResolver.Fever, ConditionStatus.Active, new DateOnly(2026, 1, 30), null, CodeSystems.Icd10Cm, "R50.9"),
                new FactCondition(StubCodeResolver.Eczema, ConditionStatus.Resolved, null, BodyArea.Arms, CodeSystems.Catalog, StubCodeResolver.Eczema),
                new FactCondition(StubCodeResolver.Immunisation, ConditionStatus.Active, null, null, CodeSystems.Icd10Cm, "Z23"),
            ],
            derivation.Facts.Conditions);
        Assert.True(derivation.Facts.Has(StubCodeResolver.Fever));
        Assert.True(derivation.Facts.Has(StubCodeResolver.Immunisation));
        Assert.False(derivation.Facts.Has(StubCodeResolver.Eczema));
        Assert.True(derivation.Facts.HasResolved(StubCodeResolver.Eczema));
        Assert.Equal("http://hl7.org/fhir/sid/icd-10-cm|R50.9", derivation.Facts.Conditions[0].Reference);
    }

    [Fact]
    public void Derive_SessionAndObservations_AreCopied()
    {
        var profile = Profile("2026-01-01", "2026-02-01T12:00:00Z") with
        {
            Session = new PlannedSession(Instant("2026-02-01T12:00:00Z"), "UTC", Setting.Nicu, Pressure.Light, true, [BodyArea.WholeBody, BodyArea.Back]),
            TemperatureCelsius = 37.9,
            MinutesSinceLastFeed = 20,
        };

        var facts = Derive(profile);

        Assert.Equal(Setting.Nicu, facts.SettingValue);
        Assert.Equal("NICU", facts.Setting);
        Assert.Equal(Pressure.Light, facts.PlannedPressureValue);
        Assert.Equal("LIGHT", facts.PlannedPressure);
        Assert.True(facts.MedicalRelease);
        Assert.Equal([BodyArea.WholeBody, BodyArea.Back], facts.PlannedAreas);
        Assert.True(facts.PlansArea("BACK"));
        Assert.True(facts.PlansArea("WHOLE_BODY"));
        Assert.True(facts.PlansArea("ABDOMEN"));
        Assert.Equal(Quantity.Of(37.9), facts.TemperatureCelsius);
        Assert.Equal(Quantity.Of(20), facts.MinutesSinceLastFeed);
    }

    [Fact]
    public void Derive_NoObservations_AreUnknown()
    {
        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z"));

        Assert.True(facts.TemperatureCelsius.IsUnknown);
        Assert.False(facts.TemperatureCelsius.AtLeast(38));
        Assert.True(facts.MinutesSinceLastFeed.IsUnknown);
        Assert.False(facts.MinutesSinceLastFeed.Below(30));
        Assert.Equal("UNSPECIFIED", facts.Setting);
        Assert.Equal("UNSPECIFIED", facts.PlannedPressure);
    }

    [Theory]
    // Term from the rule set's termGestationWeeks: a corrected age and a preterm category below it, neither from it.
    [InlineData(32, 31, 6, GestationCategory.VeryPreterm)]
    [InlineData(32, 32, 0, GestationCategory.Term)]
    [InlineData(36, 35, 6, GestationCategory.ModerateLatePreterm)]
    [InlineData(36, 36, 0, GestationCategory.Term)]
    [InlineData(38, 37, 6, GestationCategory.ModerateLatePreterm)]
    [InlineData(38, 38, 0, GestationCategory.Term)]
    [InlineData(42, 41, 6, GestationCategory.ModerateLatePreterm)]
    [InlineData(42, 42, 0, GestationCategory.PostTerm)]
    public void Derive_TermGestationWeeks_SetsThePretermLimitAndTheCategory(int termWeeks, int weeks, int days, GestationCategory category)
    {
        var options = new FactsOptions { TermGestationWeeks = termWeeks };

        var facts = Derive(Profile("2026-01-01", "2026-02-01T12:00:00Z", ga: new GestationalAge(weeks, days)), options);

        var preterm = weeks < termWeeks;
        Assert.Equal(category, facts.GestationCategoryValue);
        Assert.Equal(preterm, facts.CorrectedAgeDays.IsKnown);
        Assert.Equal(preterm, facts.GestationalAgeWeeks.Below(termWeeks));
        Assert.Equal(preterm ? facts.CorrectedAgeDays.ToNullableInt32() : facts.AgeDays, facts.InfantAgeDays);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(43)]
    public void Derive_TermGestationWeeksOutOfRange_Throws(int termWeeks)
    {
        var profile = Profile("2026-01-01", "2026-02-01T12:00:00Z");

        Assert.Throws<ArgumentOutOfRangeException>(() => Derive(profile, new FactsOptions { TermGestationWeeks = termWeeks }));
    }

    [Fact]
    public void Derive_BirthAfterAsOfDate_Throws()
    {
        var profile = Profile("2026-03-02", "2026-03-01T23:30:00Z", "America/Los_Angeles");

        Assert.Throws<ArgumentException>(() => Derive(profile));
    }

    [Fact]
    public void Derive_UnknownTimeZone_Throws()
    {
        var profile = Profile("2026-01-01", "2026-02-01T12:00:00Z", "Nowhere/Special");

        Assert.Throws<ArgumentException>(() => Derive(profile));
    }

    [Fact]
    public void Derive_NegativeCutoff_Throws()
    {
        var profile = Profile("2026-01-01", "2026-02-01T12:00:00Z");

        Assert.Throws<ArgumentOutOfRangeException>(() => FactsDeriver.Derive(profile, Resolver, new FactsOptions { CorrectedAgeCutoffMonths = -1 }));
    }

    [Fact]
    public void Derive_BirthAtEndOfCalendarWithPretermGestation_CountsCorrectedMonthsPastYear9999()
    {
        // The due date (birth + 126 days) is in year 10000; corrected months are still counted.
        var facts = Derive(Profile("9999-12-01", "9999-12-31T12:00:00Z", ga: new GestationalAge(22, 0)));

        Assert.Equal(30, facts.AgeDays);
        Assert.Equal(-96, facts.CorrectedAgeDays.ToNullableInt32());
        Assert.Equal(-4, facts.CorrectedAgeMonths.ToNullableInt32());
    }

    private static ChildFacts Derive(ChildProfile profile, FactsOptions? options = null) =>
        FactsDeriver.Derive(profile, Resolver, options ?? new FactsOptions()).Facts;

    private static ChildProfile Profile(
        string birth, string asOf, string zone = "UTC", GestationalAge? ga = null, IReadOnlyList<ProfileCondition>? conditions = null) => new()
        {
            RequestId = "req-1",
            PatientRef = "synthetic-001",
            BirthDate = Date(birth),
            GestationalAgeAtBirth = ga,
            Conditions = conditions ?? [],
            Session = new PlannedSession(Instant(asOf), zone, Setting.Unspecified, Pressure.Unspecified, false, []),
        };

    private static ProfileCondition Condition(string icd10Code) =>
        new(CodeSystems.Icd10Cm, icd10Code, "", ConditionStatus.Active, null, null);

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
