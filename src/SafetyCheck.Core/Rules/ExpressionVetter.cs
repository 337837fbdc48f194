using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Dynamic.Core.Parser;
using System.Linq.Expressions;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Parses a rule expression exactly as RulesEngine will (System.Linq.Dynamic.Core with RulesEngine's type provider,
/// the same parameters, case-sensitive) and walks the tree against <see cref="ExpressionVocabulary"/>: the facts,
/// parameters, literals and operators rules/README.md documents, nothing else the parser reads. RulesEngine
/// exposes no expression tree and its type provider re-opens <c>object.GetType()</c> and <c>Enumerable</c>, so this
/// walk, not the parser, is the guard. The tree RulesEngine's own parser gives, which is what gets compiled, is walked
/// again (<see cref="Walk"/>) before it is compiled.
/// </summary>
internal sealed class ExpressionVetter
{
    private readonly ParsingConfig _config;
    private readonly ParameterExpression[] _parameters;
    private readonly ConditionCatalog? _catalog;
    private readonly IReadOnlyList<PolicyParameter> _policyParameters;

    public ExpressionVetter(IReadOnlyList<PolicyParameter> policyParameters, ConditionCatalog? catalog)
    {
        _config = CreateParsingConfig();
        _policyParameters = policyParameters;
        _parameters = [Expression.Parameter(typeof(ChildFacts), ExpressionVocabulary.ChildParameter),
            .. policyParameters.Select(p => Expression.Parameter(p.IsInteger ? typeof(int) : typeof(double), p.Name))];
        _catalog = catalog;
    }

    /// <summary>The parameters expressions are parsed over: <c>child</c>, then the policy parameters in manifest order.</summary>
    public IReadOnlyList<ParameterExpression> Parameters => _parameters;

    /// <summary>The parsing configuration RulesEngine is given too, so both parse the same language.</summary>
    public static ParsingConfig CreateParsingConfig() => new()
    {
        CustomTypeProvider = new global::RulesEngine.CustomTypeProvider(ExpressionVocabulary.HelperTypes),
        IsCaseSensitive = true,
    };

    /// <summary>
    /// Parses and vets <paramref name="expression"/>; problems are returned as messages. An expression outside
    /// <see cref="ExpressionBounds"/> is refused unparsed: parsing or walking it could overflow the stack.
    /// </summary>
    public VetResult Vet(string expression)
    {
        var outOfBounds = ExpressionBounds.Check(expression);
        if (outOfBounds.Count > 0)
        {
            return new VetResult(outOfBounds, new HashSet<string>(), new HashSet<string>());
        }

        Expression body;
        try
        {
            body = new ExpressionParser(_parameters, expression, [], _config).Parse(typeof(bool));
        }
        catch (ParseException ex)
        {
            var hint = ExpressionErrorWording.DecimalParameter(ex.Message, expression, _policyParameters);
            return VetResult.Failed($"expression does not compile: {ex.Message}{hint} (at character {ex.Position + 1} of the expression)");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException or InvalidCastException)
        {
            // The expression builder's own refusals carry no position; an operator written once is pointed at.
            return VetResult.Failed(ExpressionErrorWording.BinaryOperator(ex.Message, expression) switch
            {
                ({ } problem, { } index) => $"expression does not compile: {problem} (at character {index + 1} of the expression)",
                ({ } problem, null) => $"expression does not compile: {problem}",
                null => $"expression does not compile: {ex.Message}",
            });
        }

        var walker = new Walker(_catalog, expression);
        walker.Visit(body);
        return new VetResult(walker.Problems, walker.ConditionIds, walker.FactNames);
    }

    /// <summary>
    /// Walks an expression body that was parsed elsewhere (the tree that is compiled) against the vocabulary: the
    /// problems found, none when every node is allowed.
    /// </summary>
    public IReadOnlyList<string> Walk(Expression body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var walker = new Walker(_catalog, expression: null);
        walker.Visit(body);
        return walker.Problems;
    }

    /// <summary>The outcome of vetting one expression.</summary>
    internal sealed record VetResult(IReadOnlyList<string> Problems, IReadOnlySet<string> ConditionIds, IReadOnlySet<string> FactNames)
    {
        public static VetResult Failed(string problem) => new([problem], new HashSet<string>(), new HashSet<string>());
    }

    /// <summary>
    /// Walks a tree against the vocabulary rules/README.md documents. <paramref name="expression"/>, the text the tree
    /// was parsed from when known, lets a refused operator written once be pointed at.
    /// </summary>
    private sealed class Walker(ConditionCatalog? catalog, string? expression) : ExpressionVisitor
    {
        public List<string> Problems { get; } = [];

        public HashSet<string> ConditionIds { get; } = new(StringComparer.Ordinal);

        public HashSet<string> FactNames { get; } = new(StringComparer.Ordinal);

        public override Expression? Visit(Expression? node)
        {
            if (node is null)
            {
                return null;
            }

            switch (node.NodeType)
            {
                // The operators rules/README.md documents: && || ! == != < <= > >= + - (and parentheses, which leave
                // no node).
                case ExpressionType.Parameter:
                case ExpressionType.Constant:
                case ExpressionType.MemberAccess:
                case ExpressionType.Call:
                case ExpressionType.Not:
                case ExpressionType.Negate:
                case ExpressionType.UnaryPlus:
                case ExpressionType.Convert:
                case ExpressionType.ConvertChecked:
                case ExpressionType.AndAlso:
                case ExpressionType.OrElse:
                case ExpressionType.Equal:
                case ExpressionType.NotEqual:
                case ExpressionType.LessThan:
                case ExpressionType.LessThanOrEqual:
                case ExpressionType.GreaterThan:
                case ExpressionType.GreaterThanOrEqual:
                case ExpressionType.Add:
                case ExpressionType.Subtract:
                    return base.Visit(node);
            }

            // The parser also reads * / % ? : ?? & |: refused by name, and what is inside is still walked, so that
            // one load shows every problem of the expression.
            if (ExpressionErrorWording.RefusedOperator(node.NodeType, expression) is { } refused)
            {
                Report(refused.Index is { } i ? $"{refused.Problem} (at character {i + 1} of the expression)" : refused.Problem);
                return base.Visit(node);
            }

            Report($"'{Describe(node)}' is not allowed in a rule expression (only the facts of 'child', policy parameters, literals and the operators {ExpressionVocabulary.Operators})");
            return node;
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (node.Value is not null && !ExpressionVocabulary.IsValueType(node.Type))
            {
                Problems.Add($"a constant of type {node.Type.Name} is not allowed in a rule expression");
            }

            return node;
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            if (node.Method is not null && !ExpressionVocabulary.IsAllowed(node.Method))
            {
                Problems.Add($"operator '{node.Method.Name}' on {node.Method.DeclaringType?.Name} is not allowed in a rule expression");
            }

            if (node.NodeType is ExpressionType.Convert or ExpressionType.ConvertChecked && !ExpressionVocabulary.IsValueType(node.Type) && node.Type != typeof(object))
            {
                Problems.Add($"a conversion to {node.Type.Name} is not allowed in a rule expression");
            }

            return base.VisitUnary(node);
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.Method is not null && !ExpressionVocabulary.IsAllowed(node.Method) && node.Method.DeclaringType != typeof(decimal))
            {
                Problems.Add($"operator '{node.Method.Name}' on {node.Method.DeclaringType?.Name} is not allowed in a rule expression");
            }

            if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual)
            {
                CheckClosedLiteral(node.Left, node.Right);
                CheckClosedLiteral(node.Right, node.Left);
            }

            return base.VisitBinary(node);
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (!ExpressionVocabulary.IsAllowed(node.Member))
            {
                Report($"'{node.Member.DeclaringType?.Name}.{node.Member.Name}' is not part of the rule vocabulary");
                return node;
            }

            if (node.Member.DeclaringType == typeof(ChildFacts))
            {
                FactNames.Add(node.Member.Name);
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var method = node.Method;
            if (!ExpressionVocabulary.IsAllowed(method))
            {
                Report($"method '{method.DeclaringType?.Name}.{method.Name}' is not allowed in a rule expression: the methods are {ExpressionVocabulary.Methods}");
                return node;
            }

            if (method.DeclaringType == typeof(ChildFacts))
            {
                var argument = node.Arguments[0];
                if (argument is not ConstantExpression { Value: string literal })
                {
                    Problems.Add($"the first argument of '{method.Name}' must be a literal string");
                }
                else if (method.Name == nameof(ChildFacts.PlansArea))
                {
                    FactNames.Add(nameof(ChildFacts.PlansArea));
                    if (!ExpressionVocabulary.AreaNames.Contains(literal))
                    {
                        Problems.Add($"PlansArea(\"{literal}\"): not a body area; use one of {string.Join(", ", ExpressionVocabulary.AreaNames.Order(StringComparer.Ordinal))}");
                    }
                }
                else
                {
                    ConditionIds.Add(literal);
                    if (catalog is not null && !catalog.Contains(literal))
                    {
                        Problems.Add($"{method.Name}(\"{literal}\"): '{literal}' is not a condition id in conditions.json");
                    }
                }
            }

            return base.VisitMethodCall(node);
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Problems.Add("lambdas are not allowed in a rule expression");
            return node;
        }

        private void CheckClosedLiteral(Expression member, Expression other)
        {
            if (member is MemberExpression { Member.DeclaringType: { } type } m && type == typeof(ChildFacts)
                && ExpressionVocabulary.ClosedStringFacts.TryGetValue(m.Member.Name, out var allowed)
                && other is ConstantExpression { Value: string literal } && !allowed.Contains(literal))
            {
                Problems.Add($"child.{m.Member.Name} is never \"{literal}\"; it is one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
            }
        }

        /// <summary>Adds <paramref name="problem"/> once: an operator written several times is one problem.</summary>
        private void Report(string problem)
        {
            if (!Problems.Contains(problem))
            {
                Problems.Add(problem);
            }
        }

        private static string Describe(Expression node) => node.NodeType switch
        {
            ExpressionType.Assign => "assignment",
            ExpressionType.Lambda => "lambda",
            ExpressionType.New => "new " + node.Type.Name,
            ExpressionType.NewArrayInit or ExpressionType.NewArrayBounds => "array creation",
            ExpressionType.Invoke => "delegate invocation",
            ExpressionType.ArrayIndex or ExpressionType.Index => "indexing",
            _ => node.NodeType.ToString(),
        };
    }
}
