using System.Globalization;
using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Dynamic.Core.Parser;
using System.Linq.Expressions;
using System.Text;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Warns where a rule expression writes a number that a policy parameter of the same meaning already holds
/// (<c>child.HasWithinDays("immunisation", 2)</c> while <c>immunisationDeferralDays</c> is 2 days): the rule would
/// not follow the policy when the parameter changes. A warning at the literal's digits, not an error: a number can
/// equal a parameter by chance.
/// </summary>
/// <remarks>
/// A number literal (its sign included) is reported when all three hold:
/// <list type="number">
/// <item>it stands directly, with no arithmetic around it, in a position that has a unit: one side of a comparison
/// (<c>&lt; &lt;= &gt; &gt;= == !=</c>) whose other side is a number fact of <c>child</c>; an argument of a quantity's
/// <c>Below</c>, <c>AtLeast</c>, <c>Above</c>, <c>AtMost</c> or <c>InRange</c> on a fact of <c>child</c>; the days of
/// <c>HasWithinDays</c>;</item>
/// <item>the position's unit, which is the unit the fact is counted in (its name says it: <c>AgeDays</c> days,
/// <c>InfantAgeMonths</c> months, <c>BirthWeightGrams</c> grams, <c>TemperatureCelsius</c> °C,
/// <c>MinutesSinceLastFeed</c> minutes; days for <c>HasWithinDays</c>), is the unit of a parameter of
/// <c>ruleset.json</c> (see <see cref="MeasureUnits.OfParameter"/>);</item>
/// <item>the literal's value equals that parameter's value.</item>
/// </list>
/// So <c>child.AgeDays &lt; 21</c> is reported while <c>umbilicalStumpDays</c> is 21 days, and
/// <c>child.AgeMonths &lt; 2</c> is not while the only parameters of value 2 are in days and years. A literal inside
/// arithmetic (<c>child.AgeDays &lt; 3 * 7</c>), compared with another literal, or in a unit no parameter has, is not
/// reported (the review guide's "no literal numbers" still applies to it).
/// </remarks>
public static class LiteralParameterReview
{
    private static readonly HashSet<string> QuantityComparisons = new(StringComparer.Ordinal)
    {
        nameof(Quantity.Below), nameof(Quantity.AtLeast), nameof(Quantity.Above), nameof(Quantity.AtMost), nameof(Quantity.InRange),
    };

    /// <summary>A warning at each such literal of <paramref name="ruleSet"/>'s rules, in rule order.</summary>
    public static IReadOnlyList<Diagnostic> Review(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var withUnit = ruleSet.Parameters
            .Select(p => (Parameter: p, Unit: MeasureUnits.OfParameter(p.Unit)))
            .Where(p => p.Unit != MeasureUnit.None)
            .ToList();
        if (withUnit.Count == 0)
        {
            return [];
        }

        var config = ExpressionVetter.CreateParsingConfig();
        ParameterExpression[] parameters = [Expression.Parameter(typeof(ChildFacts), ExpressionVocabulary.ChildParameter),
            .. ruleSet.Parameters.Select(p => Expression.Parameter(p.IsInteger ? typeof(int) : typeof(double), p.Name))];
        var locator = new ExpressionLocator(ruleSet.Files);
        var warnings = new List<Diagnostic>();
        foreach (var rule in ruleSet.Rules)
        {
            if (ExpressionBounds.Check(rule.Expression).Count > 0)
            {
                continue; // the loader refuses these unparsed (parsing one could overflow the stack)
            }

            Expression body;
            try
            {
                body = new ExpressionParser(parameters, rule.Expression, [], config).Parse(typeof(bool));
            }
            catch (Exception ex) when (ex is ParseException or InvalidOperationException or ArgumentException or NotSupportedException or InvalidCastException)
            {
                continue; // the loader reports expressions that do not parse; a loaded rule set has none
            }

            var finder = new LiteralFinder();
            finder.Visit(body);
            var written = ExpressionNumbers.Find(rule.Expression);
            int next = 0;
            foreach (var (value, unit) in finder.Numbers)
            {
                // Constants come in the order they are written; match each with the next literal of its value.
                int match = FindFrom(written, next, Math.Abs(value));
                int index = match >= 0 ? written[match].Index : 0;
                next = match >= 0 ? match + 1 : next;
                var same = withUnit.Where(p => unit != MeasureUnit.None && p.Unit == unit && p.Parameter.Value.Equals(value)).Select(p => p.Parameter).ToList();
                if (same.Count > 0)
                {
                    warnings.Add(locator.At(rule, index, Message(rule.RuleId, value, unit, same)));
                }
            }
        }

        return warnings;
    }

