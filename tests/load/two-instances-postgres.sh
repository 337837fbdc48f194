#!/usr/bin/env bash
# Two `serve` instances on one PostgreSQL audit store, loaded together, then one of them killed with SIGKILL under
# load; and, for comparison, one instance on PostgreSQL alone and one on the embedded SQLite store.
#
#   tests/load/two-instances-postgres.sh [-n CALLS] [-c CONNECTIONS] [-m STREAMS_PER_CONNECTION] [-s SEED] [-k SECONDS]
#
# Starts its own throwaway PostgreSQL cluster (tests/postgres/start.sh; Debian's postgresql package), creates the
# owner, service and auditor roles, runs `safetycheck audit migrate` as the owner, and starts the instances with the
# service's role (SELECT and INSERT only). Prints:
#   - Check throughput of the two instances loaded at once (h2load on each, CALLS calls, CONNECTIONS x STREAMS in
#     flight per instance), of one PostgreSQL instance alone, and of one instance on SQLite;
#   - the kill run: both instances called for SECONDS by concurrent callers that keep every receipt, node-a killed
#     with SIGKILL halfway; every receipt (decision id, sequence, entry hash) looked up in the database;
#   - `safetycheck audit verify` as the auditor's role over every chain.
# Needs: h2load (Debian: nghttp2-client), psql. Defaults: 20000 calls, 4 x 16 streams, seed fracture-and-asthma, 8 s.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CALLS=20000 CONNS=4 STREAMS=16 SEED=fracture-and-asthma KILL_SECONDS=8
while getopts "n:c:m:s:k:" opt; do
  case $opt in n) CALLS=$OPTARG ;; c) CONNS=$OPTARG ;; m) STREAMS=$OPTARG ;; s) SEED=$OPTARG ;; k) KILL_SECONDS=$OPTARG ;; *) exit 2 ;; esac
done
command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "building (Release)..." >&2
dotnet build -c Release "$ROOT/tests/SafetyCheck.Load" -v q -nologo >/dev/null
SC="$ROOT/src/SafetyCheck/bin/Release/net10.0/safetycheck.dll"
TOOL="$ROOT/tests/SafetyCheck.Load/bin/Release/net10.0/SafetyCheck.Load.dll"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-two.XXXXXX")
PIDS=()
eval "$(bash "$ROOT/tests/postgres/start.sh")"
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  bash "$ROOT/tests/postgres/stop.sh" "$SAFETYCHECK_TEST_POSTGRES_DIR"
}
trap cleanup EXIT
PGPORT=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$SAFETYCHECK_TEST_POSTGRES")
sql() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }
sql -d postgres -c "CREATE ROLE sc_owner LOGIN" -c "CREATE ROLE sc_service LOGIN" -c "CREATE ROLE sc_auditor LOGIN" \
  -c "CREATE DATABASE safetycheck OWNER sc_owner ENCODING 'UTF8' TEMPLATE template0"
CS="Host=127.0.0.1;Port=$PGPORT;Database=safetycheck"
dotnet "$SC" audit migrate --connection-string "$CS;Username=sc_owner" --grant-writer sc_service --grant-reader sc_auditor >&2

dotnet "$TOOL" frame "$ROOT/seeds/$SEED.json" "$WORK/check.bin"
export SafetyCheck__Limits__CallsPerSecondPerCaller=0
PSEUDONYM_KEY=$(head -c 32 /dev/urandom | base64)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
start() { # NAME URL [env assignments...]: serve in $WORK (the development API key lands in $WORK/.safetycheck/dev-key)
  local name=$1 url=$2; shift 2
  (cd "$WORK" && exec env "$@" dotnet "$SC" serve --rules "$ROOT/rules" --urls "$url" >"$WORK/$name.log" 2>&1) &
  PIDS+=($!)
  dotnet "$TOOL" wait-serving "$url" 60 || { tail -5 "$WORK/$name.log" >&2; exit 1; }
}
pg_env() { echo SafetyCheck__Audit__Provider=PostgreSql "SafetyCheck__Audit__ConnectionString=$CS;Username=sc_service" \
  "SafetyCheck__Audit__PseudonymKey=$PSEUDONYM_KEY" "SafetyCheck__Audit__InstanceId=$1"; }
