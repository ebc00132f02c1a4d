#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on 127.0.0.1, then removes it.
# The server's URL is passed as ADVOCACY_TEST_POSTGRES_URL.
set -euo pipefail
bindir=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")
data=$(mktemp -d /tmp/advocacy-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$data"
    as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bindir/initdb" -D "$data/db" -U advocacy --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -l "$data/log" -w \
    -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
cleanup() {
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$data"
}
trap cleanup EXIT
"${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U advocacy advocacy_test
export ADVOCACY_TEST_POSTGRES_URL="postgresql+psycopg://advocacy@127.0.0.1:$port/advocacy_test"
"$@"
