#!/usr/bin/env bash
# Tests the web app (frontend/): installs Chromium and CJK fonts when missing,
# npm ci, checks the generated GraphQL types are fresh, type-checks, runs the
# unit and component tests, builds (reporting the first page's size against
# its budget), then runs the end-to-end tests in headless Chromium against
# the real Go server with the demo data. Screenshots: frontend/test-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

say() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  say "installing Chromium and CJK fonts from Debian packages"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd frontend
say "npm ci"
npm ci --no-audit --no-fund --loglevel=error
sha256sum package-lock.json | cut -d' ' -f1 > node_modules/.package-lock.sha256

say "generated GraphQL types are fresh (npm run codegen)"
cp -r src/gql "$tmp/gql.before"
npm run --silent codegen >/dev/null
if ! diff -r "$tmp/gql.before" src/gql >/dev/null; then
  echo "npm run codegen changed src/gql: the GraphQL documents or schema.graphql changed; commit the regenerated files" >&2
  diff -r "$tmp/gql.before" src/gql | head -40 >&2
  exit 1
fi

say "API contract: no breaking change to schema.graphql against the released docs/api/released.graphql (docs/api/CHANGELOG.md)"
node scripts/check-schema.mjs

say "type check (vue-tsc)"
npm run --silent typecheck

say "unit and component tests (vitest)"
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?
node -e 'const r = require("./test-results/vitest.json"); console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'
[ "$status" = 0 ] || exit "$status"

say "build (first-page size budget: 250 KB gzip)"
npm run --silent build

say "end-to-end tests (headless Chromium, Go server with demo data)"
(cd .. && go build -o "$tmp/yanzhen" ./server)
YANZHEN_BIN="$tmp/yanzhen" node e2e/run.mjs

echo "frontend tests took $(( $(date +%s) - started )) s"
