# Sourced by the load scripts in this folder (ROOT set to the repository): checks for h2load, builds `serve` and the
# load helper in Release, and sets SC (the service's dll) and TOOL (tests/SafetyCheck.Load's dll); free_port and start_serve below.
command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "building (Release)..." >&2
dotnet build -c Release "$ROOT/src/SafetyCheck" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/tests/SafetyCheck.Load" -v q -nologo >/dev/null
SC="$ROOT/src/SafetyCheck/bin/Release/net10.0/safetycheck.dll"
TOOL="$ROOT/tests/SafetyCheck.Load/bin/Release/net10.0/SafetyCheck.Load.dll"

# A TCP port free on loopback now.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Starts `serve` (Release) in $WORK with the rules in RULES, listening on URL, on a fresh durable audit database
# ($WORK/audit.db; log in $WORK/serve.log), the per-caller rate limit lifted (one key makes every call of a load run)
# and any further NAME=VALUE environment settings given; waits until it is SERVING, stops it when the script exits
# (a script with more to clean up sets its own EXIT trap after this, stopping SERVER too), and sets SERVER (the
# service's process id) and KEY (the development API key it created).
start_serve() { # URL RULES [NAME=VALUE...]
  local url=$1 rules=$2
  shift 2
  (cd "$WORK" && exec env SafetyCheck__Limits__CallsPerSecondPerCaller=0 "$@" dotnet "$SC" serve --rules "$rules" \
    --urls "$url" --audit-db "$WORK/audit.db" >"$WORK/serve.log" 2>&1) &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
  dotnet "$TOOL" wait-serving "$url" 60 || { tail -5 "$WORK/serve.log" >&2; exit 1; }
  KEY=$(cat "$WORK/.safetycheck/dev-key")
}
