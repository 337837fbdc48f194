#!/usr/bin/env bash
# Where a Check's server CPU goes, next to grpc.health.v1.Health/Check on the same server: starts `serve` (Release) on a
# fresh, durable audit database, warms both methods up, then loads each with h2load while `perf` samples the server,
# and prints the CPU per call of each in parts (the audit store, the writer, hashing, the decision, the network...).
# The parts come from each sample's call stack (the first part named in the stack wins, in the order of the table);
# the .NET frames are named through the runtime's perf map (DOTNET_PerfMapEnabled=1).
#
#   tests/load/check-profile.sh [-n CALLS] [-w WARM_UP_CALLS] [-s SEED]
#
# Needs: h2load (Debian: nghttp2-client), perf (Debian: linux-perf) and the right to profile another process
# (root, or kernel.perf_event_paranoid <= 1). Defaults: 40,000 calls per method after 40,000 warm-up calls of each,
# 4 connections x 16 streams (64 in flight), seed fracture-and-asthma. Sampling costs a few per cent of the CPU: read
# the throughput from tests/load/check-load.sh, the shares from here.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CALLS=40000 WARM=40000 SEED=fracture-and-asthma
while getopts "n:w:s:" opt; do
  case $opt in n) CALLS=$OPTARG ;; w) WARM=$OPTARG ;; s) SEED=$OPTARG ;; *) exit 2 ;; esac
done
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 1; }

. "$ROOT/tests/load/release-build.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-profile.XXXXXX")
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
dotnet "$TOOL" frame "$ROOT/seeds/$SEED.json" "$WORK/check.bin"
dotnet "$TOOL" frame-empty "$WORK/health.bin"

# As check-load.sh, with W^X off so that perf can read the JIT's code through the perf map.
start_serve "$URL" "$ROOT/rules" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0

load() { # METHOD BODY CALLS
  h2load -n "$3" -c 4 -m 16 -d "$2" -H 'content-type: application/grpc' -H 'te: trailers' \
    -H "authorization: Bearer $KEY" "$URL/$1" | grep -oE 'finished in [0-9.]+m?s, [0-9.]+ req/s'
}

echo "warming up..." >&2
load grpc.health.v1.Health/Check "$WORK/health.bin" "$WARM" >/dev/null
load safetycheck.v1.SafetyCheck/Check "$WORK/check.bin" "$WARM" >/dev/null
sleep 2

for method in health check; do
  if [ $method = health ]; then path=grpc.health.v1.Health/Check; else path=safetycheck.v1.SafetyCheck/Check; fi
  perf record -F 999 -g -p "$SERVER" -o "$WORK/$method.data" >/dev/null 2>&1 &
  PERF=$!
  sleep 1
  echo "$method: $(load $path "$WORK/$method.bin" "$CALLS")" >&2
  sleep 0.5
  kill -INT $PERF; wait $PERF 2>/dev/null || true
  perf script -i "$WORK/$method.data" 2>/dev/null >"$WORK/$method.stacks"
done

python3 - "$WORK/health.stacks" "$WORK/check.stacks" "$CALLS" <<'PY'
import collections, sys
# (part, words any of which in a sample's stack puts it there); the first matching part wins.
PARTS = [
    ("thread pool: waiting, waking, spinning", ["LowLevelLifoSemaphore", "sched_yield"]),
    ("audit store: fsync", ["fsync", "fdatasync"]),
    ("audit store: SQLite and its file writes", ["libe_sqlite3", "SQLitePCL", "Microsoft.Data.Sqlite", "pwrite64", "pread64"]),
    ("hashing and HMAC (OpenSSL)", ["libcrypto", "Cryptography"]),
    ("audit writer: placing, canonical JSON", ["AuditChainWriter+<RunWriterAsync>", "AuditChainWriter::Place"]),
    ("audit record: made from the decision", ["DecisionRecordFactory", "ResultsDigest", "Pseudonymiser"]),
    ("decision: validation to verdict", ["SafetyChecker::Check"]),
    ("logging", ["Microsoft.Extensions.Logging", "SafetyCheck.Telemetry.Stderr"]),
    ("metrics", ["SafetyCheckMetrics", "SilentRuleWatch", "System.Diagnostics.Metrics"]),
    ("protobuf", ["Google.Protobuf", "pb::"]),
    ("kernel: network send", ["tcp_sendmsg", "sock_sendmsg"]),
    ("kernel: network receive", ["tcp_recvmsg", "sock_recvmsg"]),
    ("kernel: epoll", ["epoll"]),
]
def leaf_part(leaf):
    if "[kernel" in leaf: return "kernel: other"
    if "libcoreclr" in leaf or "libclrjit" in leaf: return "runtime (GC, allocation, JIT, stubs)"
    if "Kestrel" in leaf or "Http2" in leaf or "HPack" in leaf: return "Kestrel, HTTP/2"
    if "Grpc." in leaf: return "gRPC"
    if "Authentication" in leaf or "Authorization" in leaf or "SafetyCheck.Security" in leaf: return "authentication, authorization"
    if "[safetycheck]" in leaf or "[SafetyCheck." in leaf: return "service code (mapping, interceptors, pipeline)"
    if "System.Private.CoreLib" in leaf or "[System." in leaf: return ".NET libraries (async, collections, text)"
    if "libc.so" in leaf: return "libc (copies, malloc)"
    return "other"
def parts(path):
    counts = collections.Counter()
    for sample in open(path).read().split("\n\n"):
        frames = [l.strip() for l in sample.split("\n")[1:] if l.strip()]
        if not frames: continue
        stack = "\n".join(frames)
        counts[next((p for p, words in PARTS if any(w in stack for w in words)), None) or leaf_part(frames[0])] += 1
    return counts
health, check, calls = parts(sys.argv[1]), parts(sys.argv[2]), int(sys.argv[3])
us = lambda n: n / 999 / calls * 1e6  # samples at 999 Hz -> CPU microseconds per call
print(f"{'server CPU per call (us)':48s} {'Health':>8s} {'Check':>8s}")
for part in sorted(set(health) | set(check), key=lambda p: -check[p]):
    print(f"{part:48s} {us(health[part]):8.1f} {us(check[part]):8.1f}")
print(f"{'total':48s} {us(sum(health.values())):8.1f} {us(sum(check.values())):8.1f}")
PY
kill -TERM $SERVER; wait $SERVER 2>/dev/null || true; trap - EXIT
echo "work directory: $WORK" >&2
