using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Requests the security, limits and hostile-input tests send.</summary>
public static class SampleRequests
{
    public static readonly DateTimeOffset SessionTime = new(2025, 6, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>A term infant 93 days old at the session, at home, planned light back massage.</summary>
    public static CheckRequest Infant(string requestId = "sample") => new()
    {
        RequestId = requestId,
        Patient = new Patient { BirthDate = "2025-03-01", GestationalAgeAtBirth = new GestationalAge { Weeks = 39 }, BirthWeightGrams = 3400 },
        Session = new Session
        {
            ScheduledAt = Timestamp.FromDateTimeOffset(SessionTime),
            Setting = Setting.Home,
            Pressure = Pressure.Light,
            Areas = { BodyArea.Back },
        },
    };

    /// <summary>A gRPC length-prefixed message frame (uncompressed) holding <paramref name="message"/>.</summary>
    public static byte[] Frame(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }
}
