using System.Linq.Expressions;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// Works out from a vetted expression tree which condition ids a rule needs: a set of ids such that, when the child
/// has none of them (in any status), the expression evaluates to false <i>without throwing</i>. Such a rule can be
/// skipped for that child and reported "not fired" — exactly what evaluating it would say. An expression for which
/// no such set can be shown (it reads facts alone, negates a condition, or may throw first) has no requirement and is
/// always evaluated.
/// </summary>
/// <remarks>
/// The derivation is conservative and structural:
/// <list type="bullet">
/// <item><c>child.Has("x")</c>, <c>HasResolved</c>, <c>HasWithinDays</c>, <c>HasUndated</c> called on <c>child</c> with a
/// literal id and other arguments that cannot throw: false without "x", and never throw.</item>
/// <item><c>a &amp;&amp; b</c>: the requirement of <c>a</c> (when <c>a</c> is false <c>b</c> is not evaluated); or that of
/// <c>b</c> when <c>a</c> cannot throw; the smaller when both hold.</item>
/// <item><c>a || b</c>: the union of both requirements, when both have one.</item>
/// <item><c>a &amp; b</c>, <c>a | b</c> on bool (both sides evaluated): as above, requiring the other side not to throw
/// for <c>&amp;</c>, or the union.</item>
/// <item><c>t ? x : y</c>: the union of the branches' requirements, when <c>t</c> cannot throw.</item>
/// <item>Anything else (<c>!</c>, comparisons, fact reads): no requirement.</item>
/// </list>
/// "Cannot throw" is shown only for constants, parameters, reads of <c>child</c>'s facts, quantity tests, the condition
/// tests, comparisons, logical operators and non-dividing arithmetic over such operands; division, string methods
/// and anything unrecognised may throw.
/// The loader refuses <c>&amp; | ? :</c>, division and string methods (<see cref="ExpressionVetter"/>, rules/README.md's
/// vocabulary), so a loaded rule holds none of them; they are still read soundly here, whatever tree is given.
/// </remarks>
internal static class ConditionRequirement
{
    /// <summary>
    /// The condition ids <paramref name="body"/> needs (see the type's remarks), ordinal and distinct; null when it
    /// has no requirement and must always be evaluated.
    /// </summary>
    /// <param name="body">A vetted expression body over <paramref name="child"/>.</param>
    /// <param name="child">The parameter rule expressions call <c>child</c>.</param>
    public static IReadOnlyList<string>? Of(Expression body, ParameterExpression child)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(child);
        return Required(body, child) is { } ids ? [.. ids.Order(StringComparer.Ordinal)] : null;
    }

    private static HashSet<string>? Required(Expression node, ParameterExpression child)
    {
        switch (node)
        {
            case MethodCallExpression call when ConditionTest(call, child) is { } id:
                return new HashSet<string>(StringComparer.Ordinal) { id };

            case BinaryExpression { NodeType: ExpressionType.AndAlso, Method: null } both when both.Type == typeof(bool):
                return Smaller(Required(both.Left, child), CannotThrow(both.Left, child) ? Required(both.Right, child) : null);

            case BinaryExpression { NodeType: ExpressionType.And, Method: null } both when both.Type == typeof(bool):
            {
                // Both sides are evaluated: either side's requirement holds when the other side cannot throw. Each
                // side is worked out once: asking again here would double the work at every '&' of a chain.
                var requiredLeft = Required(both.Left, child);
                var requiredRight = Required(both.Right, child);
                var left = CannotThrow(both.Right, child) ? requiredLeft : null;
                var right = CannotThrow(both.Left, child) ? requiredRight : null;
                return Smaller(left, right) ?? Union(requiredLeft, requiredRight);
            }

            case BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.Or, Method: null } either when either.Type == typeof(bool):
                return Union(Required(either.Left, child), Required(either.Right, child));

            case ConditionalExpression conditional when conditional.Type == typeof(bool) && CannotThrow(conditional.Test, child):
                return Union(Required(conditional.IfTrue, child), Required(conditional.IfFalse, child));

            default:
                return null;
        }
    }

    /// <summary>The id of a condition test <c>child.Has("id", …)</c> whose other arguments cannot throw; else null.</summary>
    private static string? ConditionTest(MethodCallExpression call, ParameterExpression child)
    {
        if (call.Object != child || call.Method.DeclaringType != typeof(ChildFacts)
            || !ExpressionVocabulary.ConditionMethods.Contains(call.Method.Name)
            || call.Arguments.Count == 0 || call.Arguments[0] is not ConstantExpression { Value: string id })
        {
            return null;
        }

        for (var i = 1; i < call.Arguments.Count; i++)
        {
            if (!CannotThrow(call.Arguments[i], child))
            {
                return null;
            }
        }

        return id;
    }

    /// <summary>True when evaluating <paramref name="node"/> cannot throw (see the type's remarks).</summary>
    private static bool CannotThrow(Expression node, ParameterExpression child)
    {
        switch (node)
        {
            case ConstantExpression:
            case ParameterExpression:
                return true;
            case MemberExpression { Expression: { } target } member:
                // Facts and quantities are plain data: their properties never throw.
                return (member.Member.DeclaringType == typeof(ChildFacts) && target == child)
                    || (member.Member.DeclaringType == typeof(Quantity) && CannotThrow(target, child));
            case MethodCallExpression call when ConditionTest(call, child) is not null:
                return true;
            case MethodCallExpression call when call.Method.DeclaringType == typeof(Quantity) && call.Object is { } quantity:
                return CannotThrow(quantity, child) && call.Arguments.All(a => CannotThrow(a, child));
            case UnaryExpression { NodeType: ExpressionType.Not or ExpressionType.Convert, Method: null } unary:
                return IsPrimitive(unary.Type) && !Unwraps(unary) && CannotThrow(unary.Operand, child);
            case BinaryExpression binary:
                return CannotThrowBinary(binary, child);
            case ConditionalExpression conditional:
                return CannotThrow(conditional.Test, child) && CannotThrow(conditional.IfTrue, child) && CannotThrow(conditional.IfFalse, child);
            default:
                return false;
        }
    }

    private static bool CannotThrowBinary(BinaryExpression binary, ParameterExpression child)
    {
        var operands = CannotThrow(binary.Left, child) && CannotThrow(binary.Right, child);
        switch (binary.NodeType)
        {
            case ExpressionType.AndAlso:
            case ExpressionType.OrElse:
            case ExpressionType.And:
            case ExpressionType.Or:
            case ExpressionType.LessThan:
            case ExpressionType.LessThanOrEqual:
            case ExpressionType.GreaterThan:
            case ExpressionType.GreaterThanOrEqual:
            case ExpressionType.Add:
            case ExpressionType.Subtract:
            case ExpressionType.Multiply:
                return operands && binary.Method is null && IsPrimitive(binary.Left.Type) && IsPrimitive(binary.Right.Type);
            case ExpressionType.Equal:
            case ExpressionType.NotEqual:
                // String equality is a call of string's operator, which compares null safely.
                return operands && (binary.Method is null
                    ? IsPrimitive(binary.Left.Type) && IsPrimitive(binary.Right.Type)
                    : binary.Method.DeclaringType == typeof(string));
            default:
                return false;
        }
    }

    /// <summary>A conversion from a nullable to a plain value, which throws on null.</summary>
    private static bool Unwraps(UnaryExpression convert) =>
        Nullable.GetUnderlyingType(convert.Operand.Type) is not null && Nullable.GetUnderlyingType(convert.Type) is null;

    /// <summary>Types whose comparison, unchecked arithmetic and conversion never throw.</summary>
    private static bool IsPrimitive(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(bool) || underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(double)
            || underlying == typeof(float);
    }

    private static HashSet<string>? Smaller(HashSet<string>? a, HashSet<string>? b) =>
        a is null ? b : b is null || a.Count <= b.Count ? a : b;

    private static HashSet<string>? Union(HashSet<string>? a, HashSet<string>? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        a.UnionWith(b);
        return a;
    }
}
