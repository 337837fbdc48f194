#!/usr/bin/env bash
# The auditor's page over millions of decisions: fills a scratch SQLite audit database (tests/load/audit-page-fill.py,
# cloned from real decisions `serve` records from the seeds, one valid chain), starts `serve` on it with the page on,
# signs in with the development key and times pages of decisions (first, middle, deep; with filters), the revisions
# page and the pictures page. Each time is the best of three requests (curl's total time, loopback).
#
#   tests/load/audit-page-paging.sh [-n DECISIONS] [-d EXISTING_DB]
#
# Defaults: 2,000,000 decisions in a temporary directory (about 3 GB; removed at the end unless -d is given).
# Needs: h2load (Debian: nghttp2-client), python3, sqlite3, curl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COUNT=2000000 DB=""
while getopts "n:d:" opt; do
  case $opt in n) COUNT=$OPTARG ;; d) DB=$(realpath "$OPTARG") ;; *) exit 2 ;; esac
done
for tool in h2load python3 sqlite3 curl; do command -v $tool >/dev/null || { echo "$tool not found" >&2; exit 1; }; done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
CONFIGURATION=${CONFIGURATION:-Release}

echo "building ($CONFIGURATION)..." >&2
dotnet build -c "$CONFIGURATION" "$ROOT/src/SafetyCheck" -v q -nologo >/dev/null
dotnet build -c "$CONFIGURATION" "$ROOT/tests/SafetyCheck.Load" -v q -nologo >/dev/null
SC="$ROOT/src/SafetyCheck/bin/$CONFIGURATION/net10.0/safetycheck.dll"
TOOL="$ROOT/tests/SafetyCheck.Load/bin/$CONFIGURATION/net10.0/SafetyCheck.Load.dll"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-page.XXXXXX")
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# PORT_BASE=N uses ports N (gRPC) and N+1 (the page) instead of free ones the system picks.
free_port() { # OFFSET
  if [ -n "${PORT_BASE:-}" ]; then echo $((PORT_BASE + $1)); return; fi
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

start_serve() { # DB [PAGE_URL]
  local url="http://127.0.0.1:$(free_port 0)"
  (cd "$WORK" && SafetyCheck__Limits__CallsPerSecondPerCaller=0 SafetyCheck__AuditPage__Urls="${2:-}" exec dotnet "$SC" serve \
    --rules "$ROOT/rules" --urls "$url" --audit-db "$1" >>"$WORK/serve.log" 2>&1) &
  SERVER=$!
  dotnet "$TOOL" wait-serving "$url" 120 || { tail -5 "$WORK/serve.log" >&2; exit 1; }
  GRPC=$url
}
stop_serve() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

if [ -z "$DB" ]; then
  echo "recording seed decisions..." >&2
  start_serve "$WORK/seed.db"
  for seed in "$ROOT"/seeds/*.json; do
    dotnet "$TOOL" frame "$seed" "$WORK/check.bin" >/dev/null 2>&1 || continue
    h2load -n 3 -c 1 -d "$WORK/check.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
      -H "authorization: Bearer $(cat "$WORK/.safetycheck/dev-key")" "$GRPC/safetycheck.v1.SafetyCheck/Check" >/dev/null
  done
  stop_serve
  echo "filling $COUNT decisions..." >&2
  DB="$WORK/audit.db"
  python3 "$ROOT/tests/load/audit-page-fill.py" "$WORK/seed.db" "$DB" "$COUNT" 2>/dev/null
  cp "$WORK/seed.db.key" "$DB.key"
fi

N=$(sqlite3 "$DB" "SELECT max(sequence) FROM entries")
PAGE="http://127.0.0.1:$(free_port 1)"
: >"$WORK/serve.log"
start_serve "$DB" "$PAGE"
# serve verifies the whole chain in the background once (then only what is new): time the page after it, not beside it.
echo "waiting for serve's full verification of the chain..." >&2
for _ in $(seq 1 1800); do
  grep -qE "Full audit verification (passed|failed|could not run)" "$WORK/serve.log" && break
  sleep 1
done
grep -E "Full audit verification" "$WORK/serve.log" | tail -1 >&2
JAR="$WORK/cookies"
TOKEN=$(curl -s -c "$JAR" "$PAGE/audit/signin" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | sed 's/.*value="//;s/"$//')
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" --data-urlencode "__RequestVerificationToken=$TOKEN" \
  --data-urlencode "key=$(cat "$WORK/.safetycheck/dev-key")" --data-urlencode "returnUrl=/audit/decisions" "$PAGE/audit/signin")
[ "$STATUS" = 303 ] || { echo "sign-in failed ($STATUS)" >&2; exit 1; }

token_at() { # SEQUENCE: the newest-first page token that starts just before it
  local at; at=$(sqlite3 "$DB" "SELECT recorded_at FROM entries WHERE sequence = $1")
  printf 'before:%s|%s' "$at" "$1" | base64 -w0 | sed 's/+/%2B/g;s/\//%2F/g;s/=/%3D/g'
}
time_page() { # LABEL PATH [TRIES]
  local best="" code t
  for _ in $(seq 1 "${3:-3}"); do
    read -r code t < <(curl -s -o "$WORK/page.html" -w '%{http_code} %{time_total}\n' -b "$JAR" "$PAGE$2")
    [ "$code" = 200 ] || { echo "$1: HTTP $code" >&2; exit 1; }
    best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
  done
  local rows; rows=$(grep -c '<td><a href="/audit/decisions/' "$WORK/page.html" || true)
  printf '%-52s %8.1f ms  %3s rows\n' "$1" "$(python3 -c "print($best*1000)")" "$rows"
}

MID=$((N / 2)) DEEP=$((N / 50))
REV=$(sqlite3 "$DB" "SELECT revision FROM entries LIMIT 1")
DAY=$(sqlite3 "$DB" "SELECT substr(recorded_at, 1, 10) FROM entries WHERE sequence = $MID")
echo "$N decisions ($(du -h "$DB" | cut -f1)); page 50 rows; best of 3"
# serve counts the trail for Revisions and Pictures once in the background when it starts; later requests count only
# what was appended since.
for _ in $(seq 1 60); do grep -qE "for the auditor's Revisions and Pictures pages" "$WORK/serve.log" && break; sleep 1; done
grep -oE "(Counted|Could not count) [^;]*" "$WORK/serve.log" | tail -1 || true
time_page "revisions, first request" "/audit/revisions" 1
time_page "pictures, first request" "/audit/pictures" 1
time_page "first page" "/audit/decisions"
time_page "middle page (sequence $MID)" "/audit/decisions?page=$(token_at $MID)"
time_page "deep page (sequence $DEEP)" "/audit/decisions?page=$(token_at $DEEP)"
time_page "verdict NOT_SUITABLE, first page" "/audit/decisions?verdict=NOT_SUITABLE"
time_page "verdict NOT_SUITABLE, middle page" "/audit/decisions?verdict=NOT_SUITABLE&page=$(token_at $MID)"
time_page "caller ward-7-tablet, deep page" "/audit/decisions?caller=ward-7-tablet&page=$(token_at $DEEP)"
time_page "revision, middle page" "/audit/decisions?revision=$REV&page=$(token_at $MID)"
time_page "one day ($DAY)" "/audit/decisions?from=$DAY&to=$DAY"
time_page "rule fever, first page" "/audit/decisions?rule=fever"
time_page "rule fever, deep page" "/audit/decisions?rule=fever&page=$(token_at $DEEP)"
time_page "verdict + rule fever + caller, middle page" "/audit/decisions?verdict=NOT_SUITABLE&rule=fever&caller=clinic-north&page=$(token_at $MID)"
time_page "rule in 1 of 200,000 decisions, first page" "/audit/decisions?rule=rare-measure-rule"
time_page "a decision" "/audit/decisions/$(sqlite3 "$DB" "SELECT entry_id FROM entries WHERE sequence = $MID")"
time_page "revisions (decisions per revision)" "/audit/revisions"
time_page "pictures (last 30 days)" "/audit/pictures"
# A thousand new decisions through Check, then the two counting pages again: they count only those.
dotnet "$TOOL" frame "$ROOT/seeds/$(ls "$ROOT/seeds" | head -1)" "$WORK/check.bin" >/dev/null
h2load -n 1000 -c 4 -d "$WORK/check.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
  -H "authorization: Bearer $(cat "$WORK/.safetycheck/dev-key")" "$GRPC/safetycheck.v1.SafetyCheck/Check" >/dev/null
time_page "revisions after 1,000 new decisions, first request" "/audit/revisions" 1
time_page "pictures after 1,000 new decisions, first request" "/audit/pictures" 1
time_page "revisions after 1,000 new decisions" "/audit/revisions"
time_page "pictures after 1,000 new decisions" "/audit/pictures"
