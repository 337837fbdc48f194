#!/usr/bin/env bash
# Hot reload under load: starts `serve` (Release) on a copy of the shipped rules, loads safetycheck.v1.SafetyCheck/Check
# with h2load for the whole run, and meanwhile (1) edits a rule file (a precaution's summary: a new revision whose
# cases still pass) and measures the seconds from the edit until GetRuleset serves the new revision, then (2) saves
# a broken rule file and checks that it is refused while the revision before it keeps answering. Prints the calls
# h2load sent, failed calls (transport failures, non-200 answers, and answers that are not recorded decisions — a
# gRPC error travels in an HTTP 200 — so 0 means every call was decided), the seconds to serve, and the reloads the
# audit trail recorded.
#
#   tests/load/reload-under-load.sh [-d SECONDS] [-c CONNECTIONS] [-m STREAMS_PER_CONNECTION] [-p PORT] [-s SEED]
#
# Needs: h2load (Debian: nghttp2-client). Defaults: 30 s of load, 2 connections x 8 streams, port 5510, seed
# fracture-and-asthma. The watcher's default debounce (750 ms) and poll (5 s) apply.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION=30 CONNS=2 STREAMS=8 PORT=5510 SEED=fracture-and-asthma
while getopts "d:c:m:p:s:" opt; do
  case $opt in d) DURATION=$OPTARG ;; c) CONNS=$OPTARG ;; m) STREAMS=$OPTARG ;; p) PORT=$OPTARG ;; s) SEED=$OPTARG ;; *) exit 2 ;; esac
done

. "$ROOT/tests/load/release-build.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-reload.XXXXXX")
cp -r "$ROOT/rules" "$WORK/rules"
URL="http://127.0.0.1:$PORT"
dotnet "$TOOL" frame "$ROOT/seeds/$SEED.json" "$WORK/check.bin"

start_serve "$URL" "$WORK/rules"
LOAD=""
cleanup() { [ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null; kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT
REV0=$(dotnet "$TOOL" ruleset "$URL" "$KEY" | cut -d' ' -f1)

h2load -D "$DURATION" -c "$CONNS" -m "$STREAMS" -d "$WORK/check.bin" \
  -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" \
  "$URL/safetycheck.v1.SafetyCheck/Check" >"$WORK/h2load.out" 2>&1 &
LOAD=$!
sleep 3

# (1) A passing edit: one precaution's summary changes, so the revision changes and every case still passes.
FILE="$WORK/rules/timing-and-setting.json"
python3 - "$FILE" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = re.sub(r'("summary": ")', r'\1(edited) ', text, count=1)
open(path, "w", encoding="utf-8").write(text)
PY
EDITED=$(date +%s%N)
REV1=$(dotnet "$TOOL" wait-ruleset "$URL" "$KEY" 60 served-other "$REV0")
SERVED=$(date +%s%N)
sleep 3

# (2) A broken edit (half a file, as an editor might save it): refused; the revision before it keeps answering.
cp "$FILE" "$WORK/timing-and-setting.good"
head -c 200 "$WORK/timing-and-setting.good" >"$FILE"
BROKEN=$(date +%s%N)
dotnet "$TOOL" wait-ruleset "$URL" "$KEY" 60 refused >/dev/null
REFUSED=$(date +%s%N)
AFTER=$(dotnet "$TOOL" ruleset "$URL" "$KEY")

wait "$LOAD" || true
LOAD=""
sleep 1
kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; trap - EXIT
DECISIONS=$(cd "$WORK" && dotnet "$SC" audit list --audit-db "$WORK/audit.db" --limit 1000000 2>&1 >/dev/null | grep -oE '^[0-9]+')
RELOADS=$(cd "$WORK" && dotnet "$SC" audit list --audit-db "$WORK/audit.db" --kind reload 2>/dev/null | wc -l)
VERIFY=$(cd "$WORK" && dotnet "$SC" audit verify --audit-db "$WORK/audit.db" 2>&1 | head -1)

python3 - "$WORK/h2load.out" "$DECISIONS" "$EDITED" "$SERVED" "$BROKEN" "$REFUSED" "$REV0" "$REV1" "$AFTER" "$RELOADS" "$VERIFY" "$DURATION" "$CONNS" "$STREAMS" <<'PY'
import re, sys
out, decisions, edited, served, broken, refused, rev0, rev1, after, reloads, verify, duration, conns, streams = sys.argv[1:]
text = open(out).read()
m = re.search(r'requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout', text)
total, started, done, ok, failed, errored, timeout = map(int, m.groups())
status = re.search(r'status codes: (\d+) 2xx', text)
ok2xx = int(status.group(1)) if status else 0
decisions = int(decisions)
undecided = max(0, ok2xx - decisions)
print(f"load: {duration} s, {conns} connections x {streams} streams; {done} calls done, {ok2xx} answered HTTP 200, {decisions} recorded decisions")
print(f"failed calls: {failed + errored + timeout + undecided} (transport {failed + errored + timeout}, answered but not decided {undecided})")
print(f"edit -> new revision served: {(int(served) - int(edited)) / 1e9:.2f} s ({rev0[:12]} -> {rev1[:12]})")
after_rev, after_state = after.split()
print(f"broken edit -> refused: {(int(refused) - int(broken)) / 1e9:.2f} s; still serving {after_rev[:12]} ({'the last good revision' if after_rev == rev1 else 'WRONG REVISION'}), GetRuleset says {after_state}")
print(f"reloads recorded in the audit trail: {reloads}; audit verify: {verify}")
PY
echo "work directory: $WORK" >&2
