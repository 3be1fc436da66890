#!/usr/bin/env bash
# The benchmark the project keeps (docs/performance.md, "Benchmark"): creates
# the database when missing, then runs `go run ./bench` — which loads the
# national regions and the people once, starts the server and measures.
# Not part of scripts/test.sh.
#
#   scripts/bench.sh                          # 1,000,000 people, concurrency 8 and 32, 3 rounds
#   scripts/bench.sh -postgraphile            # and PostGraphile 4.14.1 side by side
#   scripts/bench.sh -people 20000 -duration 3s -rounds 1   # a quick run
#
# BENCH_DATABASE_URL names the database (default yz_bench on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
url="${BENCH_DATABASE_URL:-postgres://postgres:yanzhen-test@127.0.0.1:5432/yz_bench?sslmode=disable}"
db="${url##*/}"; db="${db%%\?*}"
admin="${url%/*}/postgres?${url#*\?}"
if ! psql "$url" -Atc 'select 1' >/dev/null 2>&1; then
  psql "$admin" -c "create database \"$db\"" >/dev/null
fi
exec go run ./bench -database "$url" "$@"
