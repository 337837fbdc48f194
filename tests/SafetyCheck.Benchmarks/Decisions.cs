using Microsoft.Extensions.Logging.Abstractions;
using SafetyCheck.Check;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Benchmarks;

/// <summary>What the decision benchmarks share: the seed requests, the rule sets and the pipeline as <c>serve</c> composes it.</summary>
internal static class Decisions
{
    /// <summary>The evaluation budget <c>serve</c> runs with by default, so the budget checks are part of the cost.</summary>
    public static TimeSpan Budget { get; } = TimeSpan.FromMilliseconds(new SafetyCheckOptions().EvaluationBudgetMilliseconds);

    /// <summary>The seed requests by file name without extension (every <c>seeds/*.json</c>), in ordinal order.</summary>
    public static IEnumerable<string> Seeds() =>
        Directory.EnumerateFiles(RepositoryPaths.Seeds, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    /// <summary>The seed request <paramref name="seed"/>, read as <c>eval</c> reads it.</summary>
    public static UnvalidatedRequest ReadSeed(string seed) =>
        new ProtoRequestJsonReader().Read(File.ReadAllText(SeedPath(seed)));

    /// <summary>The path of the seed request <paramref name="seed"/>.</summary>
    public static string SeedPath(string seed) => Path.Combine(RepositoryPaths.Seeds, seed + ".json");

    /// <summary>The rule set of <paramref name="result"/>, or its first diagnostics as an exception.</summary>
    public static RuleSet Loaded(RuleSetLoadResult result) =>
        result.Succeeded && result.RuleSet is { } ruleSet
            ? ruleSet
            : throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Take(20)));

    /// <summary>
    /// The decision pipeline over <paramref name="ruleSet"/> with <c>serve</c>'s ports apart from the recorder
    /// (<paramref name="recorder"/>; none when null): the system clock, UUIDv7 decision ids, the default evaluation
    /// budget, no observers, and a logger that is off.
    /// </summary>
    public static DecisionPipeline Pipeline(RuleSet ruleSet, IDecisionRecorder? recorder = null) =>
        new(
            new FixedRevision(new SafetyChecker(ruleSet, TimeProvider.System, Budget)),
            recorder ?? new NonRecordingRecorder(),
            new UuidV7DecisionIdSource(TimeProvider.System),
            TimeProvider.System,
            [],
            NullLogger<DecisionPipeline>.Instance);

    /// <summary>
    /// The verdict <paramref name="pipeline"/> gives <paramref name="request"/>, decided synchronously (a recorder that
    /// records nothing never waits); throws when the decision waited or the request was not decided.
    /// </summary>
    public static Core.Domain.Suitability Decide(DecisionPipeline pipeline, UnvalidatedRequest request)
    {
        var pending = pipeline.DecideAsync(request, Caller.Anonymous, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("the decision did not complete synchronously");
        }

        var outcome = pending.Result;
        return outcome is Decided decided
            ? decided.Assessment.Suitability
            : throw new InvalidOperationException($"not decided: {outcome}");
    }

    private sealed class FixedRevision(SafetyChecker checker) : IRuleRevisionSource
    {
        public SafetyChecker? Current => checker;
    }
}
