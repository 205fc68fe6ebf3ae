#!/usr/bin/env bash
# Soak: steady mixed load for MOTCUA_SOAK_SECONDS (default 600) on the PostgreSQL database of
# `bench/run.sh SIZE`, with the server's resident memory sampled every 15 s. Memory should rise
# while caches and pools fill, then stay flat.
#
#   OHA=oha bench/soak.sh [SIZE]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/motcua
OHA=${OHA:-oha}
PG=${MOTCUA_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
PORT=${MOTCUA_BENCH_PORT:-18093}
N=${1:-1000000}
DURATION=${MOTCUA_SOAK_SECONDS:-600}
url="$PG/motcua_bench_$N"
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -n "$(psql -Atq "$PG/postgres" -c "SELECT 1 FROM pg_database WHERE datname = 'motcua_bench_$N'")" ] \
  || { echo "generate first: bench/run.sh $N" >&2; exit 1; }
export MOTCUA_JWT_SECRET=bench-secret-that-is-at-least-32-bytes-long RUST_LOG=warn
work=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

DATABASE_URL=$url MOTCUA_BIND=127.0.0.1:$PORT "$BIN" serve >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 150); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.2; done
api="http://localhost:$PORT/api/v1"
token=$(curl -sf -X POST "$api/auth/token" -H 'content-type: application/json' \
  -d '{"username":"canbo.1.0.0","password":"motcua-generated"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
me=$(curl -sf "$api/me" -H "authorization: Bearer $token")
commune=$(echo "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agency"]["id"])')
procedure=$(curl -sf "$api/procedures?limit=1" -H "authorization: Bearer $token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
curl -sf "$api/dossiers?agency_id=$commune&limit=200" -H "authorization: Bearer $token" \
  | python3 -c 'import json,sys; [print(d["id"]) for d in json.load(sys.stdin)["items"]]' \
  | sed "s|^|$api/dossiers/|" >"$work/get-urls"

# Access tokens live 15 minutes by default; a soak longer than that needs a longer one.
"$OHA" -z "${DURATION}s" -c 4 --no-tui --output-format json --urls-from-file "$work/get-urls" \
  -H "authorization: Bearer $token" >"$work/reads.json" &
reads=$!
"$OHA" -z "${DURATION}s" -c 2 -q 50 --no-tui --output-format json -m POST -T application/json \
  -H "authorization: Bearer $token" \
  -d "{\"procedure_id\":\"$procedure\",\"agency_id\":\"$commune\",\"channel\":\"direct\",\"applicant\":{\"kind\":\"citizen\",\"full_name\":\"Nguyễn Văn Tải\"}}" \
  "$api/dossiers" >"$work/writes.json" &
writes=$!
printf '%6s %8s\n' seconds rss_mb
start=$(date +%s)
while kill -0 "$reads" 2>/dev/null; do
  printf '%6s %8s\n' $(( $(date +%s) - start )) "$(awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$server/status")"
  sleep 15
done
wait "$reads" "$writes" || true
for f in reads writes; do
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
codes = r.get("statusCodeDistribution", {})
print("%-6s %d requests, %.0f/s, codes %s" % (sys.argv[2], sum(codes.values()), r["summary"]["requestsPerSec"], codes))' "$work/$f.json" "$f"
done
