using SafetyCheck.AuditPage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.IntegrationTests.AuditPage;

public sealed class FactRowsTests
{
    [Fact]
    public void Of_Facts_EveryFactOnceByItsContractName()
    {
        var facts = new ChildFacts
        {
            AsOfDate = new DateOnly(2026, 3, 2),
            AgeDays = 100,
            AgeMonths = 3,
            AgeYears = 0,
            InfantAgeDays = 100,
            InfantAgeMonths = 3,
            BirthWeightGrams = Quantity.Of(2100),
            AgeBandValue = AgeBand.Infant,
            GestationCategoryValue = GestationCategory.Unspecified,
            BirthWeightCategoryValue = BirthWeightCategory.LowBirthWeight,
            SettingValue = Setting.Home,
            PlannedPressureValue = Pressure.Light,
            MedicalRelease = true,
            PlannedAreas = [BodyArea.Back, BodyArea.Legs],
            Conditions = [new FactCondition("eczema", ConditionStatus.Active, null, BodyArea.Arms, CodeSystems.Icd10Cm, "L20.9")],
        };

        var rows = FactRows.Of(facts).ToDictionary(r => r.Name, r => r.Value);

        Assert.Equal("INFANT", rows["age_band"]);
        Assert.Equal("LOW_BIRTH_WEIGHT", rows["birth_weight_category"]);
        Assert.Equal("UNKNOWN", rows["gestation_category"]);
        Assert.Equal("HOME", rows["setting"]);
        Assert.Equal("LIGHT", rows["planned_pressure"]);
        Assert.Equal("100", rows["age_days"]);
        Assert.Equal("2100", rows["birth_weight_grams"]);
        Assert.Equal("unknown", rows["gestational_age_days"]);
        Assert.Equal("yes", rows["medical_release"]);
        Assert.Equal("BACK, LEGS", rows["planned_areas"]);
        Assert.Equal("2026-03-02", rows["as_of_date"]);
        Assert.StartsWith("eczema (", rows["condition"], StringComparison.Ordinal);
        Assert.Equal("no", rows["gestation_known"]);
        Assert.DoesNotContain("age_band_value", rows.Keys);
    }
}
