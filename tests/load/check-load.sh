#!/usr/bin/env bash
# End-to-end load run: starts `serve` (Release) on a fresh, durable audit database, loads
# grpc.health.v1.Health/Check and then safetycheck.v1.SafetyCheck/Check with h2load on the same server, and
# prints throughput of each and their ratio, latency p50/p99 and the server's CPU time per call of each, the server's allocation per Check
# (dotnet-counters, when installed) and answered-versus-recorded counts (audit verify).
#
#   tests/load/check-load.sh [-n CALLS] [-k ROUNDS] [-w WARM_UP_CALLS] [-c CONNECTIONS] [-m STREAMS_PER_CONNECTION] [-s SEED] [-r RULES_DIR]
#
# The two methods are loaded in turn, ROUNDS times (default 3: Health, Check, Health, Check, ...), so that a slow
# spell of the machine (a neighbour on the same host) weighs on both; each round's ratio is printed, and the
# median round's ratio is the result. Latencies and CPU per call are over all rounds.
#
# Needs: h2load (Debian: nghttp2-client); optional: dotnet-counters (dotnet tool install -g dotnet-counters).
# Defaults: 20000 calls per method after 60000 warm-up calls of each, 4 connections x 16 streams (64 calls in
# flight), seed fracture-and-asthma. The warm-up is long on purpose: tiered compilation (with dynamic PGO) recompiles
# the hot path for 10 s or more on two busy cores, and a run that overlaps it measures the JIT, not the service (after
# 20000 warm-up calls a Check still cost about twice the server CPU it costs after 60000).
# -r serves another rule directory (default: the shipped rules), e.g. a few rules to see the cost around the engine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CALLS=20000 ROUNDS=3 WARM=60000 CONNS=4 STREAMS=16 SEED=fracture-and-asthma RULES="$ROOT/rules"
while getopts "n:k:w:c:m:s:r:" opt; do
  case $opt in n) CALLS=$OPTARG ;; k) ROUNDS=$OPTARG ;; w) WARM=$OPTARG ;; c) CONNS=$OPTARG ;; m) STREAMS=$OPTARG ;; s) SEED=$OPTARG ;; r) RULES=$(cd "$OPTARG" && pwd) ;; *) exit 2 ;; esac
done
export PATH="$PATH:$HOME/.dotnet/tools"

. "$ROOT/tests/load/release-build.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-load.XXXXXX")
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
dotnet "$TOOL" frame "$ROOT/seeds/$SEED.json" "$WORK/check.bin"
dotnet "$TOOL" frame-empty "$WORK/health.bin"

# Everything but the per-caller rate limit (which would throttle one key at these rates) is the default.
start_serve "$URL" "$RULES"

load() { # METHOD BODY CALLS [extra h2load args...]
  local method=$1 body=$2 n=$3; shift 3
  h2load -n "$n" -c "$CONNS" -m "$STREAMS" -d "$body" "$@" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" "$URL/$method"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; } # the server's user + system CPU, in clock ticks
rps() { grep -oE 'finished in [0-9.]+m?s, [0-9.]+ req/s' "$1" | grep -oE '[0-9.]+ req/s' | cut -d' ' -f1; }
succeeded() { grep -oE '[0-9]+ succeeded' "$1" | cut -d' ' -f1; }

echo "warming up..." >&2
load grpc.health.v1.Health/Check "$WORK/health.bin" "$WARM" >/dev/null
load safetycheck.v1.SafetyCheck/Check "$WORK/check.bin" "$WARM" >/dev/null
sleep 2

COUNTERS=""
if command -v dotnet-counters >/dev/null; then
  # Background jobs start with SIGINT ignored; restore it so that dotnet-counters can be stopped cleanly
  # (it flushes its file on SIGINT, not on SIGTERM).
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
    dotnet-counters collect -p "$SERVER" --counters System.Runtime --format csv -o "$WORK/counters.csv" --refresh-interval 1 >/dev/null 2>&1 &
  COUNTERS=$!
  # Attaching takes a few seconds: wait for the first interval to be written.
  for _ in $(seq 1 60); do [ "$(wc -l 2>/dev/null < "$WORK/counters.csv" || echo 0)" -gt 1 ] && break; sleep 0.5; done
fi
# Per round: the server's CPU ticks of each method, and the Check run's start and end (to read its allocation from
# the counters; the idle seconds around it keep Health's allocation out).
: >"$WORK/rounds"
for round in $(seq 1 "$ROUNDS"); do
  H0=$(cpu_ticks)
  load grpc.health.v1.Health/Check "$WORK/health.bin" "$CALLS" --log-file="$WORK/health.$round.log" >"$WORK/health.$round.out"
  H1=$(cpu_ticks)
  sleep 3
  START_NS=$(date +%s%N) C0=$(cpu_ticks)
  load safetycheck.v1.SafetyCheck/Check "$WORK/check.bin" "$CALLS" --log-file="$WORK/check.$round.log" >"$WORK/check.$round.out"
  END_NS=$(date +%s%N) C1=$(cpu_ticks)
  echo "$(rps "$WORK/health.$round.out") $(rps "$WORK/check.$round.out") $((H1 - H0)) $((C1 - C0)) $START_NS $END_NS $(succeeded "$WORK/check.$round.out")" >>"$WORK/rounds"
  sleep 3
done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$COUNTERS" ]; then sleep 3; kill -INT "$COUNTERS" 2>/dev/null || true; wait "$COUNTERS" 2>/dev/null || true; fi

kill -TERM $SERVER; wait $SERVER 2>/dev/null || true; trap - EXIT
VERIFY=$(cd "$WORK" && dotnet "$SC" audit verify --audit-db "$WORK/audit.db" 2>&1 | head -1)

python3 - "$WORK" "$VERIFY" "$CALLS" "$CONNS" "$STREAMS" "$SEED" "$WARM" "$(getconf CLK_TCK)" "$LOAD" <<'PY'
import csv, os, re, statistics, sys
work, verify, calls, conns, streams, seed, warm, hz, load = sys.argv[1:]
calls, hz, warm = int(calls), int(hz), int(warm)
rounds = [l.split() for l in open(os.path.join(work, 'rounds')) if l.strip()]
def latencies(method):
    lat = sorted(int(l.split('\t')[2]) for i in range(1, len(rounds) + 1)
                 for l in open(os.path.join(work, f'{method}.{i}.log')) if l.strip())
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] / 1000
    return f"p50 {pct(50):.1f} ms   p99 {pct(99):.1f} ms   max {lat[-1]/1000:.1f} ms"
