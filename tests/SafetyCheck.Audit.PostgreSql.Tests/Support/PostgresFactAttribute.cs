namespace SafetyCheck.Audit.PostgreSql.Tests.Support;

/// <summary>
/// A test that needs a real PostgreSQL server: it runs when <c>SAFETYCHECK_TEST_POSTGRES</c> holds a superuser's
/// connection string (<c>.ci/run</c> starts a throwaway cluster and sets it; developers run
/// <c>eval "$(tests/postgres/start.sh)"</c>), and is skipped with that hint otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(TestPostgres.SuperuserConnectionString))
        {
            Skip = $"needs PostgreSQL: set {TestPostgres.Variable} (eval \"$(tests/postgres/start.sh)\"; .ci/run does it)";
        }
    }
}
