namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Tests that change process-wide state (environment variables) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "process environment";
}
