#!/usr/bin/env bash
# The audit trail's hardening probes, from outside: a real `serve` on real file systems, driven by a gRPC client.
#
#   sudo tests/hardening/audit-probes.sh [-p FIRST_PORT] [-c Debug|Release] [PROBE...]
#
# PROBE is any of: full-disk frozen middle-edit archive-edit key-custody modes (default: all). Each prints what it
# observed, with times in milliseconds, and "PASS" or "FAIL"; the script exits 1 when any failed.
#   full-disk     the database on a 16 MiB tmpfs (room to archive the 3 MB rule set) that is then filled: health turns NOT_SERVING within a second of the
#                 first refused Check, and SERVING again when space is freed
#   frozen        the database on an ext4 loop device frozen with fsfreeze: health NOT_SERVING after the commit stall
#                 bound (2 s here); SIGTERM: serve says at its shutdown bound (3 s here) that the store did not close
#                 and exits 3 (collected when the file system is thawed: a thread stuck in the kernel holds the process)
#   middle-edit   a record in the middle of the chain edited: the next serve exits 1 at once with one line naming it;
#                 edited before the last verified point: the background verification refuses it, serve exits 1
#   archive-edit  an archived rule file edited: audit verify exits 2 naming the revision and the file
#   key-custody   audit checkpoint with a key in the database's folder (or below, or by a symbolic link) exits 2 and
#                 creates nothing; a key elsewhere signs, the key and the checkpoint 0600
#   modes         under umask 000, every file and folder serve creates is 0600 / 0700
#
# Needs root (mount, losetup, fsfreeze), sqlite3, curl; ports FIRST_PORT..FIRST_PORT+9 (default 5210).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT0=5210 CONFIG=Debug
while getopts "p:c:" opt; do
  case $opt in p) PORT0=$OPTARG ;; c) CONFIG=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
