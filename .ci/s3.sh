#!/usr/bin/env bash
# A real S3-compatible object store for the file tests: moto's server, from PyPI, in a venv of its
# own, on a free port, with one bucket. Prints the environment the tests need, for `eval`:
#   eval "$(.ci/s3.sh)"   then   MOTCUA_TEST_FILES_URL=s3://motcua-ci cargo test
# The server runs until the calling shell's session ends (kill "$MOTCUA_S3_PID" to stop it).
set -euo pipefail
cd "$(dirname "$0")/.."
MOTO='moto[server]==5.2.5'
VENV=target/moto-venv
BUCKET=motcua-ci

mkdir -p target
[ -x "$VENV/bin/moto_server" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "$MOTO" >&2; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >target/moto.log 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done
curl -sf -X PUT "http://127.0.0.1:$port/$BUCKET" >/dev/null
echo "export MOTCUA_S3_PID=$pid"
echo "export AWS_ACCESS_KEY_ID=motcua-ci AWS_SECRET_ACCESS_KEY=motcua-ci AWS_REGION=us-east-1"
echo "export AWS_ENDPOINT=http://127.0.0.1:$port AWS_ALLOW_HTTP=true"
echo "export MOTCUA_CI_FILES_URL=s3://$BUCKET"
