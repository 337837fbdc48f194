namespace SafetyCheck.Audit.PostgreSql;

/// <summary>
/// The PostgreSQL layout of the audit trail, in the schema <c>safetycheck_audit</c>, and the migration steps that create
/// it. Only <see cref="PostgresAuditMigrator"/> (run with the owner role) executes DDL; the service's role reads and
/// inserts. Layout:
/// <list type="bullet">
/// <item><c>store</c>: one row, the store's random id (named in checkpoint origins); <c>migrations</c>: the steps applied.</item>
/// <item><c>chains</c>: one row per chain (a service instance), with the number its advisory lock is taken on.</item>
/// <item><c>entries</c>: one row per chain entry, keyed by <c>(chain_id, sequence)</c>, <c>entry_id</c> unique across chains.</item>
/// <item><c>revisions</c>, <c>revision_files</c>: the archive of rule revisions, shared by every chain; each file with
/// the SHA-256 of its bytes recorded when it was archived (<c>sha256</c>, from step 2; null for files archived before).</item>
/// <item><c>verified_points</c> (step 2): per chain, the heads a full verification found intact; a service verifies
/// only what comes after the last one before it appends.</item>
/// </list>
/// Every table refuses UPDATE, DELETE and TRUNCATE by trigger (whoever asks, the owner included); an INSERT into
/// <c>entries</c> is refused unless every row links to the row before it in its chain and no other session holds the
/// chain's lock.
/// </summary>
internal static class PostgresAuditSchema
{
    /// <summary>The schema that holds every object of the audit trail.</summary>
    public const string Name = "safetycheck_audit";

    /// <summary>The first key of every advisory lock the audit trail takes; the second is the chain's <c>lock_key</c> (0: migrations).</summary>
    public const int LockNamespace = 715_212_001;

    /// <summary>SQLSTATE raised when an appended entry does not link to the entry before it.</summary>
    public const string BrokenLinkState = "SCA01";

    /// <summary>SQLSTATE raised when another session holds the chain being appended to.</summary>
    public const string ChainHeldState = "SCA02";

    /// <summary>SQLSTATE raised on UPDATE, DELETE or TRUNCATE of an audit table.</summary>
    public const string AppendOnlyState = "SCA03";

    /// <summary>The tables step 1 creates (fixed: a step never changes once released).</summary>
    private static readonly string[] Step1Tables = ["store", "migrations", "chains", "entries", "revisions", "revision_files"];

    /// <summary>The tables of the layout, each append-only.</summary>
    public static readonly string[] Tables = [.. Step1Tables, "verified_points"];

    /// <summary>The tables the service's role inserts into (it may select from all of them).</summary>
    public static readonly string[] InsertTables = ["chains", "entries", "revisions", "revision_files", "verified_points"];

    /// <summary>The user triggers every table must have, enabled: <c>&lt;table&gt;_append_only</c> and <c>&lt;table&gt;_no_truncate</c>, and the link check on entries.</summary>
    public static IEnumerable<string> Triggers =>
        Tables.SelectMany(t => (string[])[$"{t}_append_only", $"{t}_no_truncate"]).Append("entries_check_append");

