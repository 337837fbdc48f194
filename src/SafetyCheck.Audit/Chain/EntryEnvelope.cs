using System.Globalization;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// The members every entry's record has, whatever its kind: <c>schema</c> (<c>safetycheck.&lt;kind&gt;/v&lt;n&gt;</c>),
/// <c>sequence</c>, <c>prev_hash</c>, <c>recorded_at</c>, its id — <c>decision_id</c> for decisions, <c>entry_id</c>
/// for every other kind — and, when the entry concerns a rule revision, <c>revision</c>. A verifier checks these for
/// kinds it cannot otherwise read.
/// </summary>
/// <param name="Kind">The kind named by the schema.</param>
/// <param name="Version">The schema version of that kind.</param>
/// <param name="Sequence">The sequence bound into the record.</param>
/// <param name="PrevHash">The previous entry hash bound into the record.</param>
/// <param name="EntryId">The entry's id.</param>
/// <param name="RecordedAt">When it was recorded, as written.</param>
/// <param name="Revision">The rule revision the entry concerns; null when it names none (v1 decisions name theirs inside <c>ruleset</c>).</param>
public sealed record EntryEnvelope(string Kind, int Version, long Sequence, string PrevHash, string EntryId, string RecordedAt, string? Revision)
{
    private const string Prefix = "safetycheck.";

    /// <summary>The member that holds the id of an entry of <paramref name="kind"/>.</summary>
    public static string IdMember(string kind) => kind == EntryKinds.Decision ? "decision_id" : "entry_id";

    /// <summary>The schema tag of <paramref name="kind"/> at <paramref name="version"/>.</summary>
    public static string Schema(string kind, int version) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{kind}/v{version}");

    /// <summary>The envelope of a record.</summary>
    /// <exception cref="InvalidDataException">A member is missing or mistyped, or the schema is not <c>safetycheck.&lt;kind&gt;/v&lt;n&gt;</c>.</exception>
    public static EntryEnvelope Read(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var schema = record["schema"]?.GetValue<string>() ?? throw new InvalidDataException("member 'schema' is missing");
            var slash = schema.LastIndexOf("/v", StringComparison.Ordinal);
            if (!schema.StartsWith(Prefix, StringComparison.Ordinal) || slash <= Prefix.Length
                || !int.TryParse(schema.AsSpan(slash + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidDataException($"'{schema}' is not a schema tag (safetycheck.<kind>/v<n>)");
            }

            var kind = schema[Prefix.Length..slash];
            return new EntryEnvelope(
                kind,
                version,
                record["sequence"]?.GetValue<long>() ?? throw new InvalidDataException("member 'sequence' is missing"),
                record["prev_hash"]?.GetValue<string>() ?? throw new InvalidDataException("member 'prev_hash' is missing"),
                record[IdMember(kind)]?.GetValue<string>() ?? throw new InvalidDataException($"member '{IdMember(kind)}' is missing"),
                record["recorded_at"]?.GetValue<string>() ?? throw new InvalidDataException("member 'recorded_at' is missing"),
                record["revision"]?.GetValue<string>());
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException("the record's envelope is malformed: " + ex.Message, ex);
        }
    }
}
