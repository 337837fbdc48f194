#!/usr/bin/env bash
# Stops the throwaway cluster started by start.sh and removes its directory.
#   tests/postgres/stop.sh [DIR]    (default: $SAFETYCHECK_TEST_POSTGRES_DIR)
set -uo pipefail
DIR=${1:-${SAFETYCHECK_TEST_POSTGRES_DIR:-}}
[ -n "$DIR" ] && [ -f "$DIR/ctl" ] || { echo "no cluster directory given (start.sh prints SAFETYCHECK_TEST_POSTGRES_DIR)" >&2; exit 1; }
"$DIR/ctl" stop -m immediate >/dev/null 2>&1 || true
rm -rf "$DIR"
