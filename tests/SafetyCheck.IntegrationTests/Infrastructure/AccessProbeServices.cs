using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// Stand-in gRPC services with one method, <c>AccessProbe</c>, under chosen service names, to show that access is
/// decided by the service's name alone: <c>safetycheck.v1.Audit</c> (auditor) and an unlisted service (nobody).
/// </summary>
public static class AccessProbeServices
{
    public const string MethodName = "AccessProbe";

    public const string AuditService = "safetycheck.v1.Audit";

    public const string UnlistedService = "example.v1.Unlisted";

    private static readonly Marshaller<Empty> EmptyMarshaller = Marshallers.Create(m => m.ToByteArray(), Empty.Parser.ParseFrom);

    public static Method<Empty, Empty> Method(string service) => new(MethodType.Unary, service, MethodName, EmptyMarshaller, EmptyMarshaller);

    /// <summary>Calls <c>AccessProbe</c> on <paramref name="service"/>.</summary>
    public static async Task<StatusCode> CallAsync(CallInvoker invoker, string service)
    {
        try
        {
            await invoker.AsyncUnaryCall(Method(service), null, new CallOptions(), new Empty());
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    // Bound as generated code binds: a virtual declared by the class named in [BindServiceMethod], overridden below.
    [BindServiceMethod(typeof(AuditBase), nameof(BindService))]
    public abstract class AuditBase
    {
        public static void BindService(ServiceBinderBase binder, AuditBase? service) =>
            binder?.AddMethod(Method(AuditService), service is null ? null : service.AccessProbe);

        public virtual Task<Empty> AccessProbe(Empty request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    }

    public sealed class Audit : AuditBase
    {
        public override Task<Empty> AccessProbe(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
    }

    [BindServiceMethod(typeof(UnlistedBase), nameof(BindService))]
    public abstract class UnlistedBase
    {
        public static void BindService(ServiceBinderBase binder, UnlistedBase? service) =>
            binder?.AddMethod(Method(UnlistedService), service is null ? null : service.AccessProbe);

        public virtual Task<Empty> AccessProbe(Empty request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    }

    public sealed class Unlisted : UnlistedBase
    {
        public override Task<Empty> AccessProbe(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
    }
}
