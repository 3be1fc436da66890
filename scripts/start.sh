#!/usr/bin/env bash
# The newcomer's one command: builds the web app (frontend/) and starts the
# server with it at http://localhost:8080. Arguments go to the server
# (e.g. `scripts/start.sh serve -addr :8080`). Needs Go and Node.js 20.19+.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "start.sh: Node.js 20.19 or newer (with npm) is needed to build the web app" >&2
  exit 1
fi

cd frontend
# npm ci when the dependencies are missing or the lock file changed since they were installed.
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== installing the web app's dependencies (npm ci)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
echo "== building the web app (vite, about 30 seconds)"
npm run build
cd ..

# go run would compile in silence for a minute on a cold cache: say so, build,
# then start the binary.
echo "== compiling the server (Go; about a minute the first time, seconds after)"
mkdir -p bin
go build -o bin/yanzhen ./server 2>&1 | sed 's/^/   /'
echo "== starting: the server creates or migrates data/yanzhen.db, loads the demo on first start, then serves http://localhost:8080"
exec bin/yanzhen "$@"
