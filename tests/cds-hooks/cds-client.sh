#!/usr/bin/env bash
# A CDS Hooks 2.0 client written from the specification alone (curl, jq, openssl; no code shared with the service):
# it starts `serve` with the CDS Hooks service on, allow-lists itself as an EHR (an RS384 key pair made here, its
# public JWK Set given inline), then discovers the services, fills the appointment service's prefetch templates from
# its own small FHIR store (seeds/fhir/child-fever-prefetch.json), calls the hook with a signed JWT, prints the cards,
# sends feedback on the first one, and checks that unsigned, wrongly signed and replayed calls get 401 and that a
# burst over the EHR's limit (5 at once, then 1 a second) gets 429 with Retry-After. Finally it stops the service and
# verifies the audit trail.
#
#   tests/cds-hooks/cds-client.sh            (ports 5400 gRPC, 5401 CDS Hooks; override with GRPC_PORT, CDS_PORT)
#
# Exit 0 when every step answered as the specification says; 1 otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GRPC_PORT=${GRPC_PORT:-5400} CDS_PORT=${CDS_PORT:-5401}
BASE="http://127.0.0.1:$CDS_PORT"
ISSUER="https://ehr.synthetic.example/"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$ROOT/src/SafetyCheck" -v q -nologo >/dev/null
SC="$ROOT/src/SafetyCheck/bin/Debug/net10.0/safetycheck.dll"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/safetycheck-cds.XXXXXX")
SERVER=""
cleanup() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# The EHR's key pair and its public JWK Set (RFC 7517: n and e, base64url).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/ehr.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/stranger.pem" 2>/dev/null
N=$(openssl rsa -in "$WORK/ehr.pem" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)
JWKS=$(jq -cn --arg n "$N" '{keys: [{kty: "RSA", use: "sig", alg: "RS384", kid: "ehr-1", n: $n, e: "AQAB"}]}')

# A JWT (RFC 7519) signed RS384 (RFC 7518 §3.3) for a call to $1, with key $2 (default the EHR's), jti $3.
jwt() {
  local now header payload input
  now=$(date +%s)
  header=$(jq -cn '{alg: "RS384", typ: "JWT", kid: "ehr-1"}' | b64url)
  payload=$(jq -cn --arg iss "$ISSUER" --arg aud "$BASE$1" --argjson now "$now" --arg jti "${3:-$(openssl rand -hex 16)}" \
    '{iss: $iss, aud: $aud, iat: $now, exp: ($now + 120), jti: $jti}' | b64url)
  input="$header.$payload"
  echo "$input.$(printf '%s' "$input" | openssl dgst -sha384 -sign "${2:-$WORK/ehr.pem}" | b64url)"
}

echo "starting serve: gRPC on $GRPC_PORT, CDS Hooks on $CDS_PORT" >&2
(cd "$WORK" && SafetyCheck__CdsHooks__Urls="$BASE" SafetyCheck__CdsHooks__Issuers__0__Issuer="$ISSUER" \
  SafetyCheck__CdsHooks__Issuers__0__Jwks="$JWKS" SafetyCheck__CdsHooks__TimeZone=America/New_York \
  SafetyCheck__CdsHooks__DefaultSetting=HOME SafetyCheck__CdsHooks__CallsPerSecondPerIssuer=1 SafetyCheck__CdsHooks__CallBurstPerIssuer=5 \
  exec dotnet "$SC" serve --rules "$ROOT/rules" --urls "http://127.0.0.1:$GRPC_PORT" --audit-db "$WORK/audit.db" 2>"$WORK/serve.log") &