URL_A="http://127.0.0.1:$(free_port)"; URL_B="http://127.0.0.1:$(free_port)"; URL_S="http://127.0.0.1:$(free_port)"
# shellcheck disable=SC2046
start node-a "$URL_A" $(pg_env node-a)
# shellcheck disable=SC2046
start node-b "$URL_B" $(pg_env node-b)
KEY=$(cat "$WORK/.safetycheck/dev-key")
load() { # URL CALLS OUT
  h2load -n "$2" -c "$CONNS" -m "$STREAMS" -d "$WORK/check.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" "$1/safetycheck.v1.SafetyCheck/Check" >"$3"
}
rps() { grep -oE 'finished in [0-9.]+m?s, [0-9.]+ req/s' "$1" | grep -oE '[0-9.]+ req/s' | cut -d' ' -f1; }
recorded() { sql -d safetycheck -At -c "SELECT count(*) FROM safetycheck_audit.entries WHERE chain_id = '$1'"; }

echo "warming up..." >&2
load "$URL_A" 2000 /dev/null; load "$URL_B" 2000 /dev/null
START=$(date +%s%N)
load "$URL_A" "$CALLS" "$WORK/a.out" & LA=$!
load "$URL_B" "$CALLS" "$WORK/b.out" & LB=$!
wait $LA $LB
END=$(date +%s%N)
TOGETHER=$(python3 -c "print(f'{2 * $CALLS / (($END - $START) / 1e9):.0f}')")
echo "two instances together: $TOGETHER Check/s ($CALLS calls each; node-a alone $(rps "$WORK/a.out")/s, node-b $(rps "$WORK/b.out")/s while both ran)"
echo "recorded: node-a $(recorded node-a), node-b $(recorded node-b) (expected $((CALLS + 2000)) each)"
load "$URL_A" "$CALLS" "$WORK/alone.out"
echo "one PostgreSQL instance alone: $(rps "$WORK/alone.out") Check/s"

echo "kill run: $KILL_SECONDS s on both instances, node-a killed with SIGKILL after $((KILL_SECONDS / 2)) s" >&2
dotnet "$TOOL" receipts "$URL_A" "$KEY" "$ROOT/seeds/$SEED.json" "$KILL_SECONDS" 32 "$WORK/receipts-a.tsv" >"$WORK/kill-a.out" & RA=$!
dotnet "$TOOL" receipts "$URL_B" "$KEY" "$ROOT/seeds/$SEED.json" "$KILL_SECONDS" 32 "$WORK/receipts-b.tsv" >"$WORK/kill-b.out" & RB=$!
sleep $((KILL_SECONDS / 2))
kill -KILL "${PIDS[0]}"
wait $RA $RB
echo "node-a (killed): $(cat "$WORK/kill-a.out"); node-b: $(cat "$WORK/kill-b.out")"
sql -d safetycheck -c "CREATE TABLE receipts (chain_id text, decision_id text, sequence bigint, entry_hash text)" \
  -c "\copy receipts (decision_id, sequence, entry_hash) FROM '$WORK/receipts-a.tsv'" -c "UPDATE receipts SET chain_id = 'node-a' WHERE chain_id IS NULL" \
  -c "\copy receipts (decision_id, sequence, entry_hash) FROM '$WORK/receipts-b.tsv'" -c "UPDATE receipts SET chain_id = 'node-b' WHERE chain_id IS NULL"
sql -d safetycheck -At -F ' ' -c "SELECT count(*) AS receipts,
    count(e.entry_id) AS in_database,
    count(*) FILTER (WHERE e.entry_id IS NULL OR e.chain_id <> r.chain_id OR e.sequence <> r.sequence OR e.entry_hash <> r.entry_hash) AS missing_or_different
  FROM receipts AS r LEFT JOIN safetycheck_audit.entries AS e ON e.entry_id = r.decision_id" \
  | awk '{print "receipts kept by the callers: " $1 ", in the database where the receipt says: " $2 ", missing or different: " $3}'
echo "chains after the kill: $(sql -d safetycheck -At -c "SELECT string_agg(chain_id || ' ' || n, ', ') FROM (SELECT chain_id, count(*) n FROM safetycheck_audit.entries GROUP BY 1 ORDER BY 1) c")"
echo "audit verify (auditor's role):"
(cd "$WORK" && SafetyCheck__Audit__Provider=PostgreSql SafetyCheck__Audit__ConnectionString="$CS;Username=sc_auditor" dotnet "$SC" audit verify) | sed 's/^/  /'

start sqlite "$URL_S" SafetyCheck__Audit__DatabasePath="$WORK/audit.db"
load "$URL_S" 2000 /dev/null
load "$URL_S" "$CALLS" "$WORK/sqlite.out"
echo "one SQLite instance: $(rps "$WORK/sqlite.out") Check/s"
echo "work directory: $WORK" >&2
