#!/usr/bin/env bash
# What SQLite's durable commits cost: desk intake with MOTCUA_SQLITE_SYNCHRONOUS=full (the
# default) against normal, in the same run, as a ratio.
#
#   OHA=oha bench/sync.sh
#
# The demo is loaded once into a seed database; each run serves a fresh copy of it with the
# release binary and one setting, and oha (cargo install oha) posts desk intakes (POST /dossiers:
# dossier, history, counters and outbox in one transaction) for MOTCUA_LOAD_SECONDS (default 10)
# at MOTCUA_LOAD_CONCURRENCY connections (default 16). The two settings alternate for
# MOTCUA_SYNC_ROUNDS rounds (default 3; the order flips each round, so drift hits both alike).
# Printed: each run's requests/s, p50/p95/p99 in ms, share of 2xx and the other statuses, then the median of each
# setting and the ratio full / normal. The databases are in TMPDIR (default /tmp), whose file
# system is printed: on tmpfs an fsync costs nothing and the comparison says nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MOTCUA_BENCH_BIN:-target/release/motcua}
OHA=${OHA:-oha}
PORT=${MOTCUA_BENCH_PORT:-18094}
SECONDS_EACH=${MOTCUA_LOAD_SECONDS:-10}
C=${MOTCUA_LOAD_CONCURRENCY:-16}
ROUNDS=${MOTCUA_SYNC_ROUNDS:-3}
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v "$OHA" >/dev/null || { echo "install oha first: cargo install oha" >&2; exit 1; }
export MOTCUA_JWT_SECRET=bench-secret-that-is-at-least-32-bytes-long RUST_LOG=warn MOTCUA_WEBHOOK_WORKER=false
work=$(mktemp -d "${TMPDIR:-/tmp}/motcua-sync-bench.XXXXXX")
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
api="http://127.0.0.1:$PORT/api/v1"

start() { # database file, setting, then serve's arguments
  local db=$1 setting=$2; shift 2
  DATABASE_URL="sqlite://$db" MOTCUA_BIND="127.0.0.1:$PORT" MOTCUA_SQLITE_SYNCHRONOUS=$setting \
    MOTCUA_FILES_URL="file://$work/files" "$BIN" serve "$@" >>"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do curl -sf "127.0.0.1:$PORT/readyz" >/dev/null && return; sleep 0.2; done
  echo "the server did not start: $(tail -5 "$work/serve.log")" >&2
  exit 1
}

stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }

# oha's JSON summary as "rps p50 p95 p99 ok% others" (latencies in ms; others: the non-2xx
# statuses with their counts, or -).
summarize() {
  python3 -c '
import json, sys
r = json.load(sys.stdin)
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
total = sum(codes.values()) or 1
ok = sum(v for k, v in codes.items() if k.startswith("2"))
others = ",".join("%s:%d" % (k, v) for k, v in sorted(codes.items()) if not k.startswith("2")) or "-"
print("%.0f %.1f %.1f %.1f %.1f %s" % (s["requestsPerSec"], p["p50"] * 1000, p["p95"] * 1000, p["p99"] * 1000, 100.0 * ok / total, others))'
}

# The seed: the demo, checkpointed into its main file when the server stops.
start "$work/seed.db" full --demo
stop
echo "databases on $(stat -f -c %T "$work") ($work); $C connections, ${SECONDS_EACH}s a run, $ROUNDS rounds"

printf '%-8s %-8s %8s %8s %8s %8s %7s  %s\n' round setting req/s p50_ms p95_ms p99_ms ok_% non-2xx
for round in $(seq "$ROUNDS"); do
  order="full normal"
  [ $(( round % 2 )) -eq 1 ] || order="normal full"
  for setting in $order; do
    rm -rf "$work/run.db"* "$work/files"
    cp "$work/seed.db" "$work/run.db"
    start "$work/run.db" "$setting"
    token=$(curl -sf -X POST "$api/auth/token" -H 'content-type: application/json' \
      -d '{"username":"cuong.tt","password":"motcua-demo-2024"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    commune=$(curl -sf "$api/me" -H "authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["agency"]["id"])')
    procedure=$(curl -sf "$api/procedures?limit=1" -H "authorization: Bearer $token" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
    line=$("$OHA" -z "${SECONDS_EACH}s" -c "$C" --no-tui --output-format json -m POST -T application/json \
      -H "authorization: Bearer $token" \
      -d "{\"procedure_id\":\"$procedure\",\"agency_id\":\"$commune\",\"channel\":\"direct\",\"applicant\":{\"kind\":\"citizen\",\"full_name\":\"Nguyễn Văn Tải\"},\"components\":[{\"name\":\"Tờ khai\",\"digitized\":true}]}" \
      "$api/dossiers" | summarize)
    stop
    echo "$setting $line" >>"$work/results"
    printf '%-8s %-8s %8s %8s %8s %8s %7s  %s\n' "$round" "$setting" $line
  done
done

# What the server said about any failure (RUST_LOG=warn keeps only warnings and errors).
if grep -qE 'WARN|ERROR' "$work/serve.log"; then
  echo "server warnings and errors ($(grep -cE 'WARN|ERROR' "$work/serve.log")), the last three:"
  grep -E 'WARN|ERROR' "$work/serve.log" | tail -3 | cut -c1-300
fi
python3 - "$work/results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    setting, *figures = line.split()
    runs.setdefault(setting, []).append([float(f) for f in figures[:5]])
median = {s: [statistics.median(r[i] for r in rs) for i in range(5)] for s, rs in runs.items()}
for s in ("full", "normal"):
    rps, p50, p95, p99, ok = median[s]
    print("median   %-8s %8.0f %8.1f %8.1f %8.1f %7.1f" % (s, rps, p50, p95, p99, ok))
f, n = median["full"], median["normal"]
print("full / normal: %.2f× the requests/s, %.2f× the p50, %.2f× the p95" % (f[0] / n[0], f[1] / n[1], f[2] / n[2]))
PY