SERVER=$!
# Ready once grpc.health.v1 says SERVING (the listeners open before the rules have loaded and warmed): an empty
# HealthCheckRequest in one gRPC frame, and the answer's frame holding status 1, SERVING.
printf '\0\0\0\0\0' >"$WORK/health.bin"
serving() {
  curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @"$WORK/health.bin" \
    "http://127.0.0.1:$GRPC_PORT/grpc.health.v1.Health/Check" | xxd -p | grep -q '^00000000020801$'
}
for _ in $(seq 1 240); do
  serving && break
  kill -0 "$SERVER" 2>/dev/null || { tail -5 "$WORK/serve.log" >&2; fail "serve stopped"; }
  sleep 0.5
done
serving || fail "serve did not report SERVING within 2 minutes"

echo "1. discovery without a token" >&2
code=$(curl -s -o "$WORK/out.json" -w '%{http_code}' "$BASE/cds-services")
[ "$code" = 401 ] || fail "unsigned discovery answered $code"
jq -r '"   401: " + .reason' "$WORK/out.json" >&2

echo "2. discovery with a signed token" >&2
curl -sf -H "Authorization: Bearer $(jwt /cds-services)" "$BASE/cds-services" >"$WORK/discovery.json" || fail "signed discovery refused"
jq -r '.services[] | "   " + .id + " (" + .hook + "): " + .title' "$WORK/discovery.json" >&2
SERVICE=$(jq -r '.services[] | select(.hook == "appointment-book") | .id' "$WORK/discovery.json")

echo "3. the appointment-book hook, prefetch filled from the EHR's own store" >&2
STORE=$(jq -c '[.patient] + [.[] | select(.resourceType == "Bundle") | .entry[].resource]' "$ROOT/seeds/fhir/child-fever-prefetch.json")
PATIENT=$(jq -r '.[] | select(.resourceType == "Patient") | .id' <<<"$STORE")
PREFETCH=$(jq -c --argjson store "$STORE" --arg pid "$PATIENT" '
  .services[] | select(.hook == "appointment-book") | .prefetch | with_entries(.value |= (
    sub("{{context.patientId}}"; $pid) as $query
    | if ($query | startswith("Patient/")) then ($store[] | select(.resourceType == "Patient" and .id == ($query | ltrimstr("Patient/"))))
      else ($query | split("?")) as [$type, $params]
        | ($params | split("&") | map(split("=") | {(.[0]): .[1]}) | add) as $p
        | {resourceType: "Bundle", type: "searchset", entry: [$store[]
            | select(.resourceType == $type)
            | select($p.code == null or ([.code.coding[]? | .system + "|" + .code] - ($p.code | split(",")) | length) < ([.code.coding[]?] | length))
            | {resource: ., search: {mode: "match"}}]}
      end))' "$WORK/discovery.json")
CALL=$(jq -cn --arg pid "$PATIENT" --argjson prefetch "$PREFETCH" --arg instance "$(openssl rand -hex 16)" '{
  hook: "appointment-book", hookInstance: $instance,
  context: {userId: "PractitionerRole/synthetic-scheduler", patientId: $pid, appointments: {resourceType: "Bundle", type: "collection",
    entry: [{resource: {resourceType: "Appointment", id: "massage-1", status: "proposed", start: "2026-03-02T15:00:00Z",
      participant: [{actor: {reference: ("Patient/" + $pid)}, status: "needs-action"}],
      extension: [{url: "urn:safetycheck:fhir:session-area", valueCode: "BACK"}, {url: "urn:safetycheck:fhir:session-pressure", valueCode: "LIGHT"}]}}]}},
  prefetch: $prefetch}')
TOKEN=$(jwt "/cds-services/$SERVICE" "$WORK/ehr.pem" replay-me)
code=$(curl -s -o "$WORK/cards.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$CALL" "$BASE/cds-services/$SERVICE")
[ "$code" = 200 ] || fail "the hook answered $code: $(cat "$WORK/cards.json")"
jq -r '.cards[] | "   [" + .indicator + "] " + .summary' "$WORK/cards.json" >&2
[ "$(jq '.cards | length' "$WORK/cards.json")" -ge 1 ] || fail "no cards"

echo "4. the same token again (jti reused), a token signed with a key the service was not given, no token" >&2
for attempt in replayed stranger unsigned; do
  case $attempt in
    replayed) auth="Authorization: Bearer $TOKEN" ;;
    stranger) auth="Authorization: Bearer $(jwt "/cds-services/$SERVICE" "$WORK/stranger.pem")" ;;
    unsigned) auth="X-No-Token: 1" ;;
  esac
  code=$(curl -s -o "$WORK/out.json" -w '%{http_code}' -H "$auth" -H 'Content-Type: application/json' -d "$CALL" "$BASE/cds-services/$SERVICE")
  [ "$code" = 401 ] || fail "$attempt call answered $code"
  jq -r --arg a "$attempt" '"   " + $a + ": 401: " + .reason' "$WORK/out.json" >&2
