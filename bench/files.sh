#!/usr/bin/env bash
# Files: upload and download throughput on the local store, as a ratio to a plain copy of the same
# bytes on the same disk, and the server's memory while it takes one large upload.
#
#   bench/files.sh            (MOTCUA_FILES_COUNT files of MOTCUA_FILES_MB MB, default 96 × 5,
#                              at MOTCUA_LOAD_CONCURRENCY connections, default 16)
#
# The release binary serves the demo (SQLite, files in a directory beside it, on the same disk as
# the reference copies). References: `cp` of the same files into another directory of that disk,
# C at a time, then one `sync`; and `dd conv=fsync`, each copy on the disk before it ends, as an
# upload is (its object is flushed before its row commits and the answer goes). Uploads: curl posting each file (distinct bytes, so none is
# deduplicated) as a component scan, C at a time; downloads: curl fetching each back. Both are
# timed until the last answer, with a `sync` after the uploads, as for the copy. Memory: the
# server's resident set (VmRSS) sampled every 20 ms while a MOTCUA_FILES_BIG_MB (default 200) MB
# upload streams in, against its value just before.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MOTCUA_BENCH_BIN:-target/release/motcua}
PORT=${MOTCUA_BENCH_PORT:-18093}
COUNT=${MOTCUA_FILES_COUNT:-96}
MB=${MOTCUA_FILES_MB:-5}
BIG=${MOTCUA_FILES_BIG_MB:-200}
C=${MOTCUA_LOAD_CONCURRENCY:-16}
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/motcua-files-bench.XXXXXX")
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$work/in" "$work/copy" "$work/durable"
for i in $(seq "$COUNT"); do
  { printf '%%PDF-1.7\n'; head -c $(( MB * 1024 * 1024 - 9 )) /dev/urandom; } >"$work/in/scan-$i.pdf"
done
sync
now() { date +%s.%N; }
rate() { python3 -c "import sys; print('%.1f' % ($COUNT * $MB / (float(sys.argv[2]) - float(sys.argv[1]))))" "$1" "$2"; }

start=$(now)
ls "$work/in" | xargs -P "$C" -I{} cp "$work/in/{}" "$work/copy/{}"
sync
copy_mbs=$(rate "$start" "$(now)")
# The same copies, each on the disk before the next starts, as an upload is before it is answered.
start=$(now)
ls "$work/in" | xargs -P "$C" -I{} dd if="$work/in/{}" of="$work/durable/{}" bs=1M conv=fsync status=none
durable_mbs=$(rate "$start" "$(now)")

serve() { # extra arguments of `serve`
  DATABASE_URL="sqlite://$work/motcua.db" MOTCUA_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
    MOTCUA_JWT_SECRET=bench-secret-that-is-at-least-32-bytes-long \
    MOTCUA_FILES_MAX_BYTES=$(( (BIG + 10) * 1024 * 1024 )) "$BIN" serve "$@" >>"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  token=$(curl -sf -X POST "$base/auth/token" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"motcua-demo-2024"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
}
base="http://127.0.0.1:$PORT/api/v1"
serve --demo
dossier=$(curl -sf -H "Authorization: Bearer $token" "$base/dossiers?status=processing&limit=1" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
export token base dossier work

start=$(now)
ls "$work/in" | xargs -P "$C" -I{} sh -c 'curl -sf -o "$work/{}.json" -H "Authorization: Bearer $token" \
  -F kind=component -F component=0 -F "file=@$work/in/{}" "$base/dossiers/$dossier/files"'
sync
upload_mbs=$(rate "$start" "$(now)")

ls "$work"/*.json | python3 -c '
import json, sys
for name in sys.stdin.read().split():
    print(json.load(open(name))["id"])' >"$work/ids"
start=$(now)
xargs -P "$C" -I{} sh -c 'curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/dossiers/$dossier/files/{}"' <"$work/ids"
download_mbs=$(rate "$start" "$(now)")

# A fresh process for the memory figure: loading the demo leaves freed heap that would hide growth.
kill "$server"; wait "$server" 2>/dev/null || true
serve
rss() { awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$server/status"; }
{ printf '%%PDF-1.7\n'; head -c $(( BIG * 1024 * 1024 )) /dev/urandom; } >"$work/big.pdf"
before=$(rss)
curl -sf -o /dev/null -H "Authorization: Bearer $token" -F kind=component -F component=0 \
  -F "file=@$work/big.pdf" "$base/dossiers/$dossier/files" &
upload=$!
peak=$before
while kill -0 "$upload" 2>/dev/null; do
  r=$(rss); peak=$(python3 -c "print(max($peak, $r))"); sleep 0.02
done
wait "$upload"

ratio() { python3 -c "print('%.0f %%' % (100 * $1 / $2))"; }
printf '%-34s %10s %8s %8s\n' "$COUNT files of $MB MB, $C at a time" "MB/s" "vs cp" "vs dd"
printf '%-34s %10s %8s %8s\n' "cp, then one sync" "$copy_mbs" "100 %" ""
printf '%-34s %10s %8s %8s\n' "dd conv=fsync, each file" "$durable_mbs" "$(ratio "$durable_mbs" "$copy_mbs")" "100 %"
printf '%-34s %10s %8s %8s\n' "upload (POST …/files, fsynced)" "$upload_mbs" "$(ratio "$upload_mbs" "$copy_mbs")" "$(ratio "$upload_mbs" "$durable_mbs")"
printf '%-34s %10s %8s %8s\n' "download (GET …/files/{id})" "$download_mbs" "$(ratio "$download_mbs" "$copy_mbs")" ""
printf 'resident memory: %s MB before a %s MB upload, %s MB at its peak (+%s MB)\n' \
  "$before" "$BIG" "$peak" "$(python3 -c "print('%.1f' % ($peak - $before))")"
