#!/usr/bin/env bash
# Measures records committed per second for the two chain designs on a PostgreSQL server, with 1, 2 and 4 writers
# (one writer = one service instance's chain writer) and batches of 1 and 16 records (group commit).
#   PGHOST=... PGPORT=... PGUSER=... PGDATABASE=... tests/postgres/chain-design/run.sh [SECONDS]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SECONDS_PER_RUN=${1:-10}
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)
printf '%-10s %8s %6s %14s %12s\n' design writers batch "records/s" "latency ms"
for design in per-chain one-chain; do
  for writers in 1 2 4; do
    for batch in 1 16; do
      psql -q -v ON_ERROR_STOP=1 -f "$HERE/setup.sql" >/dev/null
      out=$("$PGBENCH" -n -M prepared -c "$writers" -j "$writers" -T "$SECONDS_PER_RUN" -D batch="$batch" -f "$HERE/$design.sql" 2>&1)
      tps=$(grep -oP 'tps = \K[0-9.]+' <<<"$out" | head -1)
      lat=$(grep -oP 'latency average = \K[0-9.]+' <<<"$out")
      printf '%-10s %8s %6s %14.0f %12s\n' "$design" "$writers" "$batch" "$(echo "$tps * $batch" | bc)" "$lat"
    done
  done
done
psql -q -c 'DROP TABLE chain_bench' >/dev/null
