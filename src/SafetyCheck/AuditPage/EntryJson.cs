using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>An entry's record as <c>audit show</c> prints it: the record's members as hashed, indented, plus its <c>entry_hash</c> (and chain).</summary>
internal static class EntryJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The record of <paramref name="row"/>, indented; as stored when it is not a JSON object (a damaged record: verification names it).</summary>
    public static string Show(StoredEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            if (JsonNode.Parse(row.RecordJson) is not JsonObject record)
            {
                return row.RecordJson;
            }

            record["entry_hash"] = row.EntryHash;
            if (row.Chain is { } chain)
            {
                record["chain"] = chain;
            }

            return record.ToJsonString(Indented);
        }
        catch (JsonException)
        {
            return row.RecordJson;
        }
    }
}
