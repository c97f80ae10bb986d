#!/usr/bin/env bash
# Build the Fumadocs site in ci/site from whatever sections are in
# content/docs/<section>/ (CI copies tiergen's generated pages there first),
# serve it on 127.0.0.1 and crawl it with crawl.mjs (status, links, #fragments,
# table shapes, one H1 per page, sidebar). Nothing is fetched from the network
# at build or run time; npm ci uses the committed package-lock.json.
#
# usage: ci/site/check.sh [--screenshot FILE.png [--screenshot-page /docs/…]] [--port N]
set -euo pipefail

SITE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${TIERGEN_CI_CACHE:-${HOME:-/tmp}/.cache/tiergen-ci}"
SCREENSHOT=""
SHOT_PAGE=""
PORT=""

usage() { echo "usage: $0 [--screenshot FILE.png [--screenshot-page /docs/...]] [--port N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshot) [ $# -ge 2 ] || usage; SCREENSHOT="$2"; shift 2 ;;
    --screenshot-page) [ $# -ge 2 ] || usage; SHOT_PAGE="$2"; shift 2 ;;
    --port) [ $# -ge 2 ] || usage; PORT="$2"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
if [ -n "$SCREENSHOT" ]; then
  case "$SCREENSHOT" in /*) ;; *) SCREENSHOT="$PWD/$SCREENSHOT" ;; esac
fi

export NEXT_TELEMETRY_DISABLED=1
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export PUPPETEER_SKIP_DOWNLOAD=1

cd "$SITE"
WORK="$(mktemp -d)"
SERVER_PID=""
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '  site: %s\n' "$*"; }
elapsed() { echo "$((SECONDS - $1))s"; }

# 1. npm ci, skipped when node_modules was installed from this lockfile by this node.
t=$SECONDS
want="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node --version)"
have=""
[ -f node_modules/.tiergen-ci-stamp ] && have="$(cat node_modules/.tiergen-ci-stamp)"
if [ "$have" = "$want" ] && [ -x node_modules/.bin/next ]; then
  step "node_modules is up to date with package-lock.json; skipping npm ci"
else
  npm ci --no-audit --no-fund --prefer-offline --cache "$CACHE/npm" --loglevel=error
  echo "$want" >node_modules/.tiergen-ci-stamp
  step "npm ci ($(elapsed "$t"))"
fi
step "next $(node -p 'require("next/package.json").version'), fumadocs-core $(node -p 'require("fumadocs-core/package.json").version'), fumadocs-ui $(node -p 'require("fumadocs-ui/package.json").version'), fumadocs-mdx $(node -p 'require("fumadocs-mdx/package.json").version')"

# 2. next build; a failure prints the whole build log.
t=$SECONDS
rm -rf .next .source
if ! node_modules/.bin/next build >"$WORK/build.log" 2>&1; then
  cat "$WORK/build.log"
  echo "site: next build FAILED ($(elapsed "$t"))" >&2
  exit 1
fi
step "next build ($(elapsed "$t"))"

# 3. serve on loopback and crawl.
if [ -z "$PORT" ]; then
  PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
fi
BASE="http://127.0.0.1:$PORT"
node_modules/.bin/next start -H 127.0.0.1 -p "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 1 120); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))' "$BASE/docs"; then
    up=1
    break
  fi
  sleep 0.5
done
if [ "$up" -ne 1 ]; then
  cat "$WORK/server.log"
  echo "site: next start did not answer on $BASE/docs" >&2
  exit 1
fi
step "serving on $BASE"

t=$SECONDS
rc=0
node crawl.mjs --base "$BASE" --site "$SITE" --table-page-out "$WORK/table-page" || rc=$?
step "crawl ($(elapsed "$t"))"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "site: crawl.mjs failed to run (exit $rc)" >&2
  exit "$rc"
fi

# 4. optional screenshot: of --screenshot-page, else of the first generated
#    page with a table.
if [ -n "$SCREENSHOT" ]; then
  page="${SHOT_PAGE:-$(cat "$WORK/table-page")}"
  if [ -z "$page" ]; then
    echo "site: no generated page has a table; no screenshot" >&2
    rc=1
  else
    chrome=/usr/lib/chromium/chromium
    [ -x "$chrome" ] || chrome="$(command -v chromium || true)"
    [ -n "$chrome" ] || { echo "site: chromium not found (apt-get install -y chromium)" >&2; exit 1; }
    # Every host but loopback resolves to nothing, and the background services
    # that phone home are off.
    rm -f "$SCREENSHOT"
    shot_rc=0
    "$chrome" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
      --user-data-dir="$WORK/chromium" --no-first-run --no-default-browser-check \
      --disable-background-networking --disable-component-update --disable-sync \
      --disable-extensions --disable-default-apps --disable-domain-reliability \
      --disable-client-side-phishing-detection --disable-breakpad --no-pings \
      --dns-prefetch-disable --metrics-recording-only \
      --disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication \
      --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
      --hide-scrollbars --virtual-time-budget=5000 \
      --window-size=1280,2000 --screenshot="$SCREENSHOT" "$BASE$page" >"$WORK/chromium.log" 2>&1 || shot_rc=$?
    if [ "$shot_rc" -ne 0 ] || [ ! -s "$SCREENSHOT" ]; then
      cat "$WORK/chromium.log" >&2
      echo "site: screenshot FAILED" >&2
      exit 1
    fi
    step "screenshot of $page -> $SCREENSHOT"
  fi
fi
exit "$rc"
