using System.Globalization;

namespace SafetyCheck.Core.Facts;

/// <summary>
/// A number that may be unknown. Unknown is a state, not a value: every comparison on an unknown quantity is
/// false, and there is deliberately no property that yields the number, so a rule cannot compare an unknown
/// gestational age or weight as 0. Rules ask <see cref="IsKnown"/> or <see cref="IsUnknown"/> when the unknown case
/// matters to them. The unit is given by the fact that holds the quantity.
/// </summary>
public sealed class Quantity : IEquatable<Quantity>
{
    private readonly double _value;

    private Quantity(bool known, double value)
    {
        IsKnown = known;
        _value = value;
    }

    /// <summary>The unknown quantity.</summary>
    public static Quantity Unknown { get; } = new(false, 0);

    /// <summary>True when the value is known.</summary>
    public bool IsKnown { get; }

    /// <summary>True when the value is unknown.</summary>
    public bool IsUnknown => !IsKnown;

    /// <summary>A known quantity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static Quantity Of(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A quantity is finite.");
        }

        return new Quantity(true, value);
    }

    /// <summary>A known quantity when <paramref name="value"/> has one, otherwise <see cref="Unknown"/>.</summary>
    public static Quantity From(double? value) => value is { } v ? Of(v) : Unknown;

    /// <summary>A known quantity when <paramref name="value"/> has one, otherwise <see cref="Unknown"/>.</summary>
    public static Quantity From(int? value) => value is { } v ? Of(v) : Unknown;

    /// <summary>Known and strictly less than <paramref name="limit"/>.</summary>
    public bool Below(double limit) => IsKnown && _value < limit;

    /// <summary>Known and greater than or equal to <paramref name="limit"/>.</summary>
    public bool AtLeast(double limit) => IsKnown && _value >= limit;

    /// <summary>Known and strictly greater than <paramref name="limit"/>.</summary>
    public bool Above(double limit) => IsKnown && _value > limit;

    /// <summary>Known and less than or equal to <paramref name="limit"/>.</summary>
    public bool AtMost(double limit) => IsKnown && _value <= limit;

    /// <summary>Known and within [<paramref name="low"/>, <paramref name="high"/>), the half-open interval.</summary>
    public bool InRange(double low, double high) => IsKnown && _value >= low && _value < high;

    /// <summary>For C# callers (mapping, audit): the value when known. Not part of the rule vocabulary.</summary>
    public bool TryGetValue(out double value)
    {
        value = _value;
        return IsKnown;
    }

    /// <summary>For C# callers: the value as a nullable, so the compiler forces the unknown case to be handled.</summary>
    public double? ToNullable() => IsKnown ? _value : null;

    /// <inheritdoc/>
    public bool Equals(Quantity? other) => other is not null && other.IsKnown == IsKnown && other._value.Equals(_value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Quantity);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(IsKnown, _value);

    /// <inheritdoc/>
    public override string ToString() => IsKnown ? _value.ToString("R", CultureInfo.InvariantCulture) : "unknown";
}
