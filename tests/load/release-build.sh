# Sourced by the load scripts in this folder (ROOT set to the repository): checks for h2load, builds `serve` and the
# load helper in Release, and sets SC (the service's dll) and TOOL (tests/SafetyCheck.Load's dll).
command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "building (Release)..." >&2
dotnet build -c Release "$ROOT/src/SafetyCheck" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/tests/SafetyCheck.Load" -v q -nologo >/dev/null
SC="$ROOT/src/SafetyCheck/bin/Release/net10.0/safetycheck.dll"
TOOL="$ROOT/tests/SafetyCheck.Load/bin/Release/net10.0/SafetyCheck.Load.dll"

# A TCP port free on loopback now.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
