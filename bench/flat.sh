#!/usr/bin/env bash
# Is every report flat in volume? The same province-year at several volumes, on PostgreSQL.
#
#   bench/flat.sh [SIZE ...]            (default: 100000 1000000)
#   MOTCUA_BENCH_BIN=/path/to/motcua    (default target/release/motcua)
#   MOTCUA_BENCH_KEEP=1                 (keep the databases; default: dropped at the end)
#   MOTCUA_BENCH_REUSE=1                (time a database kept before instead of generating it;
#                                        the generation columns then read 0)
#
# For each size: a fresh database, `motcua generate --dossiers SIZE --communes 20` all in 2025,
# VACUUM ANALYZE, the service started on it, then for the province and 2025 (a period that has
# ended) the median of 21 calls after 3 warm-up calls of: the summary (its `by_agency` league table
# included), the time series by month, the officers report, and the first page of the dossiers
# behind `resolution.late` (the drill-down), the province leader's first page of dossiers (no
# filter, newest first) and a commune's returned dossiers (the filtered list, a full page of 50);
# /healthz is the reference measured in the same run.
# Then the generation rate, the database's size and the counters' (rows and bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MOTCUA_BENCH_BIN:-target/release/motcua}
PG=${MOTCUA_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
PORT=${MOTCUA_BENCH_PORT:-18091}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
export MOTCUA_JWT_SECRET=bench-secret-that-is-at-least-32-bytes-long RUST_LOG=warn

median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] * 1000 }'; }
timed() { # URL: median ms of 21 calls after 3 warm-up calls
  for _ in 1 2 3; do curl -sf -o /dev/null "$1" -H "authorization: Bearer $token"; done
  for _ in $(seq 21); do curl -sf -o /dev/null -w '%{time_total}\n' "$1" -H "authorization: Bearer $token"; done | median
}

printf '%10s %8s %8s %10s %10s %10s %10s %8s %13s %8s %9s %10s %9s\n' dossiers gen_s gen_per_s healthz_ms \
  summary_ms series_ms officers_ms drill_ms first_page_ms list_ms db_MB counts_rows counts_MB
for n in "${SIZES[@]}"; do
  db=motcua_flat_$n url="$PG/motcua_flat_$n"
  if [ -n "${MOTCUA_BENCH_REUSE:-}" ]; then
    gen=0
  else
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    start=$(date +%s.%N)
    DATABASE_URL=$url "$BIN" generate --dossiers "$n" --communes 20 --from 2025-01-01 --to 2025-12-31 \
      --seed 1 >/dev/null 2>&1
    gen=$(echo "$(date +%s.%N) - $start" | bc)
    psql -q "$url" -c "VACUUM ANALYZE"
  fi
  DATABASE_URL=$url MOTCUA_BIND=127.0.0.1:$PORT "$BIN" serve >/tmp/motcua-flat-serve.log 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  token=$(curl -sf -X POST "localhost:$PORT/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"username":"lanhdao.1","password":"motcua-generated"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  province=$(curl -sf "localhost:$PORT/api/v1/agencies?level=province" -H "authorization: Bearer $token" \
    | sed -E 's/.*"id":"([^"]+)","code":"SYN.1".*/\1/')
  q="agency_id=$province&from=2025-01-01&to=2025-12-31"
  api="localhost:$PORT/api/v1"
  healthz=$(timed "localhost:$PORT/healthz")
  summary=$(timed "$api/reports/summary?$q")
  series=$(timed "$api/reports/timeseries?$q&granularity=month")
  officers=$(timed "$api/reports/officers?$q")
  drill=$(timed "$api/reports/summary/dossiers?$q&figure=resolution.late&limit=50")
  first_page=$(timed "$api/dossiers?limit=50")
  commune=$(curl -sf "$api/agencies?level=commune&limit=1" -H "authorization: Bearer $token" \
    | sed -E 's/.*"items":\[\{"id":"([^"]+)".*/\1/')
  list=$(timed "$api/dossiers?agency_id=$commune&status=returned&limit=50")
  kill $server; wait $server 2>/dev/null || true
  sizes=$(psql -Atq "$url" -F ' ' -c "SELECT pg_database_size('$db') / 1048576, (SELECT count(*) FROM report_counts),
    pg_total_relation_size('report_counts') / 1048576")
  read -r db_mb rows counts_mb <<<"$sizes"
  printf '%10s %8.1f %8.0f %10s %10s %10s %10s %8s %13s %8s %9s %10s %9s\n' "$n" "$gen" "$( [ "$gen" = 0 ] && echo 0 || echo "$n / $gen" | bc)" \
    "$healthz" "$summary" "$series" "$officers" "$drill" "$first_page" "$list" "$db_mb" "$rows" "$counts_mb"
  [ -n "${MOTCUA_BENCH_KEEP:-}" ] || psql -q "$PG/postgres" -c "DROP DATABASE $db"
done
