#!/usr/bin/env bash
# Times the province-year summary over a generated history, on SQLite and on PostgreSQL.
#
#   bench/run.sh [SIZE ...]            (default: 100000 1000000)
#   MOTCUA_BENCH_DENSE=1 bench/run.sh  (every size within the one year)
#   MOTCUA_BENCH_REUSE=1 bench/run.sh   (time the databases a previous run generated)
#
# For each size: a fresh database, `motcua generate --dossiers SIZE --communes 20` over
# SIZE/100,000 years ending 2025-12-31 (a longer history at the same pace; with
# MOTCUA_BENCH_DENSE=1 all of it in 2025), the service started on it, and
# GET /api/v1/reports/summary for the province and 2025 called 21 times after 5 warm-up calls;
# the median is printed. Needs a release build
# (`cargo build --release`), curl, and PostgreSQL at MOTCUA_BENCH_POSTGRES
# (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/motcua
PG=${MOTCUA_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
PORT=${MOTCUA_BENCH_PORT:-18090}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
export MOTCUA_JWT_SECRET=bench-secret-that-is-at-least-32-bytes-long RUST_LOG=warn

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-10s %10s %6s %12s %14s\n' backend dossiers years generate_s summary_ms
for n in "${SIZES[@]}"; do
  years=$(( n / 100000 )); [ "$years" -ge 1 ] || years=1
  [ -z "${MOTCUA_BENCH_DENSE:-}" ] || years=1
  for backend in sqlite postgres; do
    if [ "$backend" = sqlite ]; then
      url="sqlite:///tmp/motcua-bench-$n.db"
      exists=$([ -f "/tmp/motcua-bench-$n.db" ] && echo 1 || true)
    else
      url="$PG/motcua_bench_$n"
      exists=$(psql -Atq "$PG/postgres" -c "SELECT 1 FROM pg_database WHERE datname = 'motcua_bench_$n'")
    fi
    generated=-
    if [ -z "${MOTCUA_BENCH_REUSE:-}" ] || [ -z "$exists" ]; then
      if [ "$backend" = sqlite ]; then
        rm -f "/tmp/motcua-bench-$n.db"*
      else
        psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS motcua_bench_$n" -c "CREATE DATABASE motcua_bench_$n"
      fi
      start=$(date +%s.%N)
      DATABASE_URL=$url "$BIN" generate --dossiers "$n" --communes 20 --from $(( 2026 - years ))-01-01 --to 2025-12-31 --seed 1 >/dev/null 2>&1
      generated=$(echo "$(date +%s.%N) - $start" | bc)
      # As a running database would be: vacuumed, with fresh statistics (not autovacuum mid-run).
      [ "$backend" = sqlite ] || psql -q "$url" -c "VACUUM ANALYZE"
    fi
    DATABASE_URL=$url MOTCUA_BIND=127.0.0.1:$PORT "$BIN" serve >/tmp/motcua-bench-serve.log 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for _ in $(seq 100); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.2; done
    token=$(curl -sf -X POST "localhost:$PORT/api/v1/auth/token" -H 'content-type: application/json' \
      -d '{"username":"lanhdao.1","password":"motcua-generated"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
    province=$(curl -sf "localhost:$PORT/api/v1/agencies?level=province" -H "authorization: Bearer $token" \
      | sed -E 's/.*"id":"([^"]+)","code":"SYN.1".*/\1/')
    summary="localhost:$PORT/api/v1/reports/summary?agency_id=$province&from=2025-01-01&to=2025-12-31"
    for _ in $(seq 5); do curl -sf -o /dev/null "$summary" -H "authorization: Bearer $token"; done
    ms=$(for _ in $(seq 21); do
      curl -sf -o /dev/null -w '%{time_total}\n' "$summary" -H "authorization: Bearer $token"
    done | median | awk '{ printf "%.1f", $1 * 1000 }')
    kill $server; wait $server 2>/dev/null || true
    printf '%-10s %10s %6s %12s %14s\n' "$backend" "$n" "$years" "$generated" "$ms"
  done
done
