#!/usr/bin/env bash
# Runs every test of Yanzhen on a fresh machine: makes PostgreSQL available
# (installing it from Debian packages when nothing answers on 127.0.0.1:5432),
# creates a throwaway database, checks that generated code is fresh, and runs
# the Go tests on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

ensure_postgres() {
  if ! pg_answers; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      say "installing PostgreSQL from Debian packages"
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
    fi
    say "starting PostgreSQL"
    for v in $(ls /etc/postgresql); do
      as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
    pg_answers || { echo "PostgreSQL did not start" >&2; exit 1; }
  fi
  if ! command -v psql >/dev/null; then
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql-client >/dev/null
  fi
  PG_BASE="postgres://postgres@127.0.0.1:5432"
  if ! psql "$PG_BASE/postgres?sslmode=disable" -Atqc 'select 1' >/dev/null 2>&1; then
    # A fresh Debian cluster wants a password over TCP: give the superuser one.
    as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'yanzhen-test'\"" >/dev/null
    PG_BASE="postgres://postgres:yanzhen-test@127.0.0.1:5432"
  fi
  TEST_DB="yanzhen_test_$(date +%s)_$$"
  psql "$PG_BASE/postgres?sslmode=disable" -qc "CREATE DATABASE $TEST_DB" >/dev/null
  trap 'psql "$PG_BASE/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $TEST_DB" >/dev/null 2>&1 || true' EXIT
  export TEST_DATABASE_URL="$PG_BASE/$TEST_DB?sslmode=disable"
}

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  ensure_postgres
fi
echo "PostgreSQL for tests: ${TEST_DATABASE_URL%%\?*}"

say "generated code is fresh (go generate ./...)"
before=$(git status --porcelain 2>/dev/null || true)
go generate ./...
after=$(git status --porcelain 2>/dev/null || true)
if [ "$before" != "$after" ]; then
  echo "go generate changed committed files: commit the regenerated code" >&2
  git status --porcelain >&2
  git --no-pager diff --stat >&2
  exit 1
fi

say "go.mod is tidy"
go mod tidy -diff

say "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change these files (run gofmt -w):" >&2
  echo "$unformatted" >&2
  exit 1
fi

say "go vet"
go vet ./...

say "staticcheck (the generated ent client excepted; its schema is checked)"
go tool staticcheck $(go list ./... | grep -vE '^yanzhen/ent(/|$)') yanzhen/ent/schema

say "go test -race (SQLite and PostgreSQL)"
log=$(mktemp)
go_status=0
# Packages run two at a time on two cores; the graph and server packages
# take several minutes each under -race on both engines, more than go
# test's default limit of 10 minutes per package when the machine is busy.
go test -race -count=1 -timeout 40m -v ./... > "$log" 2>&1 || go_status=$?
grep -E '^(ok|FAIL|panic:|--- FAIL)|^\s+--- FAIL' "$log" || true
go_passed=$(grep -cE '^\s*--- PASS' "$log" || true)
go_failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
echo "go: $go_passed passed, $go_failed failed"
if [ "$go_status" != 0 ]; then
  echo "go test failed; its full output:" >&2
  grep -vE '^\s*(=== RUN|=== PAUSE|=== CONT|--- PASS)' "$log" | tail -200 >&2
  exit "$go_status"
fi
rm -f "$log"

say "web app (scripts/test-frontend.sh): codegen check, type check, vitest, build budget, e2e in Chromium"
web=$(mktemp)
bash scripts/test-frontend.sh 2>&1 | tee "$web"
count() { sed -nE "s/^$1: ([0-9]+) passed, ([0-9]+) failed.*/\\$2/p" "$web" | tail -1; }
vp=$(count vitest 1); vf=$(count vitest 2); ep=$(count e2e 1); ef=$(count e2e 2)
total_passed=$(( go_passed + ${vp:-0} + ${ep:-0} ))
total_failed=$(( go_failed + ${vf:-0} + ${ef:-0} ))
rm -f "$web"
echo
echo "all: $total_passed passed, $total_failed failed"
