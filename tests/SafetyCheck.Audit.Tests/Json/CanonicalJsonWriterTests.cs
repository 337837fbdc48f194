using System.Text.Json.Nodes;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Tests.Json;

/// <summary>The streaming writer against <see cref="CanonicalJson"/>, which canonicalises any JSON: they must agree byte for byte.</summary>
public class CanonicalJsonWriterTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("\"")]
    [InlineData("\\")]
    [InlineData("\n\r\t\b\f")]
    [InlineData("\u0000\u001f\u007f")]
    [InlineData("/é\u2028<>&'€😀")]
    [InlineData("")]
    public void WriteStringValue_EscapesAsCanonicalJson(string value)
    {
        using var writer = new CanonicalJsonWriter();

        writer.WriteStringValue(value);

        Assert.Equal(CanonicalJson.Serialize(JsonValue.Create(value)), writer.ToString());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(36.6)]
    [InlineData(38.25)]
    [InlineData(0.1 + 0.2)]
    [InlineData(1e20)]
    [InlineData(1e21)]
    [InlineData(1e-7)]
    [InlineData(0.000001)]
    [InlineData(-1.5e300)]
    public void WriteNumberValue_WritesNumbersAsEcmaScript(double value)
    {
        using var writer = new CanonicalJsonWriter();

        writer.WriteNumberValue(value);

        Assert.Equal(CanonicalJson.FormatNumber(value), writer.ToString());
    }

    [Fact]
    public void Write_NestedDocument_IsItsOwnCanonicalForm()
    {
        using var writer = new CanonicalJsonWriter();

        writer.WriteStartObject();
        writer.WritePropertyName("a");
        writer.WriteStartArray();
        writer.WriteNumberValue(-42);
        writer.WriteBooleanValue(true);
        writer.WriteNullValue();
        writer.WriteStartObject();
        writer.WriteEndObject();
        writer.WriteStartArray();
        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.WritePropertyName("b");
        writer.WriteDateValue(new DateOnly(2026, 3, 2));
        writer.WritePropertyName("c");
        writer.WriteTimeValue(new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(1)).AddTicks(7));
        writer.WritePropertyName("d");
        writer.WriteStringValue("sct", '|', "1234\"5");
        writer.WriteEndObject();

        var text = writer.ToString();
        Assert.Equal("""{"a":[-42,true,null,{},[]],"b":"2026-03-02","c":"2026-03-02T10:00:00.0000007Z","d":"sct|1234\"5"}""", text);
        Assert.Equal(CanonicalJson.Canonicalize(text), text);
    }

    [Fact]
    public void Write_LargerThanTheFirstBuffer_GrowsAndHashesTheWhole()
    {
        using var writer = new CanonicalJsonWriter();
        var long1 = new string('x', CanonicalJsonWriter.InitialCapacity * 3);

        writer.WriteStartArray();
        writer.WriteStringValue(long1);
        writer.WriteStringValue("€");
        writer.WriteEndArray();

        Assert.Equal($"[\"{long1}\",\"€\"]", writer.ToString());
        Assert.Equal(ChainHash.Of(writer.ToString()), writer.Sha256Hex());
    }

    [Fact]
    public void Sha256Hex_ReusedWriterHashingManyDocuments_EachTheHashOfItsOwnText()
    {
        using var writer = new CanonicalJsonWriter();
        for (var i = 0; i < 50; i++)
        {
            writer.Reset();
            writer.WriteStartObject();
            writer.WritePropertyName("n");
            writer.WriteNumberValue(i);
            writer.WritePropertyName("text");
            writer.WriteStringValue(new string('a', i * 37));
            writer.WriteEndObject();

            Assert.Equal(ChainHash.Of(writer.ToString()), writer.Sha256Hex());
            Assert.Equal(ChainHash.Of(writer.ToString()), writer.Sha256Hex());
        }
    }

    [Fact]
    public void WriteNumberValue_NegativeZero_IsZero()
    {
        using var writer = new CanonicalJsonWriter();

        writer.WriteNumberValue(-0.0);

        Assert.Equal("0", writer.ToString());
    }

    [Fact]
    public void Reset_StartsANewDocument()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartArray();
        writer.WriteNumberValue(1);
        writer.WriteEndArray();

        writer.Reset();
        writer.WriteNumberValue(2);

        Assert.Equal("2", writer.ToString());
    }

    [Fact]
    public void Write_NoCanonicalForm_IsRefused()
    {
        using var writer = new CanonicalJsonWriter();

        Assert.Throws<ArgumentException>(() => writer.WriteStringValue("a\ud800b"));
        Assert.Throws<ArgumentException>(() => writer.WriteNumberValue(CanonicalJson.MaxSafeInteger + 1));
        Assert.Throws<ArgumentException>(() => writer.WriteNumberValue(double.NaN));
    }
}