done

echo "5. feedback: the first card overridden with a reason" >&2
CARD=$(jq -r '.cards[0].uuid' "$WORK/cards.json")
FEEDBACK=$(jq -cn --arg card "$CARD" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '{feedback: [{card: $card, outcome: "overridden",
  overrideReason: {reason: {system: "urn:safetycheck:cds-override-reason", code: "clinician-cleared"}}, outcomeTimestamp: $at}]}')
curl -sf -H "Authorization: Bearer $(jwt "/cds-services/$SERVICE/feedback")" -H 'Content-Type: application/json' -d "$FEEDBACK" \
  "$BASE/cds-services/$SERVICE/feedback" | jq -r '"   recorded: " + (.recorded | tostring)' >&2 || fail "feedback refused"

echo "6. a burst of 12 hook calls, each with a new token: over the limit of 5 at once, then 1 a second" >&2
sleep 5 # the bucket fills again
# The tokens are signed first, then the 12 calls sent at once, so that the burst does not depend on how fast the
# signing is (one call a second would never be refused).
for i in $(seq 1 12); do jwt "/cds-services/$SERVICE" >"$WORK/token.$i"; done
CALLS=()
for i in $(seq 1 12); do
  curl -s -D "$WORK/headers.$i" -o "$WORK/out.$i" -w '%{http_code}\n' -H "Authorization: Bearer $(cat "$WORK/token.$i")" \
    -H 'Content-Type: application/json' -d "$CALL" "$BASE/cds-services/$SERVICE" >"$WORK/code.$i" &
  CALLS+=($!)
done
wait "${CALLS[@]}" || true
: >"$WORK/burst.txt"
for i in $(seq 1 12); do
  code=$(cat "$WORK/code.$i")
  if [ "$code" = 429 ]; then
    grep -qi '^retry-after: [1-9]' "$WORK/headers.$i" || fail "a 429 without Retry-After"
    [ "$(jq -r .error "$WORK/out.$i")" = rate_limited ] || fail "a 429 that does not say rate_limited"
    cp "$WORK/out.$i" "$WORK/refused.json"
  fi
  echo "$code" >>"$WORK/burst.txt"
done
ok=$(grep -c '^200$' "$WORK/burst.txt" || true) limited=$(grep -c '^429$' "$WORK/burst.txt" || true)
[ $((ok + limited)) = 12 ] && [ "$ok" -ge 5 ] && [ "$limited" -ge 1 ] || fail "burst answered $(tr '\n' ' ' <"$WORK/burst.txt")"
echo "   $ok answered with cards, $limited refused with 429: $(jq -r .reason "$WORK/refused.json")" >&2
grep -m1 'refused .* calls with HTTP 429' "$WORK/serve.log" | sed 's/^/   log: /' >&2 || fail "the refusals were not logged"

kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
echo "7. the audit trail" >&2
dotnet "$SC" audit verify --audit-db "$WORK/audit.db" >&2 || fail "the audit trail does not verify"
echo "OK: discovered, called with a signed token, got cards, feedback recorded; unsigned, wrongly signed and replayed calls got 401; a burst got 429" >&2
