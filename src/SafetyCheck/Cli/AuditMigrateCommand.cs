using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary><c>audit migrate --connection-string CS [--grant-writer ROLE] [--grant-reader ROLE]</c>: creates the PostgreSQL audit schema.</summary>
internal static class AuditMigrateCommand
{
    public static Command Create()
    {
        var connection = AuditCliOptions.Value("--connection-string", "Npgsql connection string of the role that is to own the audit schema (not the service's role).", "CS");
        var writers = new Option<string[]>("--grant-writer")
        {
            Description = "A role that may read and insert (the service's role); repeat for several.",
            HelpName = "ROLE",
            AllowMultipleArgumentsPerToken = false,
        };
        var readers = new Option<string[]>("--grant-reader")
        {
            Description = "A role that may only read (auditors running the audit verbs); repeat for several.",
            HelpName = "ROLE",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("migrate", """
            Creates or upgrades the audit schema (safetycheck_audit) in a PostgreSQL database, for the PostgreSql
            provider. Run it with the role that is to own the schema; serve never creates schema and refuses a
            database whose schema is missing or of another version. Every audit table refuses UPDATE, DELETE and
            TRUNCATE by trigger, the owner included; --grant-writer gives the service's role SELECT and INSERT
            only, --grant-reader gives auditors SELECT. Create the roles first (CREATE ROLE … LOGIN). Running it
            again applies what is new and grants again; it changes no row.

            Example:
              safetycheck audit migrate --connection-string 'Host=db;Database=safetycheck;Username=safetycheck_owner' \
                --grant-writer safetycheck_service --grant-reader safetycheck_auditor

            Exit codes: 0 migrated; 2 a bad argument; 1 cannot run (server unreachable, a role missing, the database
            not UTF-8, its schema newer than this build); nothing is changed unless it exits 0.
            """)
        {
            connection,
            writers,
            readers,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var connectionString = parse.GetValue(connection);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                return await BadCommandLine.RejectAsync(parse, "--connection-string: required (the owner role's Npgsql connection string)").ConfigureAwait(false);
            }

            try
            {
                var result = await PostgresAuditMigrator.MigrateAsync(
                    connectionString, parse.GetValue(writers) ?? [], parse.GetValue(readers) ?? [], cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(result.FromVersion == result.ToVersion
                    ? $"the audit schema is at version {result.ToVersion} already (store {result.StoreId})"
                    : $"the audit schema migrated from version {result.FromVersion} to {result.ToVersion} (store {result.StoreId})").ConfigureAwait(false);
                foreach (var grant in result.Granted)
                {
                    await output.WriteLineAsync($"granted {grant}").ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }
            catch (AuditStoreUnavailableException ex)
            {
                await error.WriteLineAsync($"cannot migrate {PostgresConnectionDescription.Of(connectionString)}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.CannotRun;
            }
        });
        return command;
    }
}
