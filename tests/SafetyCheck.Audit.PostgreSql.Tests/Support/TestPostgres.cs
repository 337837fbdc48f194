using Npgsql;

namespace SafetyCheck.Audit.PostgreSql.Tests.Support;

/// <summary>
/// A fresh database per test on the server of <c>SAFETYCHECK_TEST_POSTGRES</c>, with three roles of its own as the
/// README has them: an owner that ran the migration, the service's role (SELECT and INSERT) and an auditor (SELECT).
/// Dropped when disposed.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "SAFETYCHECK_TEST_POSTGRES";

    private readonly string _superuser;

    private TestPostgres(string name, string superuser)
    {
        Name = name;
        _superuser = superuser;
    }

    /// <summary>The superuser's connection string from the environment; null when PostgreSQL tests are not run.</summary>
    public static string? SuperuserConnectionString => Environment.GetEnvironmentVariable(Variable);

    /// <summary>The database's name, also the prefix of its roles.</summary>
    public string Name { get; }

    public string Superuser => For(null);

    public string Owner => For(Name + "_owner");

    public string Service => For(Name + "_service");

    public string Auditor => For(Name + "_auditor");

    /// <summary>
    /// Creates the database and its roles on the server of <paramref name="superuser"/> (default: the environment's)
    /// and, unless told not to, migrates it as the owner.
    /// </summary>
    public static async Task<TestPostgres> CreateAsync(bool migrate = true, string? superuser = null)
    {
        var name = "sc_" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal);
        var database = new TestPostgres(name, superuser ?? SuperuserConnectionString!);
        await using (var connection = new NpgsqlConnection(database._superuser))
        {
            await connection.OpenAsync();
            foreach (var sql in (string[])[
                $"CREATE ROLE {name}_owner LOGIN", $"CREATE ROLE {name}_service LOGIN", $"CREATE ROLE {name}_auditor LOGIN",
                $"CREATE DATABASE {name} OWNER {name}_owner ENCODING 'UTF8' TEMPLATE template0", $"REVOKE ALL ON DATABASE {name} FROM PUBLIC",
                $"GRANT CONNECT ON DATABASE {name} TO {name}_service, {name}_auditor"])
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        if (migrate)
        {
            await PostgresAuditMigrator.MigrateAsync(database.Owner, [name + "_service"], [name + "_auditor"]);
        }

        return database;
    }

    /// <summary>Runs <paramref name="sql"/> as <paramref name="connectionString"/>'s role; returns the first column of the first row.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_superuser);
        await connection.OpenAsync();
        foreach (var sql in (string[])[$"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", $"DROP ROLE IF EXISTS {Name}_service", $"DROP ROLE IF EXISTS {Name}_auditor", $"DROP ROLE IF EXISTS {Name}_owner"])
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private string For(string? role)
    {
        var settings = new NpgsqlConnectionStringBuilder(_superuser) { Database = Name };
        if (role is not null)
        {
            settings.Username = role;
            settings.Password = null;
        }

        return settings.ConnectionString;
    }
}
