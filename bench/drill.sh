#!/usr/bin/env bash
# The drill-down's pages on databases already made (by bench/flat.sh with MOTCUA_BENCH_KEEP=1, or
# `motcua generate` into a fresh database then VACUUM ANALYZE), on PostgreSQL.
#
#   bench/drill.sh URL ...              (each a database of a province-year of 2025)
#   MOTCUA_BENCH_BIN=/path/to/motcua    (default target/release/motcua)
#   MOTCUA_BENCH_CALLS=N                (calls timed, default 21: fewer for a page of seconds)
#
# For each database: the service started on it, then for the province and 2025 the median of the
# calls timed after 3 warm-up calls of the first page (limit 50) of the dossiers behind
# resolution.late, reception.total, resolution.in_progress_overdue and the first line of
# digitization.result.missing_by_responsible, and the second page of resolution.late;
# /healthz is the reference measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MOTCUA_BENCH_BIN:-target/release/motcua}
PORT=${MOTCUA_BENCH_PORT:-18092}
CALLS=${MOTCUA_BENCH_CALLS:-21}
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
export MOTCUA_JWT_SECRET=bench-secret-that-is-at-least-32-bytes-long RUST_LOG=warn

median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] * 1000 }'; }
timed() { # URL: median ms of $CALLS calls after 3 warm-up calls
  for _ in 1 2 3; do curl -sf -o /dev/null "$1" -H "authorization: Bearer $token"; done
  for _ in $(seq "$CALLS"); do curl -sf -o /dev/null -w '%{time_total}\n' "$1" -H "authorization: Bearer $token"; done | median
}

printf '%-24s %10s %10s %10s %12s %12s %12s\n' database healthz_ms late_ms total_ms overdue_ms missing_by_ms late_p2_ms
for url in "$@"; do
  DATABASE_URL=$url MOTCUA_BIND=127.0.0.1:$PORT "$BIN" serve >/tmp/motcua-drill-serve.log 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  token=$(curl -sf -X POST "localhost:$PORT/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"username":"lanhdao.1","password":"motcua-generated"}' | jq -r .access_token)
  api="localhost:$PORT/api/v1"
  province=$(curl -sf "$api/agencies?level=province" -H "authorization: Bearer $token" | jq -r '.items[0].id')
  q="agency_id=$province&from=2025-01-01&to=2025-12-31"
  line=$(curl -sf "$api/reports/summary?$q" -H "authorization: Bearer $token" \
    | jq -r '[.digitization.missing_by_responsible[] | select(.result > 0)][0].responsible.id')
  drill="$api/reports/summary/dossiers?$q&limit=50&figure"
  next=$(curl -sf "$drill=resolution.late" -H "authorization: Bearer $token" | jq -r .next_cursor)
  # Every call must answer 200 with a full page: curl -f prints a time for an error too.
  for figure in resolution.late reception.total resolution.in_progress_overdue \
    "digitization.result.missing_by_responsible.$line"; do
    n=$(curl -sf "$drill=$figure" -H "authorization: Bearer $token" | jq '.items | length')
    [ "$n" -gt 0 ] || { echo "$figure: $n items" >&2; exit 1; }
  done
  printf '%-24s %10s %10s %10s %12s %12s %12s\n' "${url##*/}" "$(timed "localhost:$PORT/healthz")" \
    "$(timed "$drill=resolution.late")" "$(timed "$drill=reception.total")" \
    "$(timed "$drill=resolution.in_progress_overdue")" \
    "$(timed "$drill=digitization.result.missing_by_responsible.$line")" \
    "$(timed "$drill=resolution.late&cursor=$next")"
  kill $server; wait $server 2>/dev/null || true
done