PROBES=("$@")
[ ${#PROBES[@]} -gt 0 ] || PROBES=(full-disk frozen middle-edit archive-edit key-custody modes)
[ "$(id -u)" = 0 ] || { echo "run as root (mount, losetup, fsfreeze)" >&2; exit 1; }
for tool in sqlite3 fsfreeze losetup mkfs.ext4 python3; do command -v $tool >/dev/null || { echo "$tool not found" >&2; exit 1; }; done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "building ($CONFIG)..." >&2
dotnet build -c "$CONFIG" "$ROOT/src/SafetyCheck" -v q -nologo >/dev/null
dotnet build -c "$CONFIG" "$ROOT/tests/SafetyCheck.Load" -v q -nologo >/dev/null
SC="$ROOT/src/SafetyCheck/bin/$CONFIG/net10.0/safetycheck.dll"
TOOL="$ROOT/tests/SafetyCheck.Load/bin/$CONFIG/net10.0/SafetyCheck.Load.dll"
REQUEST="$ROOT/seeds/fracture-and-asthma.json"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-probes.XXXXXX")
SERVER="" MOUNTS=() LOOPS=() FROZEN=""
cleanup() {
  [ -z "$FROZEN" ] || fsfreeze -u "$FROZEN" 2>/dev/null || true
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || true; done
  for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
FAILED=0
now() { date +%s%3N; }
pass() { echo "  PASS $*"; }
fail() { echo "  FAIL $*"; FAILED=1; }

# serve DIR PORT DB [ENV=VALUE...]: starts serve in DIR (its development key in DIR/.safetycheck), sets SERVER.
serve() {
  local dir=$1 port=$2 db=$3; shift 3
  (cd "$dir" && exec env SafetyCheck__Limits__CallsPerSecondPerCaller=0 "$@" dotnet "$SC" serve --rules "$ROOT/rules" \
    --urls "http://127.0.0.1:$port" --audit-db "$db" >"$dir/serve.out" 2>"$dir/serve.err") &
  SERVER=$!
  dotnet "$TOOL" wait-serving "http://127.0.0.1:$port" 60 || { tail -5 "$dir/serve.err" >&2; return 1; }
}
stop_serve() { kill -TERM "$SERVER"; local rc=0; wait "$SERVER" || rc=$?; SERVER=""; return $rc; }
key_of() { cat "$1/.safetycheck/dev-key"; }
checks() { # DIR PORT SECONDS: calls Check for SECONDS from one caller
  dotnet "$TOOL" receipts "http://127.0.0.1:$2" "$(key_of "$1")" "$REQUEST" "$3" 1 "$1/receipts.tsv" >/dev/null
  wc -l <"$1/receipts.tsv"
}

probe_full_disk() {
  echo "== full-disk: the database on a 16 MiB tmpfs, filled while Check and health are called every 50 ms"
  local dir=$WORK/full-disk port=$PORT0; mkdir -p "$dir/disk"
  mount -t tmpfs -o size=16m safetycheck-probe "$dir/disk"; MOUNTS+=("$dir/disk")
  serve "$dir" "$port" "$dir/disk/audit.db"
  dotnet "$TOOL" watch "http://127.0.0.1:$port" "$(key_of "$dir")" "$REQUEST" 12 50 "$dir/watch.tsv" &
  local watcher=$!
  sleep 3
  # Empty the write-ahead log first: SQLite reuses a log file's space once it is checkpointed, so without this the
  # store commits into the room the log already holds (for a while, durably) before a write needs a new page.
  sqlite3 -cmd ".timeout 5000" "$dir/disk/audit.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  dd if=/dev/zero of="$dir/disk/fill" bs=4k 2>/dev/null || true
  local full; full=$(now)
  sleep 5
  rm -f "$dir/disk/fill"
  local freed; freed=$(now)
  wait $watcher
  stop_serve || true
  python3 - "$dir/watch.tsv" "$full" "$freed" <<'PY' || FAILED=1
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
rows = sorted((int(t), w, a) for t, w, a in rows)
full, freed = int(sys.argv[2]), int(sys.argv[3])
def first(pred, after):
    return next((t for t, w, a in rows if t >= after and pred(w, a)), None)
refused = first(lambda w, a: w == "check" and a != "OK", full)
down = first(lambda w, a: w == "health" and a == "NOT_SERVING", full)
outage = [(t, w, a) for t, w, a in rows if refused is not None and refused <= t < freed]
serving = sum(1 for t, w, a in outage if w == "health" and a == "SERVING" and down is not None and t > down)
health = sum(1 for t, w, a in outage if w == "health")
ok_checks = sum(1 for t, w, a in outage if w == "check" and a == "OK")
back = first(lambda w, a: w == "health" and a == "SERVING", freed)
ok_after = first(lambda w, a: w == "check" and a == "OK", freed)
before = [a for t, w, a in rows if t < full]
print(f"  before the fill: {before.count('OK')} Check OK, {before.count('SERVING')} health SERVING, {len(before) - before.count('OK') - before.count('SERVING')} other")
if refused is None:
    print("  FAIL no Check was refused after the disk filled"); sys.exit(1)
print(f"  disk full at 0 ms; first refused Check at +{refused - full} ms ({[a for t, w, a in rows if t == refused][0]}); health NOT_SERVING at +{down - full if down else None} ms, {down - refused if down else None} ms after the first refused Check")
print(f"  while full: {health} health answers, {serving} SERVING after it turned NOT_SERVING; Checks answered OK: {ok_checks}")
print(f"  space freed at +{freed - full} ms; health SERVING again +{back - freed if back else None} ms later, Check OK +{ok_after - freed if ok_after else None} ms later")
ok = down is not None and down - refused <= 1000 and serving == 0 and ok_checks == 0 and back is not None and ok_after is not None
print("  PASS" if ok else "  FAIL", "health NOT_SERVING within a second of the first refused commit, stays so while full, SERVING again after")
sys.exit(0 if ok else 1)
PY
  echo "  stderr: $(grep -c 'AuditChainWriter\[' "$dir/serve.err" || true) lines from the writer (failure, once per interval, recovery)," \
    "$(grep -c 'DecisionPipeline\[105\]' "$dir/serve.err" || true) 'could not be recorded' lines and $(grep -c 'DecisionPipeline\[108\]' "$dir/serve.err" || true) counts of the refused calls (first at once, then once per interval)," \
    "$(grep -c '^ *at ' "$dir/serve.err" || true) stack-trace lines"
  grep -E 'AuditChainWriter\[' "$dir/serve.err" | sed 's/^/    /'
  sqlite3 "file:$dir/disk/audit.db?mode=ro" "SELECT '  outage entries: ' || count(*) FROM entries WHERE kind = 'outage'" 2>/dev/null || true
  (cd "$dir" && dotnet "$SC" audit verify --audit-db "$dir/disk/audit.db" | head -1 | sed 's/^/  audit verify: /')
  umount "$dir/disk"
}

probe_frozen() {
  echo "== frozen: the database on an ext4 loop device frozen with fsfreeze (CommitStallSeconds=2, ShutdownTimeoutSeconds=3)"
  local dir=$WORK/frozen port=$((PORT0 + 1)); mkdir -p "$dir/fs"
  truncate -s 32M "$dir/fs.img"; mkfs.ext4 -q -F "$dir/fs.img"
  local loop; loop=$(losetup -f --show "$dir/fs.img"); LOOPS+=("$loop")
  mount "$loop" "$dir/fs"; MOUNTS+=("$dir/fs")
  serve "$dir" "$port" "$dir/fs/audit.db" SafetyCheck__Audit__CommitStallSeconds=2 SafetyCheck__Limits__ShutdownTimeoutSeconds=3
  dotnet "$TOOL" watch "http://127.0.0.1:$port" "$(key_of "$dir")" "$REQUEST" 8 50 "$dir/watch.tsv" &
  local watcher=$!
  sleep 2
  fsfreeze -f "$dir/fs"; FROZEN=$dir/fs
  local frozen; frozen=$(now)
  wait $watcher
  local term; term=$(now)
  kill -TERM "$SERVER"
  local said=""
  for _ in $(seq 1 200); do
    if grep -q "did not close cleanly" "$dir/serve.err"; then said=$(now); break; fi
    sleep 0.05
  done
  local listening=yes
  curl -s -o /dev/null --max-time 1 --http2-prior-knowledge "http://127.0.0.1:$port/" || listening=no
  local alive=no; kill -0 "$SERVER" 2>/dev/null && alive=yes
  sleep 2
  fsfreeze -u "$dir/fs"; FROZEN=""
  local thawed; thawed=$(now)
  local rc=0; wait "$SERVER" || rc=$?; SERVER=""
  local exited; exited=$(now)
  python3 - "$dir/watch.tsv" "$frozen" <<'PY' || FAILED=1
import sys
rows = sorted((int(t), w, a) for t, w, a in (l.rstrip("\n").split("\t") for l in open(sys.argv[1])))
frozen = int(sys.argv[2])
down = next((t for t, w, a in rows if t >= frozen and w == "health" and a == "NOT_SERVING"), None)
after = [(t, w, a) for t, w, a in rows if down is not None and t > down]
print(f"  frozen at 0 ms; health NOT_SERVING at +{down - frozen if down else None} ms (stall bound 2000 ms)")
checks = [a for t, w, a in rows if t >= frozen and w == "check"]
print(f"  Checks answered after the freeze: {len(checks)}, {checks.count('OK')} OK, {checks.count('Unavailable')} UNAVAILABLE")
print(f"  health after it turned: {sum(1 for t, w, a in after if w == 'health')} answers, {sum(1 for t, w, a in after if w == 'health' and a == 'SERVING')} SERVING")
ok = down is not None and 1800 <= down - frozen <= 3500 and checks.count("OK") == 0 and not any(w == "health" and a == "SERVING" for t, w, a in after)
print("  PASS" if ok else "  FAIL", "NOT_SERVING after the stall bound, no verdict while frozen")
sys.exit(0 if ok else 1)
PY
  echo "  SIGTERM at 0 ms; stderr said \"$(grep -o 'stopped, but the audit store did not close cleanly[^:]*' "$dir/serve.err" | head -1)\" at +$([ -n "$said" ] && echo $((said - term)) || echo never) ms; port still accepting: $listening; process alive (held in the kernel by the frozen file system): $alive"
  echo "  thawed at +$((thawed - term)) ms; exit code $rc at +$((exited - term)) ms"
  if [ -n "$said" ] && [ $((said - term)) -le 4000 ] && [ $rc = 3 ]; then pass "shutdown said so within its bound (3000 ms) and exited 3"; else fail "shutdown bound or exit code"; fi
  (cd "$dir" && dotnet "$SC" audit verify --audit-db "$dir/fs/audit.db" | head -1 | sed 's/^/  audit verify after the thaw: /')
  umount "$dir/fs"
}

# tamper DB SQL: runs SQL on the database with the append-only triggers dropped (as someone with file access would).
tamper() {
  local db=$1 sql=$2 drops
  drops=$(sqlite3 "$db" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger'")
  sqlite3 "$db" "$drops $sql"
}

probe_middle_edit() {
  echo "== middle-edit: a record in the middle of the chain edited, then serve started"
  local dir=$WORK/middle port=$((PORT0 + 2)); mkdir -p "$dir"
  serve "$dir" "$port" "$dir/audit.db"
  local n; n=$(checks "$dir" "$port" 2)
  stop_serve || true
  cp "$dir/audit.db" "$dir/clean.db"
  local middle=$((n / 2))
  tamper "$dir/audit.db" "UPDATE entries SET record = record || ' ' WHERE sequence = $middle;"
  local start rc=0; start=$(now)
  (cd "$dir" && dotnet "$SC" serve --rules "$ROOT/rules" --urls "http://127.0.0.1:$port" --audit-db "$dir/audit.db" >/dev/null 2>"$dir/start.err") || rc=$?
  echo "  $n records, sequence $middle edited; serve exited $rc after $(($(now) - start)) ms; stderr ($(wc -l <"$dir/start.err") line):"
  sed 's/^/    /' "$dir/start.err"
  local size; size=$(sqlite3 "$dir/audit.db" "SELECT count(*) FROM entries WHERE kind = 'decision'")
  if [ $rc = 1 ] && [ "$(wc -l <"$dir/start.err")" = 1 ] && grep -q "sequence $middle" "$dir/start.err" && [ "$size" = "$n" ]; then
    pass "refused at start naming sequence $middle; nothing appended ($size records)"
  else fail "not refused at start as expected"; fi

  echo "  -- the same edit before the last verified point (a clean start recorded the head as verified first)"
  cp "$dir/clean.db" "$dir/again.db"
  serve "$dir" "$port" "$dir/again.db"
  sleep 2
  stop_serve || true
  local point; point=$(sqlite3 "$dir/again.db" "SELECT max(sequence) FROM verified_points" 2>/dev/null || echo "?")
  tamper "$dir/again.db" "UPDATE entries SET record = record || ' ' WHERE sequence = $middle;"
  rc=0; start=$(now)
  (cd "$dir" && timeout 60 dotnet "$SC" serve --rules "$ROOT/rules" --urls "http://127.0.0.1:$port" --audit-db "$dir/again.db" >/dev/null 2>"$dir/again.err") || rc=$?
  local after; after=$(sqlite3 "$dir/again.db" "SELECT count(*) FROM entries WHERE kind = 'decision'")
  echo "  verified point: $point; serve exited $rc after $(($(now) - start)) ms; last stderr line:"
  tail -1 "$dir/again.err" | sed 's/^/    /'
  if [ $rc = 1 ] && tail -1 "$dir/again.err" | grep -q "sequence $middle" && [ "$after" = "$n" ]; then
    pass "refused by the background verification; no decision appended ($after decisions)"
  else fail "not refused by the background verification"; fi
}

probe_archive_edit() {
  echo "== archive-edit: an archived rule file edited, then audit verify"
  local dir=$WORK/archive port=$((PORT0 + 3)); mkdir -p "$dir"
  serve "$dir" "$port" "$dir/audit.db"
  checks "$dir" "$port" 1 >/dev/null
  stop_serve || true
  local rc=0
  (cd "$dir" && dotnet "$SC" audit verify --audit-db "$dir/audit.db" >"$dir/before.out") || rc=$?
  echo "  before: exit $rc: $(head -1 "$dir/before.out")"
  local path; path=$(sqlite3 "$dir/audit.db" "SELECT path FROM revision_files ORDER BY path LIMIT 1")
  tamper "$dir/audit.db" "UPDATE revision_files SET content = CAST(CAST(content AS TEXT) || ' ' AS BLOB) WHERE path = '$path';"
  rc=0
  (cd "$dir" && dotnet "$SC" audit verify --audit-db "$dir/audit.db" >"$dir/after.out" 2>&1) || rc=$?
  echo "  $path given one trailing space; audit verify exit $rc:"
  sed 's/^/    /' "$dir/after.out"
  if [ $rc = 2 ] && grep -q "^revision: " "$dir/after.out" && grep -q "file: $path" "$dir/after.out"; then pass "verify fails at the revision, naming the file"; else fail "verify did not name the revision and file"; fi
}

probe_key_custody() {
  echo "== key-custody: audit checkpoint keys"
  local dir=$WORK/custody port=$((PORT0 + 4)); mkdir -p "$dir/db" "$dir/keys" "$dir/db/sub"
  serve "$dir" "$port" "$dir/db/audit.db"
  checks "$dir" "$port" 1 >/dev/null
  stop_serve || true
  ln -s "$dir/db" "$dir/link-to-db"
  local key rc
  for key in "$dir/db/checkpoint-key.pem" "$dir/db/sub/checkpoint-key.pem" "$dir/link-to-db/checkpoint-key.pem"; do
    rc=0
    (cd "$dir" && dotnet "$SC" audit checkpoint --audit-db "$dir/db/audit.db" --key "$key" --output "$dir/cp.txt" >/dev/null 2>"$dir/key.err") || rc=$?
    echo "  --key ${key#"$dir"/}: exit $rc: $(head -1 "$dir/key.err")"
    if [ $rc = 2 ] && [ ! -e "$key" ] && [ ! -e "$dir/cp.txt" ]; then pass "refused, nothing created"; else fail "key beside the database not refused"; fi
  done
  rc=0
  (cd "$dir" && dotnet "$SC" audit checkpoint --audit-db "$dir/db/audit.db" >/dev/null 2>"$dir/key.err") || rc=$?
  echo "  no --key: exit $rc: $(head -1 "$dir/key.err")"
  [ $rc = 2 ] && pass "no default key" || fail "a checkpoint without a key"
  rc=0
  (cd "$dir" && dotnet "$SC" audit checkpoint --audit-db "$dir/db/audit.db" --key "$dir/keys/checkpoint-key.pem" --output "$dir/cp.txt" >/dev/null 2>&1) || rc=$?
  echo "  --key keys/checkpoint-key.pem: exit $rc; $(stat -c '%a %n' "$dir/keys/checkpoint-key.pem" "$dir/cp.txt" | sed "s|$dir/||g" | tr '\n' ' ')"
  rc=0
  (cd "$dir" && dotnet "$SC" audit verify --audit-db "$dir/db/audit.db" --checkpoint "$dir/cp.txt" --public-key "$dir/keys/checkpoint-key.pub.pem" >"$dir/v.out") || rc=$?
  echo "  verify against it: exit $rc: $(head -1 "$dir/v.out")"
  if [ $rc = 0 ] && [ "$(stat -c %a "$dir/keys/checkpoint-key.pem")" = 600 ] && [ "$(stat -c %a "$dir/cp.txt")" = 600 ]; then pass "a key elsewhere signs; key and checkpoint 0600"; else fail "checkpoint with a key elsewhere"; fi
}

probe_modes() {
  echo "== modes: serve under umask 000 creates owner-only files and folders"
  local dir=$WORK/modes port=$((PORT0 + 5)); mkdir -p "$dir"
  umask 000
  serve "$dir" "$port" "$dir/trail/audit.db"
  checks "$dir" "$port" 1 >/dev/null
  local files=("$dir/.safetycheck" "$dir/.safetycheck/dev-key" "$dir/trail" "$dir/trail/audit.db" "$dir/trail/audit.db-wal" "$dir/trail/audit.db-shm" "$dir/trail/audit.db.key" "$dir/trail/audit.db.lock")
  local f bad=0 mode
  for f in "${files[@]}"; do
    [ -e "$f" ] || { echo "  (no ${f#"$dir"/})"; continue; }
    mode=$(stat -c %a "$f"); echo "  $mode ${f#"$dir"/}"
    if [ -d "$f" ]; then [ "$mode" = 700 ] || bad=1; else [ "$mode" = 600 ] || bad=1; fi
  done
  stop_serve || true
  umask 022
  [ $bad = 0 ] && pass "folders 0700, files 0600" || fail "a file or folder readable by others"
}

for probe in "${PROBES[@]}"; do
  case $probe in
    full-disk) probe_full_disk ;; frozen) probe_frozen ;; middle-edit) probe_middle_edit ;;
    archive-edit) probe_archive_edit ;; key-custody) probe_key_custody ;; modes) probe_modes ;;
    *) echo "unknown probe $probe" >&2; exit 2 ;;
  esac
done
exit $FAILED
