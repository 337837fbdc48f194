namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that need the process to themselves run alone, after the parallel ones: those holding hundreds of sockets on
/// real Kestrel (other tests would slow them and be slowed), and fuzz runs that measure the process's memory.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunAlone
{
    public const string Name = "run alone";
}
