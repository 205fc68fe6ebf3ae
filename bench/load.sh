#!/usr/bin/env bash
# Load benchmark against the machine's own limits, on PostgreSQL and on SQLite.
#
#   bench/load.sh [SIZE]            (default 1000000 dossiers)
#
# For each backend: the database of `bench/run.sh SIZE` (generated here if it is missing), the
# release binary serving it, and oha (cargo install oha) loading it from a second process for
# MOTCUA_LOAD_SECONDS (default 10) at MOTCUA_LOAD_CONCURRENCY (default 16) connections:
# GET /healthz (the bare HTTP ceiling), GET a dossier by id, a filtered list, a province leader's
# first page of dossiers (no filter), the province-year
# summary, intake (POST /dossiers, with history, counters and outbox), and an action (assign).
# Each line: requests/s, p50/p95/p99 in ms, the share of answers that were 2xx, and the CPU time
# one request cost the server and, on PostgreSQL, the bench database's backends (µs of user +
# system time per request, from /proc: steadier than req/s on a shared machine, since another
# process's load slows the run but does not add to these processes' CPU time). The server's
# resident memory is read from /proc before the load (idle) and at the end (peak, VmHWM).
# On PostgreSQL, pgbench runs at the same concurrency, and the ratio to it is printed: for GET by
# id a select by key on the same table; for the filtered list the list's own statement; for
# intake a transaction that takes the next number of one hot row and inserts a row (intake's
# shape: one agency's intakes serialize on its day's number).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MOTCUA_BENCH_BIN:-target/release/motcua}
OHA=${OHA:-oha}
PG=${MOTCUA_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
PORT=${MOTCUA_BENCH_PORT:-18092}
N=${1:-1000000}
SECONDS_EACH=${MOTCUA_LOAD_SECONDS:-10}
C=${MOTCUA_LOAD_CONCURRENCY:-16}
BACKENDS=${MOTCUA_LOAD_BACKENDS:-postgres sqlite}
ONLY=${MOTCUA_LOAD_ONLY:-.}   # a regular expression over the request names below
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v "$OHA" >/dev/null || { echo "install oha first: cargo install oha" >&2; exit 1; }
export MOTCUA_JWT_SECRET=bench-secret-that-is-at-least-32-bytes-long RUST_LOG=warn
work=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

years=$(( N / 100000 )); [ "$years" -ge 1 ] || years=1
generate() { # url
  DATABASE_URL=$1 "$BIN" generate --dossiers "$N" --communes 20 --from $(( 2026 - years ))-01-01 --to 2025-12-31 --seed 1 >/dev/null 2>&1
}

# oha's JSON summary as "rps p50 p95 p99 ok%" (latencies in ms).
summarize() {
  python3 -c '
import json, sys
r = json.load(sys.stdin)
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
total = sum(codes.values()) or 1
ok = sum(v for k, v in codes.items() if k.startswith("2"))
print("%.0f %.1f %.1f %.1f %.1f %d" % (s["requestsPerSec"], p["p50"] * 1000, p["p95"] * 1000, p["p99"] * 1000, 100.0 * ok / total, total))'
}

# CPU time (user + system, in clock ticks) of the server and of the bench database's backends.
cpu_ticks() {
  local pids=$server
  if [ "$backend" = postgres ]; then
    pids="$pids $(psql -Atq "$url" -c "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")"
  fi
  for p in $pids; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true; done | awk '{ s += $1 } END { print s + 0 }'
}

load() { # name, then oha arguments
  local name=$1; shift
  local line
  [[ "$name" =~ $ONLY ]] || return 0
  local before after us
  before=$(cpu_ticks)
  line=$("$OHA" -z "${SECONDS_EACH}s" -c "$C" --no-tui --output-format json "$@" | summarize)
  after=$(cpu_ticks)
  us=$(python3 -c "print('%.0f' % (1e6 * ($after - $before) / $(getconf CLK_TCK) / max(${line##* }, 1)))")
  rps[$name]=${line%% *}
  printf '%-10s %-22s %8s %8s %8s %8s %7s %8s\n' "$backend" "$name" ${line% *} "$us"
}

rss() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$server/status"; }

declare -A rps
printf '%-10s %-22s %8s %8s %8s %8s %7s %8s\n' backend request req/s p50_ms p95_ms p99_ms ok_% cpu_us
for backend in $BACKENDS; do
  if [ "$backend" = sqlite ]; then
    url="sqlite:///tmp/motcua-bench-$N.db"
    [ -f "/tmp/motcua-bench-$N.db" ] || generate "$url"
  else
    url="$PG/motcua_bench_$N"
    if [ -z "$(psql -Atq "$PG/postgres" -c "SELECT 1 FROM pg_database WHERE datname = 'motcua_bench_$N'")" ]; then
      psql -q "$PG/postgres" -c "CREATE DATABASE motcua_bench_$N"
      generate "$url"
    fi
    # Every run starts vacuumed: the intakes of an earlier run leave thousands of dead versions
    # of the hot rows (the day's number, its counters), and a PostgreSQL with autovacuum off (as
    # on the machine these figures come from) would slow each run after it.
    psql -q "$url" -c "VACUUM ANALYZE"
  fi
  DATABASE_URL=$url MOTCUA_BIND=127.0.0.1:$PORT MOTCUA_WEBHOOK_WORKER=false "$BIN" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 150); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  sleep 3 # the server gives its start-up memory back 2 s after it starts
  idle=$(rss VmRSS)

  api="http://localhost:$PORT/api/v1"
  token() { curl -sf -X POST "$api/auth/token" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"motcua-generated\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
  officer=$(token canbo.1.0.0)
  leader=$(token lanhdao.1)
  me=$(curl -sf "$api/me" -H "authorization: Bearer $officer")
  officer_id=$(echo "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  commune=$(echo "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agency"]["id"])')
  province=$(curl -sf "$api/agencies?level=province" -H "authorization: Bearer $leader" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  procedure=$(curl -sf "$api/procedures?limit=1" -H "authorization: Bearer $officer" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  # The reads spread over 200 dossiers of the commune.
  curl -sf "$api/dossiers?agency_id=$commune&limit=200" -H "authorization: Bearer $officer" \
    | python3 -c 'import json,sys; [print(d["id"]) for d in json.load(sys.stdin)["items"]]' >"$work/ids"
  sed "s|^|$api/dossiers/|" "$work/ids" >"$work/get-urls"

  load healthz "http://localhost:$PORT/healthz"
  load "GET dossier by id" --urls-from-file "$work/get-urls" -H "authorization: Bearer $officer"
  # A full page: a generated history is all closed, most of it returned.
  load "list, filtered" "$api/dossiers?agency_id=$commune&status=returned&limit=50" -H "authorization: Bearer $officer"
  # A province leader's first page: no filter, the whole subtree newest first.
  load "province first page" "$api/dossiers?limit=50" -H "authorization: Bearer $leader"
  load "report summary" "$api/reports/summary?agency_id=$province&from=2025-01-01&to=2025-12-31" -H "authorization: Bearer $leader"
  load "intake" -m POST -T application/json -H "authorization: Bearer $officer" \
    -d "{\"procedure_id\":\"$procedure\",\"agency_id\":\"$commune\",\"channel\":\"direct\",\"applicant\":{\"kind\":\"citizen\",\"full_name\":\"Nguyễn Văn Tải\"},\"components\":[{\"name\":\"Tờ khai\",\"digitized\":true}]}" \
    "$api/dossiers"
  # The same intake spread over four communes (four oha processes of C/4 connections, each an
  # officer of its own commune): intakes into different agencies share no sequence or counter
  # row. Requests/s is the sum; the latencies are the slowest process's.
  if [[ "intake, 4 communes" =~ $ONLY ]]; then
    spread=()
    for k in 0 1 2 3; do
      t=$(token "canbo.1.$k.0")
      a=$(curl -sf "$api/me" -H "authorization: Bearer $t" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agency"]["id"])')
      "$OHA" -z "${SECONDS_EACH}s" -c $(( C / 4 )) --no-tui --output-format json -m POST -T application/json \
        -H "authorization: Bearer $t" \
        -d "{\"procedure_id\":\"$procedure\",\"agency_id\":\"$a\",\"channel\":\"direct\",\"applicant\":{\"kind\":\"citizen\",\"full_name\":\"Nguyễn Văn Tải\"},\"components\":[{\"name\":\"Tờ khai\",\"digitized\":true}]}" \
        "$api/dossiers" | summarize >"$work/spread-$k" &
      spread+=($!)
    done
    wait "${spread[@]}"
    line=$(cat "$work"/spread-* | awk '{ r += $1; for (i = 2; i <= 4; i++) if ($i > m[i]) m[i] = $i; ok += $5 }
      END { printf "%.0f %.1f %.1f %.1f %.1f", r, m[2], m[3], m[4], ok / NR }')
    printf '%-10s %-22s %8s %8s %8s %8s %7s\n' "$backend" "intake, 4 communes" $line
  fi
  # The action goes to 100 of the dossiers intake just made (a generated history is all closed).
  curl -sf "$api/dossiers?agency_id=$commune&status=processing&limit=100" -H "authorization: Bearer $officer" \
    | python3 -c 'import json,sys; [print(d["id"]) for d in json.load(sys.stdin)["items"]]' \
    | sed "s|^|$api/dossiers/|; s|\$|/assign|" >"$work/assign-urls"
  load "action (assign)" -m POST -T application/json -H "authorization: Bearer $officer" \
    -d "{\"user_id\":\"$officer_id\"}" --urls-from-file "$work/assign-urls"
  peak=$(rss VmHWM)
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%-10s %-22s idle %s MB, peak %s MB\n' "$backend" "resident memory" "$idle" "$peak"
  ratio() { python3 -c "print('%.0f %%' % (100.0 * $1 / $2))"; }
  # The ratios need the request (and /healthz) in this run's MOTCUA_LOAD_ONLY.
  [ -z "${rps[healthz]:-}" ] || [ -z "${rps[GET dossier by id]:-}" ] ||
    printf '%-10s %-22s %s of /healthz\n' "$backend" "GET by id" "$(ratio "${rps[GET dossier by id]}" "${rps[healthz]}")"

  if [ "$backend" = postgres ] && [ -n "${rps[GET dossier by id]:-}" ]; then
    # The database's own ceiling: the same row lookup by key, same concurrency, no HTTP.
    psql -q "$url" -c "DROP TABLE IF EXISTS bench_keys" \
      -c "CREATE TABLE bench_keys AS SELECT row_number() OVER () AS n, id FROM (SELECT id FROM dossiers LIMIT 200) d" \
      -c "CREATE UNIQUE INDEX ON bench_keys (n)"
    cat >"$work/by-key.sql" <<'SQL'
\set n random(1, 200)
SELECT d.* FROM dossiers d WHERE d.id = (SELECT id FROM bench_keys WHERE n = :n);
SQL
    tps=$(pgbench -n -M prepared -c "$C" -j 2 -T "$SECONDS_EACH" -f "$work/by-key.sql" "$url" 2>/dev/null \
      | awk '/^tps/ { printf "%.0f", $3 }')
    psql -q "$url" -c "DROP TABLE bench_keys"
    printf '%-10s %-22s %8s\n' postgres "pgbench select by key" "$tps"
    printf '%-10s %-22s %s of pgbench\n' postgres "GET by id" "$(ratio "${rps[GET dossier by id]}" "$tps")"
  fi
  if [ "$backend" = postgres ] && [ -n "${rps[list, filtered]:-}" ]; then
    # The filtered list's own SQL, as the service runs it for a commune's officer who names the
    # commune (PostgreSQL's statement log shows it): the commune's page of 51 newest first. (Those
    # sent to it from elsewhere are a second statement only when the request names no agency.)
    cat >"$work/list.sql" <<SQL
SELECT d.* FROM dossiers d WHERE d.agency_id = '$commune' AND d.status = 'returned' AND d.agency_id = '$commune'
  ORDER BY d.submitted_at DESC, d.id DESC LIMIT 51;
SQL
    tps=$(pgbench -n -M prepared -c "$C" -j 2 -T "$SECONDS_EACH" -f "$work/list.sql" "$url" 2>/dev/null \
      | awk '/^tps/ { printf "%.0f", $3 }')
    printf '%-10s %-22s %8s\n' postgres "pgbench list's SQL" "$tps"
    printf '%-10s %-22s %s of pgbench\n' postgres "list, filtered" "$(ratio "${rps[list, filtered]}" "$tps")"
  fi
  if [ "$backend" = postgres ] && [ -n "${rps[intake]:-}" ]; then
    # Intake's shape with nothing else: take the next number of one hot row, insert a row, commit.
    psql -q "$url" -c "DROP TABLE IF EXISTS bench_hot, bench_rows" \
      -c "CREATE TABLE bench_hot (k int PRIMARY KEY, n bigint NOT NULL)" -c "INSERT INTO bench_hot VALUES (1, 0)" \
      -c "CREATE TABLE bench_rows (id bigserial PRIMARY KEY, n bigint NOT NULL, at timestamptz NOT NULL)"
    cat >"$work/hot.sql" <<'SQL'
BEGIN;
UPDATE bench_hot SET n = n + 1 WHERE k = 1;
INSERT INTO bench_rows (n, at) VALUES (1, now());
COMMIT;
SQL
    tps=$(pgbench -n -M prepared -c "$C" -j 2 -T "$SECONDS_EACH" -f "$work/hot.sql" "$url" 2>/dev/null \
      | awk '/^tps/ { printf "%.0f", $3 }')
    psql -q "$url" -c "DROP TABLE bench_hot, bench_rows"
    printf '%-10s %-22s %8s\n' postgres "pgbench hot-row insert" "$tps"
    printf '%-10s %-22s %s of pgbench\n' postgres "intake" "$(ratio "${rps[intake]}" "$tps")"
  fi
done
