using SafetyCheck.Core.Requests;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Grpc;

namespace SafetyCheck.Check;

/// <summary>Reads rule-case requests exactly as <c>eval</c> and the gRPC service read theirs.</summary>
internal sealed class ProtoRequestJsonReader : IRequestJsonReader
{
    public UnvalidatedRequest Read(string json) => ProtoMapper.ToUnvalidated(ProtoJson.ParseRequest(json));
}
