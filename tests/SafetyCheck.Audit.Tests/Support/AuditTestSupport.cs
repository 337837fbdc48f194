using System.Globalization;
using Microsoft.Data.Sqlite;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Audit.Tests.Support;

/// <summary>Rule sets, assessments, decision ids and raw database access for the audit tests (synthetic data only).</summary>
internal static class AuditTestSupport
{
    public const string PatientRef = "MRN-4417-0093";
    public const string BirthDate = "2019-07-14";

    public static readonly string FeverRule = Fixtures.Rule("fever", "child.Has(\"fever\")", conditions: "\"fever\"");
    public static readonly string EczemaRule = Fixtures.Rule("eczema", "child.Has(\"eczema\")", "SUITABLE_WITH_PRECAUTIONS", "CAUTION", "\"eczema\"", ",\n \"avoidAreas\": [\"FACE\"]");
    public static readonly string InfoRule = Fixtures.Rule("school-age-note", "child.AgeYears >= 3", "SUITABLE", "INFO");

    private static readonly Lazy<RuleSet> Default = new(() => Load(FeverRule, EczemaRule, InfoRule));
    private static long _nextId;

    /// <summary>fever (NOT_SUITABLE), eczema (precautions, avoid FACE), school-age-note (INFO).</summary>
    public static RuleSet DefaultRules => Default.Value;

    public static RuleSet Load(params string[] rules)
    {
        using var dir = TempRuleDirectory.WithRules(string.Join(",\n", rules));
        return LoadDirectory(dir.Path);
    }

    public static RuleSet LoadDirectory(string path)
    {
        var result = RuleSetLoader.Load(path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.RuleSet;
    }

    /// <summary>A request for a child born <see cref="BirthDate"/>, identified by <see cref="PatientRef"/>, with ICD-10 codes.</summary>
    public static UnvalidatedRequest Request(params string[] icd10) => SampleRequests.Child(BirthDate, [.. icd10.Select(c => SampleRequests.Icd(c))]) with
    {
        Patient = new UnvalidatedPatient { PatientRef = PatientRef, BirthDate = BirthDate, GestationalAgeAtBirth = (39, 2), BirthWeightGrams = 3350 },
        TemperatureCelsius = 36.8,
    };

    public static Assessment Assess(RuleSet ruleSet, UnvalidatedRequest request)
    {
        var outcome = new SafetyChecker(ruleSet, TimeProvider.System).Check(request);
        Assert.True(outcome.IsValid, string.Join("; ", outcome.Violations));
        return outcome.Assessment;
    }

    /// <summary>A fresh lowercase UUIDv7 (time part fixed, counter in the random part).</summary>
    public static string NewDecisionId() =>
        string.Create(CultureInfo.InvariantCulture, $"01900000-0000-7000-8000-{Interlocked.Increment(ref _nextId):x12}");

    public static readonly DateTimeOffset RecordedAt = new(2026, 3, 2, 10, 0, 1, TimeSpan.Zero);

    public static Pseudonymiser TestPseudonymiser { get; } = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), "test-key");

    public static DecisionRecordDraft Draft(RuleSet ruleSet, UnvalidatedRequest request, string? caller = "dev-key", DateTimeOffset? recordedAt = null) =>
        DecisionRecordFactory.Create(Assess(ruleSet, request), NewDecisionId(), caller, recordedAt ?? RecordedAt, TestPseudonymiser);

    public static DecisionRecordDraft Draft(params string[] icd10) => Draft(DefaultRules, Request(icd10));

    /// <summary>Opens a SQLite store and its writer with the default rule set archived.</summary>
    public static async Task<TestTrail> OpenAsync(string path, SqliteAuditStorageOptions? options = null)
    {
        var trail = await TestTrail.OpenAsync(path, options);
        await trail.ArchiveRevisionAsync(DefaultRules);
        return trail;
    }

    /// <summary>A raw read-write connection without pooling, as an attacker with file access would use.</summary>
    public static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    /// <summary>Drops the append-only triggers (what someone with file access can do).</summary>
    public static void DropTriggers(SqliteConnection connection) => Execute(connection, """
        DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;
        DROP TRIGGER revisions_no_update; DROP TRIGGER revisions_no_delete;
        DROP TRIGGER revision_files_no_update; DROP TRIGGER revision_files_no_delete;
        """);

    public static async Task<List<StoredEntry>> ReadAllAsync(IAuditChain chain)
    {
        var rows = new List<StoredEntry>();
        await foreach (var row in chain.ReadRangeAsync(1, int.MaxValue))
        {
            rows.Add(row);
        }

        return rows;
    }
}