    private static int FindFrom(IReadOnlyList<(int Index, double Value)> written, int from, double value)
    {
        for (int i = from; i < written.Count; i++)
        {
            if (written[i].Value.Equals(value))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Message(string ruleId, double value, MeasureUnit unit, List<PolicyParameter> same)
    {
        var number = value.ToString("R", CultureInfo.InvariantCulture);
        var units = MeasureUnits.Describe(unit);
        var names = string.Join(" and ", same.Select(p => $"'{p.Name}'"));
        return same.Count == 1
            ? $"rule '{ruleId}': the number {number} here counts {units}, and the policy parameter {names} is {number} {same[0].Unit}; write {same[0].Name} instead, so that the rule follows the policy when the parameter changes"
            : $"rule '{ruleId}': the number {number} here counts {units}, and the policy parameters {names} are {number} {same[0].Unit}; write the one this rule means instead, so that the rule follows the policy when it changes";
    }

    /// <summary>Every number constant of an expression in the order written, with the unit of its position.</summary>
    private sealed class LiteralFinder : ExpressionVisitor
    {
        private readonly Dictionary<ConstantExpression, (MeasureUnit Unit, bool Negated)> _positions = new(ReferenceEqualityComparer.Instance);

        private readonly HashSet<ConstantExpression> _negated = new(ReferenceEqualityComparer.Instance);

        public List<(double Value, MeasureUnit Unit)> Numbers { get; } = [];

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.NodeType is ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan
                or ExpressionType.GreaterThanOrEqual or ExpressionType.Equal or ExpressionType.NotEqual)
            {
                Mark(node.Right, FactUnit(node.Left));
                Mark(node.Left, FactUnit(node.Right));
            }

            return base.VisitBinary(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType == typeof(Quantity) && QuantityComparisons.Contains(node.Method.Name) && node.Object is { } quantity)
            {
                var unit = FactUnit(quantity);
                foreach (var argument in node.Arguments)
                {
                    Mark(argument, unit);
                }
            }
            else if (node.Method.DeclaringType == typeof(ChildFacts) && node.Method.Name == nameof(ChildFacts.HasWithinDays) && node.Arguments.Count == 2)
            {
                Mark(node.Arguments[1], MeasureUnit.Days);
            }

            return base.VisitMethodCall(node);
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            if (node.NodeType == ExpressionType.Negate && Unwrap(node.Operand) is ConstantExpression constant)
            {
                _negated.Add(constant);
            }

            return base.VisitUnary(node);
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (node.Value is int or long or double or float or decimal)
            {
                var value = Convert.ToDouble(node.Value, CultureInfo.InvariantCulture);
                var position = _positions.GetValueOrDefault(node);
                Numbers.Add((_negated.Contains(node) ? -value : value, position.Unit));
            }

            return base.VisitConstant(node);
        }

        private void Mark(Expression expression, MeasureUnit unit)
        {
            if (unit == MeasureUnit.None)
            {
                return;
            }

            var inner = Unwrap(expression);
            if (inner is UnaryExpression { NodeType: ExpressionType.Negate } negate)
            {
                inner = Unwrap(negate.Operand);
            }

            if (inner is ConstantExpression constant)
            {
                _positions[constant] = (unit, false);
            }
        }

        /// <summary>The unit of a fact of <c>child</c> (<c>child.AgeDays</c>, <c>child.BirthWeightGrams</c>); None for anything else.</summary>
        private static MeasureUnit FactUnit(Expression expression) =>
            Unwrap(expression) is MemberExpression { Member.DeclaringType: { } type, Expression: ParameterExpression } member && type == typeof(ChildFacts)
                ? MeasureUnits.OfFact(member.Member.Name)
                : MeasureUnit.None;

        private static Expression Unwrap(Expression expression)
        {
            while (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
            {
                expression = convert.Operand;
            }

            return expression;
        }
    }

    /// <summary>Finds a rule's <c>Expression</c> in its file again, to point at a character inside it.</summary>
    private sealed class ExpressionLocator(IReadOnlyList<RuleSetFile> files)
    {
        private readonly Dictionary<string, JsonSourceFile?> _parsed = new(StringComparer.Ordinal);

        public Diagnostic At(RuleDefinition rule, int index, string message)
        {
            if (!_parsed.TryGetValue(rule.File, out var source))
            {
                var file = files.FirstOrDefault(f => f.Path == rule.File);
                source = file is null ? null : JsonSourceFile.Parse(file.Path, Encoding.UTF8.GetString(file.Content).TrimStart('\uFEFF'), new List<Diagnostic>());
                _parsed[rule.File] = source;
            }

            var token = (source?.Root?["Rules"] as JArray)?
                .OfType<JObject>()
                .FirstOrDefault(r => r.Value<string>("RuleName") == rule.RuleId)?["Expression"];
            return token is null
                ? Diagnostic.Warning(rule.File, rule.Line, Math.Max(rule.Column, 1), message)
                : source!.AtCharacter(token, index, message) with { Severity = DiagnosticSeverity.Warning };
        }
    }
}
