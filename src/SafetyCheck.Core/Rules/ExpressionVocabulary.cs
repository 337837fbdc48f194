using System.Collections.Frozen;
using System.Reflection;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// What a rule expression may reach, exactly as rules/README.md documents it ("The facts vocabulary"): the members of
/// the facts types marked for rules, the operators <see cref="Operators"/>, a fixed set of pure text and arithmetic
/// helpers (<c>Length</c>, <c>StartsWith</c>, <c>Substring</c> …, <c>Math.Abs</c> …) and constants. Everything else
/// (other members and methods, reflection, <c>GetType()</c>, <c>Enumerable</c>, I/O, the clock, assignments) is refused
/// at load by <see cref="ExpressionVetter"/>.
/// </summary>
internal static class ExpressionVocabulary
{
    /// <summary>The name rule expressions use for the child's facts.</summary>
    public const string ChildParameter = "child";

    /// <summary>The operators an expression may use, as rules/README.md lists them (besides parentheses).</summary>
    public const string Operators = "&& || ! == != < <= > >= + -";

    /// <summary>Types whose methods RulesEngine may call (its <c>CustomTypes</c>); nothing else is registered.</summary>
    public static readonly Type[] HelperTypes = [typeof(ChildFacts), typeof(Quantity)];

    /// <summary>Methods whose first argument is a condition id (a string literal naming a catalog id).</summary>
    public static readonly FrozenSet<string> ConditionMethods = new[]
    {
        nameof(ChildFacts.Has), nameof(ChildFacts.HasResolved), nameof(ChildFacts.HasWithinDays), nameof(ChildFacts.HasUndated),
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>String facts with a closed set of values, and those values (a literal compared with them is checked).</summary>
    public static readonly FrozenDictionary<string, FrozenSet<string>> ClosedStringFacts = new Dictionary<string, FrozenSet<string>>
    {
        [nameof(ChildFacts.AgeBand)] = EnumNames.All<AgeBand>().ToFrozenSet(StringComparer.Ordinal),
        [nameof(ChildFacts.GestationCategory)] = EnumNames.All<GestationCategory>().Append("UNKNOWN").ToFrozenSet(StringComparer.Ordinal),
        [nameof(ChildFacts.BirthWeightCategory)] = EnumNames.All<BirthWeightCategory>().Append("UNKNOWN").ToFrozenSet(StringComparer.Ordinal),
        [nameof(ChildFacts.Setting)] = EnumNames.All<Setting>().Append("UNSPECIFIED").ToFrozenSet(StringComparer.Ordinal),
        [nameof(ChildFacts.PlannedPressure)] = EnumNames.All<Pressure>().Append("UNSPECIFIED").ToFrozenSet(StringComparer.Ordinal),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Body area names <c>PlansArea</c> accepts.</summary>
    public static readonly FrozenSet<string> AreaNames = EnumNames.All<BodyArea>().ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<MemberInfo> AllowedMembers = BuildAllowedMembers();

    private static readonly FrozenSet<Type> ConstantTypes = new[]
    {
        typeof(bool), typeof(int), typeof(long), typeof(double), typeof(decimal), typeof(float), typeof(string),
        typeof(int?), typeof(long?), typeof(double?), typeof(bool?), typeof(decimal?), typeof(float?),
    }.ToFrozenSet();

    /// <summary>
    /// The methods an expression may call, as an author writes them: <c>child.Has</c> and the other methods of the facts,
    /// then a quantity's tests (<c>.Below</c> …), in declaration order.
    /// </summary>
    public static readonly string Methods = DescribeMethods();

    /// <summary>True when an expression may read or call <paramref name="member"/>.</summary>
    public static bool IsAllowed(MemberInfo member) => AllowedMembers.Contains(member);

    /// <summary>True when a constant or conversion target of this type is harmless.</summary>
    public static bool IsValueType(Type type) => ConstantTypes.Contains(type);

    private static FrozenSet<MemberInfo> BuildAllowedMembers()
    {
        var members = new HashSet<MemberInfo>();
        const BindingFlags instance = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;

        // The facts' vocabulary is what is marked for rules; members for C# callers stay out unless marked.
        foreach (var type in HelperTypes)
        {
            foreach (var property in type.GetProperties(instance).Where(p => p.IsDefined(typeof(RuleVisibleAttribute), inherit: false)))
            {
                members.Add(property);
                members.Add(property.GetMethod!);
            }

            foreach (var method in type.GetMethods(instance).Where(m => m.IsDefined(typeof(RuleVisibleAttribute), inherit: false)))
            {
                members.Add(method);
            }
        }

        // A fixed set of pure text and arithmetic helpers (rules/README.md lists them): no state, no I/O, bounded work on
        // the short texts and numbers a request can hold. One may still throw (Substring past the end): that rule fails
        // closed at request time, and its cases fail in check and test.
        members.Add(typeof(string).GetProperty(nameof(string.Length))!);
        members.Add(typeof(string).GetProperty(nameof(string.Length))!.GetMethod!);
        foreach (var method in typeof(string).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
        {
            var pure = method.Name is "op_Equality" or "op_Inequality" or "Equals" or "Compare" or "CompareOrdinal" or "Concat"
                or "StartsWith" or "EndsWith" or "Contains" or "IsNullOrEmpty" or "IsNullOrWhiteSpace"
                or "Substring" or "IndexOf" or "Trim" or "ToUpperInvariant" or "ToLowerInvariant";
            if (pure && method.GetParameters().All(p => p.ParameterType == typeof(string) || p.ParameterType == typeof(char) || p.ParameterType == typeof(int) || p.ParameterType == typeof(StringComparison)))
            {
                members.Add(method);
            }
        }

        foreach (var method in typeof(Math).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (method.Name is "Abs" or "Min" or "Max" or "Floor" or "Ceiling" or "Round" && method.GetParameters().All(p => p.ParameterType == typeof(double) || p.ParameterType == typeof(int)))
            {
                members.Add(method);
            }
        }

        return members.ToFrozenSet();
    }

    private static string DescribeMethods()
    {
        const BindingFlags instance = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        string[] Names(Type type) => [.. type.GetMethods(instance)
            .Where(m => m.IsDefined(typeof(RuleVisibleAttribute), inherit: false))
            .OrderBy(m => m.MetadataToken)
            .Select(m => m.Name)];

        return $"{string.Join(", ", Names(typeof(ChildFacts)).Select(n => $"{ChildParameter}.{n}"))} " +
            $"and a quantity's {string.Join(", ", Names(typeof(Quantity)).Select(n => "." + n))}, and the text and number helpers rules/README.md lists";
    }
}
