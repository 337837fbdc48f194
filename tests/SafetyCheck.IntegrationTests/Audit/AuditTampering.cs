using Microsoft.Data.Sqlite;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>What someone with write access to the database file can do, as the sqlite3 shell would.</summary>
public static class AuditTampering
{
    /// <summary>Drops the append-only triggers, then runs <paramref name="sql"/>; returns the rows it changed.</summary>
    public static int Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TRIGGER IF EXISTS entries_no_update; DROP TRIGGER IF EXISTS entries_no_delete;
            DROP TRIGGER IF EXISTS revisions_no_update; DROP TRIGGER IF EXISTS revisions_no_delete;
            DROP TRIGGER IF EXISTS revision_files_no_update; DROP TRIGGER IF EXISTS revision_files_no_delete;
            """;
        command.ExecuteNonQuery();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>Changes the caller named in the record at <paramref name="sequence"/> without re-hashing it.</summary>
    public static void EditCaller(string databasePath, long sequence) =>
        Assert.Equal(1, Execute(databasePath, $"UPDATE entries SET record = replace(record, '\"caller\":\"test-all-roles\"', '\"caller\":\"someone-else\"') WHERE sequence = {sequence};"));
}
