namespace SafetyCheck.Audit.Export;

/// <summary>Formats of <see cref="AuditExporter"/>; each writes one line per record.</summary>
public enum AuditExportFormat
{
    /// <summary>JSON Lines: each record's canonical JSON with its <c>entry_hash</c> added; verifiable offline and read back by <see cref="AuditExporter.ReadJsonLinesAsync"/>.</summary>
    JsonLines = 0,

    /// <summary>CSV (RFC 4180) with a header: sequence, decision_id, recorded_at, caller, revision, verdict, rule_ids, entry_hash.</summary>
    Csv = 1,

    /// <summary>NDJSON of FHIR R4 AuditEvent resources (one per decision), for a FHIR audit repository.</summary>
    FhirAuditEvent = 2,
}
