using System.Globalization;

namespace SafetyCheck.Core.Facts;

/// <summary>
/// A number that may be unknown. Unknown is a state, not a value: every comparison on an unknown quantity is
/// false, and there is deliberately no member rules may read that yields the number, so a rule cannot compare an
/// unknown gestational age or weight as 0. Rules ask <see cref="IsKnown"/> or <see cref="IsUnknown"/> when the unknown
/// case matters to them. The unit is given by the fact that holds the quantity. A value type: facts hold their
/// quantities without allocating, and <c>default</c> is <see cref="Unknown"/>.
/// </summary>
public readonly struct Quantity : IEquatable<Quantity>
{
    private readonly double _value;

    private Quantity(double value)
    {
        IsKnown = true;
        _value = value;
    }

    /// <summary>The unknown quantity (also <c>default</c>).</summary>
    public static Quantity Unknown => default;

    /// <summary>True when the value is known.</summary>
    [RuleVisible]
    public bool IsKnown { get; }

    /// <summary>True when the value is unknown.</summary>
    [RuleVisible]
    public bool IsUnknown => !IsKnown;

    /// <summary>A known quantity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static Quantity Of(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A quantity is finite.");
        }

        return new Quantity(value);
    }

    /// <summary>A known quantity when <paramref name="value"/> has one, otherwise <see cref="Unknown"/>.</summary>
    public static Quantity From(double? value) => value is { } v ? Of(v) : Unknown;

    /// <summary>A known quantity when <paramref name="value"/> has one, otherwise <see cref="Unknown"/>.</summary>
    public static Quantity From(int? value) => value is { } v ? new Quantity(v) : Unknown;

    /// <summary>Known and strictly less than <paramref name="limit"/>.</summary>
    [RuleVisible]
    public bool Below(double limit) => IsKnown && _value < limit;

    /// <summary>Known and greater than or equal to <paramref name="limit"/>.</summary>
    [RuleVisible]
    public bool AtLeast(double limit) => IsKnown && _value >= limit;

    /// <summary>Known and strictly greater than <paramref name="limit"/>.</summary>
    [RuleVisible]
    public bool Above(double limit) => IsKnown && _value > limit;

    /// <summary>Known and less than or equal to <paramref name="limit"/>.</summary>
    [RuleVisible]
    public bool AtMost(double limit) => IsKnown && _value <= limit;

    /// <summary>Known and within [<paramref name="low"/>, <paramref name="high"/>), the half-open interval.</summary>
    [RuleVisible]
    public bool InRange(double low, double high) => IsKnown && _value >= low && _value < high;

    /// <summary>For C# callers (mapping, audit): the value when known. Not part of the rule vocabulary.</summary>
    public bool TryGetValue(out double value)
    {
        value = _value;
        return IsKnown;
    }

    /// <summary>For C# callers: the value as a nullable, so the compiler forces the unknown case to be handled.</summary>
    public double? ToNullable() => IsKnown ? _value : null;

    /// <summary>
    /// For C# callers: the value of a whole-number fact (an age, a weight, minutes) as a nullable integer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is known but not a whole number within <see cref="int"/>.</exception>
    public int? ToNullableInt32()
    {
        if (!IsKnown)
        {
            return null;
        }

        return _value is >= int.MinValue and <= int.MaxValue && Math.Floor(_value) == _value
            ? (int)_value
            : throw new InvalidOperationException($"The quantity {ToString()} is not a whole number.");
    }

    public static bool operator ==(Quantity left, Quantity right) => left.Equals(right);

    public static bool operator !=(Quantity left, Quantity right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(Quantity other) => other.IsKnown == IsKnown && other._value.Equals(_value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(IsKnown, _value);

    /// <inheritdoc/>
    public override string ToString() => IsKnown ? _value.ToString("R", CultureInfo.InvariantCulture) : "unknown";
}
