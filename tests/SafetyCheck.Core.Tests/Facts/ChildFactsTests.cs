using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.Core.Tests.Facts;

public sealed class ChildFactsTests
{
    private static readonly DateOnly AsOfDate = new(2026, 5, 10);

    [Theory]
    [InlineData("fever", true)]
    [InlineData("eczema", false)]
    [InlineData("fracture", false)]
    [InlineData("FEVER", false)]
    public void Has_ActiveConditionId_TrueOnlyForActive(string id, bool expected)
    {
        var facts = Facts(Active("fever"), Resolved("eczema"));

        Assert.Equal(expected, facts.Has(id));
    }

    [Theory]
    [InlineData("eczema", true)]
    [InlineData("fever", false)]
    [InlineData("fracture", false)]
    public void HasResolved_ResolvedConditionId_TrueOnlyForResolved(string id, bool expected)
    {
        var facts = Facts(Active("fever"), Resolved("eczema"));

        Assert.Equal(expected, facts.HasResolved(id));
    }

    [Fact]
    public void Has_SameIdActiveAndResolved_BothTrue()
    {
        var facts = Facts(Active("eczema"), Resolved("eczema"));

        Assert.True(facts.Has("eczema"));
        Assert.True(facts.HasResolved("eczema"));
    }

    [Theory]
    // Onset 3 days before the as_of date: within 3 days, not within 2.
    [InlineData(3, 2, false)]
    [InlineData(3, 3, true)]
    [InlineData(3, 4, true)]
    [InlineData(2, 2, true)]
    [InlineData(2, 1, false)]
    [InlineData(0, 0, true)]
    [InlineData(21, 20, false)]
    [InlineData(21, 21, true)]
    public void HasWithinDays_OnsetDaysBeforeAsOf_ComparesCalendarDays(int daysAgo, int window, bool expected)
    {
        var facts = Facts(Active("recent-immunisation", AsOfDate.AddDays(-daysAgo)));

        Assert.Equal(expected, facts.HasWithinDays("recent-immunisation", window));
    }

    [Fact]
    public void HasWithinDays_UndatedOrOtherId_False()
    {
        var facts = Facts(
            Active("recent-immunisation"),
            Resolved("surgery"),
            Active("fracture", AsOfDate.AddDays(-1)));

        Assert.False(facts.HasWithinDays("recent-immunisation", 30));
        Assert.False(facts.HasWithinDays("surgery", 30));
        Assert.False(facts.HasWithinDays("fever", 30));
        Assert.True(facts.HasWithinDays("fracture", 30));
    }

    [Theory]
    // Dates decide recency whatever the status: a RESOLVED dated condition counts inside its window, not outside.
    [InlineData(2, 2, true)]
    [InlineData(3, 2, false)]
    [InlineData(42, 42, true)]
    [InlineData(43, 42, false)]
    public void HasWithinDays_ResolvedWithOnset_CountsInsideTheWindow(int daysAgo, int window, bool expected)
    {
        var facts = Facts(Resolved("immunisation", AsOfDate.AddDays(-daysAgo)));

        Assert.Equal(expected, facts.HasWithinDays("immunisation", window));
        Assert.False(facts.Has("immunisation"));
        Assert.False(facts.HasUndated("immunisation"));
    }

    [Fact]
    public void HasWithinDays_SeveralOnsets_AnyRecentOneCounts()
    {
        var facts = Facts(Active("fracture", AsOfDate.AddDays(-90)), Active("fracture", AsOfDate.AddDays(-5)));

        Assert.True(facts.HasWithinDays("fracture", 7));
        Assert.False(facts.HasWithinDays("fracture", 4));
    }

    [Fact]
    public void HasUndated_WithoutOnsetWhateverTheStatus_TrueOtherwiseFalse()
    {
        var facts = Facts(
            Active("recent-immunisation"),
            Active("fracture", AsOfDate.AddDays(-2)),
            Resolved("surgery"),
            Resolved("burn", AsOfDate.AddDays(-400)));

        Assert.True(facts.HasUndated("recent-immunisation"));
        Assert.False(facts.HasUndated("fracture"));
        Assert.True(facts.HasUndated("surgery"));
        Assert.False(facts.HasUndated("burn"));
        Assert.False(facts.HasUndated("fever"));
    }

    [Theory]
    [InlineData("ABDOMEN", true)]
    [InlineData("LEGS", true)]
    [InlineData("WHOLE_BODY", false)]
    [InlineData("HEAD", false)]
    [InlineData("abdomen", false)]
    [InlineData("UNSPECIFIED", false)]
    [InlineData("", false)]
    public void PlansArea_ListedAreas_TrueOnlyForThoseListed(string area, bool expected)
    {
        var facts = Data() with { PlannedAreas = [BodyArea.Abdomen, BodyArea.Legs] };

        Assert.Equal(expected, facts.PlansArea(area));
    }

    [Fact]
    public void PlansArea_WholeBody_IncludesEveryArea()
    {
        var facts = Data() with { PlannedAreas = [BodyArea.WholeBody] };

        Assert.All(EnumNames.All<BodyArea>(), area => Assert.True(facts.PlansArea(area), area));
        Assert.False(facts.PlansArea("UNSPECIFIED"));
        Assert.False(facts.PlansArea("abdomen"));
    }