    /// <summary>Migration steps, in order: step <c>i</c> brings the schema to version <c>i + 1</c>. Append new steps; never edit one.</summary>
    public static readonly string[] Steps =
    [
        $$"""
        CREATE SCHEMA {{Name}};
        REVOKE ALL ON SCHEMA {{Name}} FROM PUBLIC;

        CREATE TABLE {{Name}}.store (
          store_id   uuid        PRIMARY KEY,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE {{Name}}.migrations (
          version    integer     PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now(),
          applied_by text        NOT NULL DEFAULT current_user
        );
        CREATE TABLE {{Name}}.chains (
          chain_id   text COLLATE "C" PRIMARY KEY CHECK (chain_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
          lock_key   integer     GENERATED ALWAYS AS IDENTITY (START WITH 1) UNIQUE,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE {{Name}}.entries (
          chain_id    text COLLATE "C" NOT NULL REFERENCES {{Name}}.chains (chain_id),
          sequence    bigint NOT NULL CHECK (sequence >= 1),
          kind        text   NOT NULL,
          entry_id    text   NOT NULL CONSTRAINT entries_entry_id_key UNIQUE,
          recorded_at text   NOT NULL,
          verdict     text,
          revision    text,
          rule_ids    text,
          record      text   NOT NULL,
          prev_hash   text   NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
          entry_hash  text   NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
          CONSTRAINT entries_pkey PRIMARY KEY (chain_id, sequence)
        );
        CREATE INDEX entries_recorded_at ON {{Name}}.entries (recorded_at);
        CREATE INDEX entries_revision ON {{Name}}.entries (revision);
        CREATE TABLE {{Name}}.revisions (
          revision text PRIMARY KEY,
          name     text NOT NULL,
          version  text NOT NULL
        );
        CREATE TABLE {{Name}}.revision_files (
          revision text  NOT NULL REFERENCES {{Name}}.revisions (revision),
          path     text  NOT NULL,
          content  bytea NOT NULL,
          PRIMARY KEY (revision, path)
        );
        REVOKE ALL ON ALL TABLES IN SCHEMA {{Name}} FROM PUBLIC;

        CREATE FUNCTION {{Name}}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          RAISE EXCEPTION 'the audit trail is append-only: % on %.% refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = '{{AppendOnlyState}}';
        END
        $fn$;

        CREATE FUNCTION {{Name}}.check_append() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
          bad record;
        BEGIN
          SELECT a.chain_id, a.sequence INTO bad
          FROM appended AS a
          LEFT JOIN {{Name}}.entries AS p ON p.chain_id = a.chain_id AND p.sequence = a.sequence - 1
          WHERE a.prev_hash IS DISTINCT FROM (CASE WHEN a.sequence = 1 THEN repeat('0', 64) ELSE p.entry_hash END)
          LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'audit chain %: entry % does not continue the chain (its prev_hash is not the entry hash of sequence %)',
              bad.chain_id, bad.sequence, bad.sequence - 1 USING ERRCODE = '{{BrokenLinkState}}';
          END IF;
          SELECT c.chain_id INTO bad
          FROM (SELECT DISTINCT chain_id FROM appended) AS a
          JOIN {{Name}}.chains AS c ON c.chain_id = a.chain_id
          WHERE NOT pg_try_advisory_xact_lock({{LockNamespace}}, c.lock_key)
          LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION 'audit chain % is held by another session', bad.chain_id USING ERRCODE = '{{ChainHeldState}}';
          END IF;
          RETURN NULL;
        END
        $fn$;

        CREATE TRIGGER entries_check_append AFTER INSERT ON {{Name}}.entries
          REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION {{Name}}.check_append();
        {{string.Concat(Step1Tables.Select(t => $"""
        CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {Name}.{t} FOR EACH STATEMENT EXECUTE FUNCTION {Name}.refuse_change();
        CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {Name}.{t} FOR EACH STATEMENT EXECUTE FUNCTION {Name}.refuse_change();

        """))}}
        """,
        $$"""
        ALTER TABLE {{Name}}.revision_files ADD COLUMN sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$');
        CREATE TABLE {{Name}}.verified_points (
          chain_id    text COLLATE "C" NOT NULL REFERENCES {{Name}}.chains (chain_id),
          sequence    bigint NOT NULL CHECK (sequence >= 1),
          entry_hash  text   NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
          verified_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (chain_id, sequence)
        );
        REVOKE ALL ON {{Name}}.verified_points FROM PUBLIC;
        CREATE TRIGGER verified_points_append_only BEFORE UPDATE OR DELETE ON {{Name}}.verified_points FOR EACH STATEMENT EXECUTE FUNCTION {{Name}}.refuse_change();
        CREATE TRIGGER verified_points_no_truncate BEFORE TRUNCATE ON {{Name}}.verified_points FOR EACH STATEMENT EXECUTE FUNCTION {{Name}}.refuse_change();

        -- Roles granted before this step keep what they had: writers may record verified points, readers read them.
        DO $grants$
        DECLARE
          r record;
        BEGIN
          FOR r IN SELECT DISTINCT grantee, privilege_type FROM information_schema.role_table_grants
                   WHERE table_schema = '{{Name}}' AND table_name = 'entries' AND privilege_type IN ('SELECT', 'INSERT')
                     AND grantee <> current_user LOOP
            EXECUTE format('GRANT %s ON {{Name}}.verified_points TO %I', r.privilege_type, r.grantee);
          END LOOP;
        END
        $grants$;
        """,
    ];

    /// <summary>The version this build writes and reads.</summary>
    public static int Version => Steps.Length;

    /// <summary>What the service's role may do: use the schema, read every table, insert into <see cref="InsertTables"/>. Nothing else.</summary>
    public static string GrantWriter(string quotedRole) => $"""
        GRANT USAGE ON SCHEMA {Name} TO {quotedRole};
        GRANT SELECT ON ALL TABLES IN SCHEMA {Name} TO {quotedRole};
        GRANT INSERT ON {string.Join(", ", InsertTables.Select(t => $"{Name}.{t}"))} TO {quotedRole};
        """;

    /// <summary>What an auditor's role may do: use the schema and read every table.</summary>
    public static string GrantReader(string quotedRole) => $"""
        GRANT USAGE ON SCHEMA {Name} TO {quotedRole};
        GRANT SELECT ON ALL TABLES IN SCHEMA {Name} TO {quotedRole};
        """;
}
