namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Tests that hold hundreds of sockets open on real Kestrel run alone, so other tests neither slow them nor are slowed.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SocketHeavy
{
    public const string Name = "held connections";
}