    [Fact]
    public void PlansArea_NothingPlanned_False()
    {
        var facts = Data();

        Assert.All(EnumNames.All<BodyArea>(), area => Assert.False(facts.PlansArea(area), area));
    }

    [Theory]
    [InlineData(new[] { BodyArea.Back }, BodyArea.Back, true)]
    [InlineData(new[] { BodyArea.Back }, BodyArea.Abdomen, false)]
    [InlineData(new[] { BodyArea.WholeBody }, BodyArea.Abdomen, true)]
    [InlineData(new[] { BodyArea.WholeBody }, BodyArea.Neck, true)]
    [InlineData(new[] { BodyArea.Legs }, BodyArea.WholeBody, true)]
    [InlineData(new BodyArea[0], BodyArea.WholeBody, false)]
    [InlineData(new[] { BodyArea.WholeBody }, BodyArea.Unspecified, false)]
    public void PlanTouches_AvoidedArea_WholeBodyIncludesEveryArea(BodyArea[] planned, BodyArea avoided, bool expected)
    {
        Assert.Equal(expected, ChildFacts.PlanTouches(planned, avoided));
    }

    [Fact]
    public void PlanTouches_AgreesWithPlansAreaForEveryArea()
    {
        foreach (var plan in new[] { new[] { BodyArea.WholeBody }, [BodyArea.Face, BodyArea.Back], [] })
        {
            var facts = Data() with { PlannedAreas = plan };
            foreach (var area in Enum.GetValues<BodyArea>().Where(a => a is not BodyArea.Unspecified and not BodyArea.WholeBody))
            {
                Assert.Equal(ChildFacts.PlanTouches(plan, area), facts.PlansArea(EnumNames.Of(area)));
            }
        }
    }

    [Theory]
    [InlineData(258, 36, true)]
    [InlineData(259, 37, false)]
    [InlineData(195, 27, true)]
    [InlineData(196, 28, true)]
    public void GestationalAgeWeeks_FromDays_CompletedWeeks(int gaDays, int weeks, bool below37)
    {
        var facts = Data() with { GestationalAgeDays = Quantity.From(gaDays) };

        Assert.True(facts.GestationKnown);
        Assert.Equal(Quantity.Of(weeks), facts.GestationalAgeWeeks);
        Assert.Equal(below37, facts.GestationalAgeWeeks.Below(37));
        Assert.Equal(!below37, facts.GestationalAgeWeeks.AtLeast(37));
    }

    [Fact]
    public void Quantity_Unknown_EveryComparisonIsFalse()
    {
        var unknown = Quantity.Unknown;

        Assert.True(unknown.IsUnknown);
        Assert.False(unknown.IsKnown);
        Assert.False(unknown.Below(0));
        Assert.False(unknown.Below(double.MaxValue));
        Assert.False(unknown.AtLeast(0));
        Assert.False(unknown.AtLeast(double.MinValue));
        Assert.False(unknown.Above(double.MinValue));
        Assert.False(unknown.AtMost(0));
        Assert.False(unknown.InRange(double.MinValue, double.MaxValue));
        Assert.False(unknown.TryGetValue(out _));
        Assert.Null(unknown.ToNullable());
        Assert.Equal("unknown", unknown.ToString());
        Assert.NotEqual(Quantity.Of(0), unknown);
    }

    [Theory]
    [InlineData(37.0, 37.0, false, true, false, true)]
    [InlineData(36.9, 37.0, true, false, false, true)]
    [InlineData(37.1, 37.0, false, true, true, false)]
    public void Quantity_Known_ComparesAsNumber(double value, double limit, bool below, bool atLeast, bool above, bool atMost)
    {
        var quantity = Quantity.Of(value);

        Assert.Equal(below, quantity.Below(limit));
        Assert.Equal(atLeast, quantity.AtLeast(limit));
        Assert.Equal(above, quantity.Above(limit));
        Assert.Equal(atMost, quantity.AtMost(limit));
        Assert.Equal(value, quantity.ToNullable());
    }

    [Theory]
    [InlineData(28, false)]
    [InlineData(29, true)]
    [InlineData(31.9, true)]
    [InlineData(32, false)]
    public void Quantity_InRange_IsHalfOpen(double value, bool expected)
    {
        Assert.Equal(expected, Quantity.Of(value).InRange(28.5, 32));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Quantity_NotFinite_Throws(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantity.Of(value));
    }

    private static ChildFacts Facts(params FactCondition[] conditions) => Data() with { Conditions = conditions };

    private static FactCondition Active(string id, DateOnly? onset = null) =>
        new(id, ConditionStatus.Active, onset, null, CodeSystems.Catalog, id);

    private static FactCondition Resolved(string id, DateOnly? onset = null) =>
        new(id, ConditionStatus.Resolved, onset, null, CodeSystems.Catalog, id);

    private static ChildFacts Data() => new()
    {
        AsOfDate = AsOfDate,
        AgeDays = 100,
        AgeMonths = 3,
        AgeYears = 0,
        InfantAgeDays = 100,
        InfantAgeMonths = 3,
        AgeBandValue = AgeBand.Infant,
        GestationCategoryValue = GestationCategory.Unspecified,
        BirthWeightCategoryValue = BirthWeightCategory.Unspecified,
        SettingValue = Setting.Home,
        PlannedPressureValue = Pressure.Light,
        MedicalRelease = false,
        PlannedAreas = [],
        Conditions = [],
    };
}
