#!/usr/bin/env bash
# A load run with the Prometheus endpoint scraped: starts `serve` (Release) on a fresh audit database with
# SafetyCheck:Telemetry:MetricsUrls set, sends Check calls for several seeds with h2load (so that verdicts and rules
# differ), scrapes /metrics, stops the service, exports the audit trail, and compares decisions by verdict and the
# firing count of each rule on both sides, printing "match" or "MISMATCH" for each and a summary line.
#
#   tests/load/metrics-match.sh [-n CALLS_PER_SEED] [-c CONNECTIONS] [-m STREAMS] [-p PORT] [SEED...]
#
# Needs: h2load (Debian: nghttp2-client). Defaults: 500 calls per seed, 2 connections x 8 streams, gRPC on 5640 and
# /metrics on PORT+1; seeds fracture-and-asthma toddler-with-eczema fever-and-ear-infection term-newborn
# preterm-in-nicu adhd-and-autism. Exits 1 on any mismatch.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CALLS=500 CONNS=2 STREAMS=8 PORT=5640
while getopts "n:c:m:p:" opt; do
  case $opt in n) CALLS=$OPTARG ;; c) CONNS=$OPTARG ;; m) STREAMS=$OPTARG ;; p) PORT=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
SEEDS=("$@")
[ ${#SEEDS[@]} -gt 0 ] || SEEDS=(fracture-and-asthma toddler-with-eczema fever-and-ear-infection term-newborn preterm-in-nicu adhd-and-autism)

. "$ROOT/tests/load/release-build.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-metrics.XXXXXX")
URL="http://127.0.0.1:$PORT" METRICS="http://127.0.0.1:$((PORT + 1))"
for seed in "${SEEDS[@]}"; do dotnet "$TOOL" frame "$ROOT/seeds/$seed.json" "$WORK/$seed.bin"; done

start_serve "$URL" "$ROOT/rules" SafetyCheck__Telemetry__MetricsUrls="$METRICS"

for seed in "${SEEDS[@]}"; do
  h2load -n "$CALLS" -c "$CONNS" -m "$STREAMS" -d "$WORK/$seed.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" \
    "$URL/safetycheck.v1.SafetyCheck/Check" >"$WORK/$seed.out"
  echo "$seed: $(grep -oE '[0-9]+ succeeded, [0-9]+ failed' "$WORK/$seed.out")" >&2
done

curl -sf "$METRICS/metrics" >"$WORK/metrics.txt"
kill -TERM $SERVER; wait $SERVER 2>/dev/null || true; trap - EXIT
(cd "$WORK" && dotnet "$SC" audit export --audit-db "$WORK/audit.db" --format csv --output "$WORK/decisions.csv" 2>/dev/null)

python3 - "$WORK" <<'PY'
import csv, re, sys
from collections import Counter
work = sys.argv[1]
sample = re.compile(r'^(\w+)\{([^}]*)\} ([0-9.e+]+)$')
def labels(text): return dict(re.findall(r'(\w+)="([^"]*)"', text))
metrics_verdicts, metrics_rules = Counter(), Counter()
for line in open(f"{work}/metrics.txt"):
    m = sample.match(line.strip())
    if not m: continue
    name, tags, value = m.group(1), labels(m.group(2)), int(float(m.group(3)))
    if name == 'safetycheck_decisions_total': metrics_verdicts[tags['verdict']] += value
    elif name == 'safetycheck_rule_firings_total': metrics_rules[tags['rule']] += value
audit_verdicts, audit_rules = Counter(), Counter()
for row in csv.DictReader(open(f"{work}/decisions.csv")):
    audit_verdicts[row['verdict']] += 1
    for rule in re.split(r'[\s,]+', row['rule_ids'].strip()):
        if rule: audit_rules[rule] += 1
bad = 0
def compare(title, left, right):
    global bad
    print(title)
    for key in sorted(set(left) | set(right)):
        ok = left[key] == right[key]
        bad += not ok
        print(f"  {key:40} metrics {left[key]:8}  audit {right[key]:8}  {'match' if ok else 'MISMATCH'}")
compare("decisions by verdict", metrics_verdicts, audit_verdicts)
compare("rule firings", metrics_rules, audit_rules)
total = sum(audit_verdicts.values())
print(f"{total} decisions recorded; {'every count matches' if bad == 0 else f'{bad} counts MISMATCH'}")
sys.exit(1 if bad else 0)
PY
echo "work directory: $WORK" >&2
