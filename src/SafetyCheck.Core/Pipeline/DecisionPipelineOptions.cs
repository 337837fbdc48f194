namespace SafetyCheck.Core.Pipeline;

/// <summary>Tuning of <see cref="DecisionPipeline"/>.</summary>
public sealed record DecisionPipelineOptions
{
    /// <summary>
    /// The most often decisions that could not be recorded are logged: the first at once, those that follow within the
    /// interval as one line with their count when it is over; default 10 s (the chain writer's failure lines use the same).
    /// </summary>
    public TimeSpan NotRecordedLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
