using Hl7.Fhir.Model;
using SafetyCheck.Fhir.Tests.Support;
using SafetyCheck.Fhir.Values;

namespace SafetyCheck.Fhir.Tests.Values;

public sealed class ObservationValuesTests
{
    [Theory]
    [InlineData("37", "wk", 37, 0)]
    [InlineData("37.5", "wk", 37, 3)]
    [InlineData("31.99", "wk", 31, 6)]
    [InlineData("279", "d", 39, 6)]
    [InlineData("280.9", "d", 40, 0)]
    [InlineData("224", "days", 32, 0)]
    public void GestationalAge_Quantity_CompletedWeeksAndDays(string value, string unit, int weeks, int days)
    {
        var read = ObservationValues.GestationalAge(Build.Ucum(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit));

        Assert.Null(read.Problem);
        Assert.Equal((weeks, days), (read.Value.Weeks, read.Value.Days));
    }

    [Fact]
    public void GestationalAge_UnitTextWithoutCode_ReadsTheUnit()
    {
        var read = ObservationValues.GestationalAge(new Quantity { Value = 36, Unit = "weeks" });

        Assert.Equal((36, 0), (read.Value.Weeks, read.Value.Days));
    }

    [Theory]
    [InlineData("39+6", 39, 6)]
    [InlineData(" 39 + 6 ", 39, 6)]
    [InlineData("27+0", 27, 0)]
    [InlineData("39w 6d", 39, 6)]
    [InlineData("40W 0D", 40, 0)]
    [InlineData("39 weeks 6 days", 39, 6)]
    [InlineData("34 wk", 34, 0)]
    public void GestationalAge_String_WeeksPlusDays(string text, int weeks, int days)
    {
        var read = ObservationValues.GestationalAge(new FhirString(text));

        Assert.Null(read.Problem);
        Assert.Equal((weeks, days), (read.Value.Weeks, read.Value.Days));
    }

    [Theory]
    [InlineData("39+7", "days are 0 to 6")]
    [InlineData("about 39 weeks", "is not a gestational age")]
    [InlineData("39.6", "is not a gestational age")]
    [InlineData("", "is not a gestational age")]
    public void GestationalAge_UnreadableString_Problem(string text, string problem)
    {
        var read = ObservationValues.GestationalAge(new FhirString(text));

        Assert.Contains(problem, read.Problem);
    }

    [Theory]
    [InlineData("\u0663\u0660+\u0662")] // Arabic-Indic digits: 30+2
    [InlineData("\uFF13\uFF19+\uFF16")] // full-width digits: 39+6
    [InlineData("\u0968\u096E w")] // Devanagari digits: 28 w
    public void GestationalAge_DigitsOtherThanAscii_Problem(string text)
    {
        var read = ObservationValues.GestationalAge(new FhirString(text));

        Assert.Contains("is not a gestational age", read.Problem);
    }

    [Theory]
    [InlineData("-3", "d")]
    [InlineData("-1", "wk")]
    [InlineData("-0.5", "d")]
    [InlineData("-0.01", "wk")]
    [InlineData("70000000000000000000000000000", "wk")]
    [InlineData("-70000000000000000000000000000", "wk")]
    [InlineData("70000000000000000000000000000", "d")]
    public void GestationalAge_NegativeOrTooLargeToConvert_OutOfRange(string value, string unit)
    {
        var read = ObservationValues.GestationalAge(Build.Ucum(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit));

        Assert.Equal("is out of range", read.Problem);
    }

    [Fact]
    public void GestationalAge_MonthsOrComparatorOrCodeableConcept_Problem()
    {
        Assert.Contains("only wk and d", ObservationValues.GestationalAge(Build.Ucum(9, "mo")).Problem);
        var below = Build.Ucum(37, "wk");
        below.Comparator = Quantity.QuantityComparator.LessThan;
        Assert.Contains("comparator", ObservationValues.GestationalAge(below).Problem);
        Assert.Contains("only valueQuantity", ObservationValues.GestationalAge(new CodeableConcept("http://loinc.org", "x")).Problem);
        Assert.Contains("has no value", ObservationValues.GestationalAge(null).Problem);
    }

    [Theory]
    [InlineData("3250", "g", 3250)]
    [InlineData("3.25", "kg", 3250)]
    [InlineData("1.4495", "kg", 1450)]
    [InlineData("7.5", "[lb_av]", 3402)]
    [InlineData("7.5", "lb", 3402)]
    [InlineData("115", "[oz_av]", 3260)]
    [InlineData("115", "oz", 3260)]
    public void BirthWeightGrams_EachUnit_RoundedGrams(string value, string unit, int grams)
    {
        var read = ObservationValues.BirthWeightGrams(Build.Ucum(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit));

        Assert.Null(read.Problem);
        Assert.Equal(grams, read.Value);
    }

    [Fact]
    public void BirthWeightGrams_UnknownUnitOrString_Problem()
    {
        Assert.Contains("only g, kg", ObservationValues.BirthWeightGrams(Build.Ucum(3, "st")).Problem);
        Assert.Contains("only valueQuantity", ObservationValues.BirthWeightGrams(new FhirString("3 kg")).Problem);
    }

    [Theory]
    [InlineData("70000000000000000000000000000", "kg")]
    [InlineData("70000000000000000000000000000", "[lb_av]")]
    [InlineData("70000000000000000000000000000", "[oz_av]")]
    [InlineData("-70000000000000000000000000000", "kg")]
    public void BirthWeightGrams_AmountTooLargeToConvert_OutOfRange(string value, string unit)
    {
        var read = ObservationValues.BirthWeightGrams(Build.Ucum(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit));

        Assert.Equal("is out of range", read.Problem);
    }

    [Theory]
    [InlineData("37.2", "Cel", 37.2)]
    [InlineData("100.4", "[degF]", 38.0)]
    [InlineData("97.7", "[degF]", 36.5)]
    [InlineData("95", "[degF]", 35.0)]
    public void TemperatureCelsius_CelsiusOrFahrenheit_Celsius(string value, string unit, double celsius)
    {
        var read = ObservationValues.TemperatureCelsius(Build.Ucum(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit));

        Assert.Null(read.Problem);
        Assert.Equal(celsius, read.Value);
    }

    [Fact]
    public void TemperatureCelsius_Kelvin_Problem()
    {
        Assert.Contains("only Cel and [degF]", ObservationValues.TemperatureCelsius(Build.Ucum(310, "K")).Problem);
    }

    [Theory]
    [InlineData("70000000000000000000000000000", "[degF]")]
    [InlineData("-70000000000000000000000000000", "[degF]")]
    [InlineData("70000000000000000000000000000", "Cel")]
    public void TemperatureCelsius_AmountTooLargeToConvert_OutOfRange(string value, string unit)
    {
        var read = ObservationValues.TemperatureCelsius(Build.Ucum(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit));

        Assert.Equal("is out of range", read.Problem);
    }
}
