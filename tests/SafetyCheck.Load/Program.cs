using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Net.Client;
using SafetyCheck.Protos.V1;

// Helpers for tests/load/check-load.sh (h2load sends raw gRPC frames and cannot read protobuf JSON):
//   frame REQUEST.json OUT.bin   a CheckRequest in protobuf JSON -> one length-prefixed gRPC message
//   frame-empty OUT.bin          an empty message (grpc.health.v1.HealthCheckRequest)
//   wait-serving URL SECONDS     polls grpc.health.v1.Health/Check until SERVING; exit 1 on timeout
return args switch
{
    ["frame", var request, var output] => Frame(JsonParser.Default.Parse<CheckRequest>(File.ReadAllText(request)), output),
    ["frame-empty", var output] => Frame(new HealthCheckRequest(), output),
    ["wait-serving", var url, var seconds] => await WaitServingAsync(url, int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Frame(IMessage message, string output)
{
    var body = message.ToByteArray();
    var frame = new byte[5 + body.Length];
    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
    body.CopyTo(frame, 5);
    File.WriteAllBytes(output, frame);
    return 0;
}

static async Task<int> WaitServingAsync(string url, int seconds)
{
    using var channel = GrpcChannel.ForAddress(url);
    var client = new Health.HealthClient(channel);
    var until = TimeProvider.System.GetTimestamp() + (seconds * TimeProvider.System.TimestampFrequency);
    while (TimeProvider.System.GetTimestamp() < until)
    {
        try
        {
            var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: null);
            if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return 0;
            }
        }
        catch (Grpc.Core.RpcException)
        {
            // not listening yet
        }

        await Task.Delay(200);
    }

    await Console.Error.WriteLineAsync($"not SERVING at {url} within {seconds} s");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: frame REQUEST.json OUT.bin | frame-empty OUT.bin | wait-serving URL SECONDS");
    return 2;
}
