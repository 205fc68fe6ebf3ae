#!/usr/bin/env bash
# A real SMTP server for the notification tests: aiosmtpd, from PyPI, in a venv of its own, on a
# free port, keeping every mail in a Maildir the tests read. Prints the environment, for `eval`:
#   eval "$(.ci/smtp.sh)"   then   cargo test --test api citizens
# The server runs until the calling shell's session ends (kill "$MOTCUA_SMTP_PID" to stop it).
set -euo pipefail
cd "$(dirname "$0")/.."
AIOSMTPD='aiosmtpd==1.4.6'
VENV=target/smtp-venv
MAILDIR="$PWD/target/maildir"

mkdir -p target
[ -x "$VENV/bin/aiosmtpd" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "$AIOSMTPD" >&2; }
rm -rf "$MAILDIR"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/aiosmtpd" -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$MAILDIR" >target/smtp.log 2>&1 &
pid=$!
for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break; sleep 0.2; done
echo "export MOTCUA_SMTP_PID=$pid"
echo "export MOTCUA_TEST_SMTP_URL=smtp://127.0.0.1:$port MOTCUA_TEST_MAILDIR=$MAILDIR"