print(f"seed {seed}: {len(rounds)} rounds of {calls} calls per method, {conns} connections x {streams} streams "
      f"({int(conns)*int(streams)} in flight); load average {load}")
for i, (h, c, *_rest) in enumerate(rounds, 1):
    print(f"round {i}       Health/Check {float(h):8.0f} calls/s   Check {float(c):8.0f} calls/s   ratio {float(c) / float(h):.2f}")
ratios = sorted(float(r[1]) / float(r[0]) for r in rounds)
median = statistics.median(ratios)
mid = min(rounds, key=lambda r: abs(float(r[1]) / float(r[0]) - median))
per_call = lambda column: sum(int(r[column]) for r in rounds) / hz / (calls * len(rounds)) * 1e6
print(f"Health/Check  {float(mid[0]):10.0f} calls/s   {latencies('health')}   server CPU {per_call(2):.0f} us per call")
print(f"Check         {float(mid[1]):10.0f} calls/s   {latencies('check')}   server CPU {per_call(3):.0f} us per call")
print(f"ratio         {median:10.2f} (Check / Health/Check throughput, median of {len(rounds)} rounds: {min(ratios):.2f}-{max(ratios):.2f})")
answered = sum(int(r[6]) for r in rounds)
alloc = None
path = os.path.join(work, 'counters.csv')
if os.path.exists(path):
    # Allocation while each Check run went on (plus the idle second either side): the sum of the per-second
    # allocation rates; likewise CPU seconds.
    from datetime import datetime
    stamp = lambda r: datetime.strptime(r[0], '%m/%d/%Y %H:%M:%S').timestamp()
    rows = [r for r in csv.reader(open(path)) if len(r) > 4 and r[0][:1].isdigit()]
    windows = [(int(r[4]) / 1e9 - 1, int(r[5]) / 1e9 + 2) for r in rounds]
    inside = [r for r in rows if any(lo < stamp(r) <= hi for lo, hi in windows)]
    alloc = sum(float(r[4]) for r in inside if r[2].startswith('dotnet.gc.heap.total_allocated'))
    cpu = sum(float(r[4]) for r in inside if r[2].startswith('dotnet.process.cpu.time'))
    seconds = sum(int(r[5]) - int(r[4]) for r in rounds) / 1e9
    print(f"server CPU    {cpu / seconds:10.2f} cores during the Check runs")
if alloc:
    print(f"allocated     {alloc / answered / 1024:10.1f} KB per Check (dotnet-counters, whole process)")
else:
    print("allocated     (dotnet-counters not installed or no data)")
m = re.search(r'ok: (\d+) records?', verify)
recorded = int(m.group(1)) if m else None
print(f"answered {answered} (+{warm} warm-up), recorded {recorded}: {'every answered call recorded' if recorded == answered + warm else 'MISMATCH'}")
print(f"audit verify: {verify}")
PY
echo "work directory: $WORK" >&2
