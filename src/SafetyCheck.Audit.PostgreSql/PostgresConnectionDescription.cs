using System.Globalization;
using Npgsql;

namespace SafetyCheck.Audit.PostgreSql;

/// <summary>Names a database for people (logs, messages) without the password: <c>user@host:port/database</c>.</summary>
public static class PostgresConnectionDescription
{
    /// <summary>The description of <paramref name="connectionString"/>, or a placeholder when it cannot be read.</summary>
    public static string Of(string connectionString)
    {
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            return string.Create(CultureInfo.InvariantCulture, $"{settings.Username}@{settings.Host}:{settings.Port}/{settings.Database}");
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }
}
