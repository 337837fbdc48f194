#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and prints the shell lines that point the tests at it.
#
#   eval "$(tests/postgres/start.sh)"     # sets SAFETYCHECK_TEST_POSTGRES, SAFETYCHECK_TEST_POSTGRES_CTL, SAFETYCHECK_TEST_POSTGRES_DIR
#   dotnet test SafetyCheck.sln           # the PostgreSQL tests run instead of skipping
#   tests/postgres/stop.sh                # stops the cluster and removes its directory
#
# The cluster lives in a new temporary directory (data, log, unix socket), listens on 127.0.0.1 on a free port, and
# trusts local connections (it is a test cluster: never expose it). Its superuser is `postgres`. Run as root (as CI
# does), the server runs as the `postgres` system user that Debian's package creates; otherwise as you. Needs the
# server binaries: Debian's `postgresql` package (apt-get install -y postgresql); /usr/lib/postgresql/<ver>/bin.
set -euo pipefail
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$BIN/initdb" ] || { echo "no PostgreSQL server binaries (initdb) under /usr/lib/postgresql/*/bin: apt-get install -y postgresql" >&2; exit 1; }
DIR=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-pg.XXXXXX")
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "running as root needs the 'postgres' system user (Debian's postgresql package creates it)" >&2; exit 1; }
  chown postgres: "$DIR"
  chmod 700 "$DIR"
  AS="runuser -u postgres --"
else
  AS=""
fi
$AS "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
synchronous_commit = on
fsync = on
CONF
cat >"$DIR/ctl" <<CTL
#!/usr/bin/env bash
# stop | start | restart the throwaway cluster (used by the tests that stop the server under load)
exec $AS "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -m fast "\$@"
CTL
chmod 755 "$DIR/ctl"
"$DIR/ctl" start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
echo "export SAFETYCHECK_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres'"
echo "export SAFETYCHECK_TEST_POSTGRES_CTL='$DIR/ctl'"
echo "export SAFETYCHECK_TEST_POSTGRES_DIR='$DIR'"
