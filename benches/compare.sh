#!/usr/bin/env bash
# Whole-process comparison of tiergen with its peers (the performance issue; see
# BENCHMARKS.md). Installs each peer at a pinned version from its registry into a
# cache folder, prepares the inputs, then times whole processes, alternating tiergen
# and peer runs (A B A B ...), and prints a markdown table of min / median / max wall
# time, peak RSS and the ratio of medians, then each target of the issue, met or missed.
#
# usage: benches/compare.sh [--runs N] [--only GROUPS]
#
#   --runs N       timed runs of each side of each row (default 5)
#   --only GROUPS  comma-separated subset of: management, github, synth, build
#                  (default: all four)
#
# environment:
#   TIERGEN_BENCH_CACHE  cache folder for the peers (default $HOME/.cache/tiergen-bench)
#   OUT                  results folder (default target/bench): compare.md (the report),
#                        compare.jsonl (one line per row), compare.jsonl.d/ (each run's output)
#   BUILD_RUNS           runs of each side of the client-build rows (default: --runs)
#   TIMEOUT              seconds one command may run before it counts as failed (default 900)
#   KEEP_WORK=1          keep the temporary work folder (inputs, outputs, crates)
#
# Needs bash, python3 (3.9+, with venv), node and npm, cargo, and java (17+) for
# openapi-generator. A peer that cannot be installed is reported as not run; the
# rest goes on.
set -euo pipefail

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$REPO_ROOT"

RUNS=5
ONLY=management,github,synth,build
while [ $# -gt 0 ]; do
  case $1 in
    --runs) [ $# -ge 2 ] || { echo "compare.sh: --runs needs a number" >&2; exit 2; }; RUNS=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || { echo "compare.sh: --only needs groups" >&2; exit 2; }; ONLY=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --runs needs a positive number, got '$RUNS'" >&2; exit 2; }
BUILD_RUNS=${BUILD_RUNS:-$RUNS}
TIMEOUT=${TIMEOUT:-900}
CACHE=${TIERGEN_BENCH_CACHE:-$HOME/.cache/tiergen-bench}
OUT=${OUT:-target/bench}
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

# Pinned peers.
OPENAPI_GENERATOR_VERSION=7.26.0   # PyPI openapi-generator-cli: the wheel bundles the jar
FASTMCP_VERSION=4.1.6              # PyPI fastmcp
NPM_PACKAGES=(
  openapi-mcp-generator@4.0.1
  widdershins@4.0.1
  openapi-format@1.33.6            # GitHub's spec 3.0 -> 3.1
  @apiture/openapi-down-convert@0.14.2  # the management spec 3.1 -> 3.0, for progenitor
  @octokit/openapi@23.0.2          # GitHub's REST spec
)
PROGENITOR_VERSION=0.15.1          # crates.io cargo-progenitor

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)

mkdir -p "$CACHE" "$OUT"
CACHE=$(cd "$CACHE" && pwd)
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/compare.jsonl
REPORT=$OUT/compare.md
MACHINE=$OUT/machine.md
rm -rf "$RESULTS" "$RESULTS.d"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiergen-bench.XXXXXX")
if [ "${KEEP_WORK:-}" = 1 ]; then
  log "work folder $WORK is kept"
else
  trap 'rm -rf "$WORK"' EXIT
fi
TIMER=(python3 "$SCRIPT_DIR/compare/timer.py")

# ---- 1. peers ------------------------------------------------------------------------
declare -A MISSING=()   # peer -> why it is not available

NPM_DIR=$CACHE/npm
NPM_BIN=$NPM_DIR/node_modules/.bin
npm_version() {  # the installed version of an npm package, or nothing
  local pj=$NPM_DIR/node_modules/$1/package.json
  [ -f "$pj" ] && python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$pj"
  return 0
}
need_npm=()
for spec in "${NPM_PACKAGES[@]}"; do
  name=${spec%@*}
  [ "$(npm_version "$name")" = "${spec##*@}" ] || need_npm+=("$spec")
done
if [ ${#need_npm[@]} -gt 0 ]; then
  if ! command -v npm >/dev/null; then
    for spec in "${need_npm[@]}"; do MISSING[${spec%@*}]="npm is not installed"; done
  else
    log "npm install ${need_npm[*]} into $NPM_DIR"
    mkdir -p "$NPM_DIR"
    [ -f "$NPM_DIR/package.json" ] || printf '{ "name": "tiergen-bench", "private": true }\n' > "$NPM_DIR/package.json"
    npm install --prefix "$NPM_DIR" --save-exact --no-audit --no-fund "${need_npm[@]}" >&2 || true
    for spec in "${need_npm[@]}"; do
      [ "$(npm_version "${spec%@*}")" = "${spec##*@}" ] || MISSING[${spec%@*}]="npm install $spec failed"
    done
  fi
fi

VENV=$CACHE/venv
PY=$VENV/bin/python
pip_version() { "$PY" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || true; }
if [ ! -x "$PY" ]; then
  log "creating venv $VENV"
  python3 -m venv "$VENV" >&2 || true
fi
for spec in "openapi-generator-cli==$OPENAPI_GENERATOR_VERSION" "fastmcp==$FASTMCP_VERSION"; do
  name=${spec%%==*}
  if [ ! -x "$PY" ]; then
    MISSING[$name]="python3 -m venv failed"
  elif [ "$(pip_version "$name")" != "${spec##*==}" ]; then
    log "pip install $spec into $VENV"
    "$PY" -m pip install --quiet "$spec" >&2 || true
    [ "$(pip_version "$name")" = "${spec##*==}" ] || MISSING[$name]="pip install $spec failed"
  fi
done
OGEN=$VENV/bin/openapi-generator-cli
if [ -z "${MISSING[openapi-generator-cli]:-}" ]; then
  if ! command -v java >/dev/null; then
    MISSING[openapi-generator-cli]="no java on PATH"
  elif ! "$OGEN" version >/dev/null 2>&1; then
    MISSING[openapi-generator-cli]="openapi-generator-cli installed but \`version\` fails (no bundled jar?)"
  fi
fi

PROGENITOR=$CACHE/cargo/bin/cargo-progenitor
progenitor_version() { grep -qsF "\"cargo-progenitor $PROGENITOR_VERSION " "$CACHE/cargo/.crates.toml" && echo "$PROGENITOR_VERSION"; return 0; }
if [ -z "$(progenitor_version)" ] || [ ! -x "$PROGENITOR" ]; then
  log "cargo install cargo-progenitor@$PROGENITOR_VERSION into $CACHE/cargo (a few minutes)"
  cargo install --locked --root "$CACHE/cargo" "cargo-progenitor@$PROGENITOR_VERSION" >&2 || true
  [ -x "$PROGENITOR" ] || MISSING[cargo-progenitor]="cargo install cargo-progenitor@$PROGENITOR_VERSION failed"
fi

for peer in "${!MISSING[@]}"; do log "not available: $peer: ${MISSING[$peer]}"; done
available() { [ -z "${MISSING[$1]:-}" ]; }

# ---- 2. tiergen and the helpers ----------------------------------------------------------
log "cargo build --release (tiergen, examples synth-spec and parse-floor)"
cargo build --release --bin tiergen --example synth-spec --example parse-floor >&2
TIERGEN=$REPO_ROOT/target/release/tiergen
FLOOR=$REPO_ROOT/target/release/examples/parse-floor
SYNTH=$REPO_ROOT/target/release/examples/synth-spec

# ---- 3. inputs -----------------------------------------------------------------------
IN=$WORK/in
mkdir -p "$IN"
MGMT=$REPO_ROOT/spec/management.yaml            # read as is, overlay beside it (tiergen)
MGMT30=$IN/management-3.0.yaml                   # a 3.0 down-conversion, for progenitor
GH30=$IN/github-3.0.json                         # @octokit/openapi, as published (3.0.3)
GH31=$IN/github-3.1.json                         # the same converted by openapi-format
if available @apiture/openapi-down-convert; then
  "$NPM_BIN/openapi-down-convert" -i "$MGMT" -o "$MGMT30" >&2 || MISSING[@apiture/openapi-down-convert]="openapi-down-convert failed on the management spec"
fi
if available @octokit/openapi; then
  cp "$NPM_DIR/node_modules/@octokit/openapi/generated/api.github.com.json" "$GH30"
  if available openapi-format; then
    log "openapi-format --convertTo 3.1 on GitHub's spec"
    "$NPM_BIN/openapi-format" "$GH30" --convertTo 3.1 -o "$GH31" >/dev/null 2>&1 \
      || MISSING[openapi-format]="openapi-format --convertTo 3.1 failed on GitHub's spec"
  fi
fi
"$SYNTH" 1000 > "$IN/synth-1000.json"
"$SYNTH" 10000 > "$IN/synth-10000.json"

# ---- 4. the machine ------------------------------------------------------------------
peer_versions() {
  local v
  v=$(pip_version openapi-generator-cli); echo "- openapi-generator-cli (PyPI) ${v:-not installed}, run with $(java -version 2>&1 | head -n 1 || echo 'no java')"
  v=$(pip_version fastmcp); echo "- fastmcp (PyPI) ${v:-not installed}, on $("$PY" --version 2>&1 || echo 'no python')"
  for spec in "${NPM_PACKAGES[@]}"; do
    v=$(npm_version "${spec%@*}"); echo "- ${spec%@*} (npm) ${v:-not installed}"
  done
  echo "- node $(node --version 2>/dev/null || echo 'not installed')"
  v=$(progenitor_version); echo "- cargo-progenitor (crates.io) ${v:-not installed}"
}
{
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || uname -m)), $(free -m | awk '/^Mem:/ { printf "%.1f", $2 / 1024 }') GiB RAM, $(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null | tr -d '"'), Linux $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo ""
  echo "tiergen $(git rev-parse --short HEAD 2>/dev/null || echo '?') built by $(rustc --version); runs per side: $RUNS (client builds: $BUILD_RUNS)."
  echo ""
  peer_versions
} > "$MACHINE"
cat "$MACHINE" >&2

# ---- 5. the rows ---------------------------------------------------------------------
T=$WORK/out
row() { "${TIMER[@]}" row "$RESULTS" "$@"; }
skip() { "${TIMER[@]}" skip "$RESULTS" "$@"; }
# tg LABEL OUTDIR [tiergen generate args]: the tiergen side of a row (a fresh --out each run)
tg() { local label=$1 out=$2; shift 2; printf '%s\0' "$label" --fresh "$out" ::: "$TIERGEN" generate --out "$out" "$@"; }
side() { mapfile -d '' -t SIDE_A < <(tg "$@"); }
files_and_bytes() {  # FILES BYTES of what tiergen generate writes for the given args
  local dir=$WORK/count
  rm -rf "$dir"
  "$TIERGEN" generate --out "$dir" "$@" >/dev/null
  printf '%s %s' "$(find "$dir" -type f | wc -l)" "$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
}
ogen() {  # ogen SPEC DIR: openapi-generator rust then markdown, as one side
  printf '%s\0' ::: "$OGEN" generate -g rust -i "$1" -o "$2/rust" \
                ::: "$OGEN" generate -g markdown -i "$1" -o "$2/markdown"
}

peer_rows() {  # peer_rows PREFIX NAME SPEC_FOR_TIERGEN SPEC_3.0 [tiergen input args]
  local p=$1 name=$2 spec=$3 spec30=$4; shift 4
  local ogen_side=() spec_args=(--spec "$spec" "$@")
  if available openapi-generator-cli; then
    side "tiergen generate" "$T/$p-a" "${spec_args[@]}"
    mapfile -d '' -t ogen_side < <(ogen "$spec" "$T/$p-ogen")
    row "$p-ogen" "$name: all four artifacts vs openapi-generator -g rust + -g markdown" "$RUNS" "$TIMEOUT" \
      "${SIDE_A[@]}" -+- "openapi-generator rust + markdown" --fresh "$T/$p-ogen" "${ogen_side[@]}"
  else skip "$p-ogen" "$name: vs openapi-generator" "${MISSING[openapi-generator-cli]}"; fi

  if available openapi-mcp-generator; then
    if [ "$p" = mgmt ]; then side "tiergen generate" "$T/$p-a" "${spec_args[@]}"
    else side "tiergen generate --only mcp" "$T/$p-a" --only mcp "${spec_args[@]}"; fi
    row "$p-omg" "$name: ${SIDE_A[0]} vs openapi-mcp-generator" "$RUNS" "$TIMEOUT" \
      "${SIDE_A[@]}" -+- "openapi-mcp-generator" --fresh "$T/$p-omg" \
      ::: "$NPM_BIN/openapi-mcp-generator" --input "$spec" --output "$T/$p-omg" --force
  else skip "$p-omg" "$name: vs openapi-mcp-generator" "${MISSING[openapi-mcp-generator]}"; fi

  if available fastmcp; then
    side "tiergen generate --only mcp" "$T/$p-a" --only mcp "${spec_args[@]}"
    row "$p-fastmcp" "$name: MCP tools vs FastMCP.from_openapi" "$RUNS" "$TIMEOUT" \
      "${SIDE_A[@]}" -+- "FastMCP.from_openapi + list_tools" --fresh "$T/$p-fastmcp" \
      ::: "$PY" "$SCRIPT_DIR/compare/fastmcp_tools.py" "$spec" "$T/$p-fastmcp.json"
  else skip "$p-fastmcp" "$name: vs FastMCP" "${MISSING[fastmcp]}"; fi

  if available widdershins; then
    side "tiergen generate --only docs" "$T/$p-a" --only docs "${spec_args[@]}"
    row "$p-widdershins" "$name: markdown vs widdershins" "$RUNS" "$TIMEOUT" \
      "${SIDE_A[@]}" -+- "widdershins" \
      ::: "$NPM_BIN/widdershins" "$spec" -o "$T/$p-widdershins.md"
  else skip "$p-widdershins" "$name: vs widdershins" "${MISSING[widdershins]}"; fi

  if ! available cargo-progenitor; then
    skip "$p-progenitor" "$name: vs progenitor" "${MISSING[cargo-progenitor]}"
  elif [ ! -f "$spec30" ]; then
    skip "$p-progenitor" "$name: vs progenitor" "no OpenAPI 3.0 form of the spec: ${MISSING[@apiture/openapi-down-convert]:-}"
  else
    side "tiergen generate --only rust" "$T/$p-a" --only rust "${spec_args[@]}"
    row "$p-progenitor" "$name: Rust client vs progenitor (on $(basename "$spec30"))" "$RUNS" "$TIMEOUT" \
      "${SIDE_A[@]}" -+- "cargo progenitor" --fresh "$T/$p-progenitor" \
      ::: "$PROGENITOR" progenitor -i "$spec30" -o "$T/$p-progenitor" -n "$p-progenitor" -v 0.1.0
  fi

  local counts
  read -r -a counts <<< "$(files_and_bytes "${spec_args[@]}")"
  side "tiergen generate" "$T/$p-a" "${spec_args[@]}"
  local floor_inputs=("$spec")
  [ "$p" = mgmt ] && floor_inputs+=("${spec%.yaml}.overlay.yaml")
  row "$p-floor" "$name: the parse-only floor (${counts[1]} bytes in ${counts[0]} files) vs tiergen generate" "$RUNS" "$TIMEOUT" \
    "parse-only floor" --fresh "$T/$p-floor" ::: "$FLOOR" "$T/$p-floor" "${counts[0]}" "${counts[1]}" "${floor_inputs[@]}" \
    -+- "${SIDE_A[@]}"
}

if wants management; then
  log "management spec"
  side "tiergen generate" "$T/check-a"
  row mgmt-check "management: check vs generate" "$RUNS" "$TIMEOUT" "${SIDE_A[@]}" \
    -+- "tiergen check" --prep "$(printf '%q generate --out %q >/dev/null' "$TIERGEN" "$T/check-b")" \
    ::: "$TIERGEN" check --out "$T/check-b"
  peer_rows mgmt management "$MGMT" "$MGMT30"
fi

if wants github; then
  if [ ! -f "$GH31" ]; then
    skip gh-all "GitHub's spec" "no GitHub spec: ${MISSING[@octokit/openapi]:-${MISSING[openapi-format]:-}}"
  else
    log "GitHub's spec"
    for only in rust mcp cli docs; do
      side "tiergen generate --only $only" "$T/gh-$only" --only "$only" --spec "$GH31"
      row "gh-only-$only" "GitHub 3.1: --only $only" "$RUNS" "$TIMEOUT" "${SIDE_A[@]}"
    done
    side "tiergen generate" "$T/gh-all" --spec "$GH31"
    row gh-all "GitHub 3.1: all four" "$RUNS" "$TIMEOUT" "${SIDE_A[@]}"
    peer_rows gh "GitHub 3.1" "$GH31" "$GH30"
  fi
fi

if wants synth; then
  log "synthetic specs"
  side "1,000 operations" "$T/synth-1k" --spec "$IN/synth-1000.json"
  A=("${SIDE_A[@]}")
  side "10,000 operations" "$T/synth-10k" --spec "$IN/synth-10000.json"
  row synth-growth "synthetic: generate, 1,000 vs 10,000 operations" "$RUNS" "$TIMEOUT" "${A[@]}" -+- "${SIDE_A[@]}"
fi

# ---- 6. the generated clients' own build ----------------------------------------------
if wants build; then
  log "client builds"
  B=$WORK/build
  mkdir -p "$B/tg/spec" "$B/og/spec"
  cp "$MGMT" "${MGMT%.yaml}.overlay.yaml" "$B/tg/spec/"
  cp "$MGMT" "$B/og/spec/"
  TG_SPEC=$B/tg/spec/management.yaml
  OG_SPEC=$B/og/spec/management.yaml
  TG_CRATE=$B/tg/out/rust
  OG_CRATE=$B/og/crate
  # One line of the spec changes: " Edited." ends the first line of the first operation
  # description written as a block, which both clients carry into a doc comment.
  # shellcheck disable=SC2016  # an awk program: its $0 is awk's
  EDIT='/^paths:/ { inpaths = 1 } { if (pending && !done) { $0 = $0 " Edited."; done = 1 } pending = 0 } inpaths && !done && /^      description: \|$/ { pending = 1 } { print }'
  "$TIERGEN" generate --only rust --spec "$TG_SPEC" --out "$B/tg/out" >&2
  og_gen=("$OGEN" generate -g rust -i "$OG_SPEC" -o "$OG_CRATE")
  og_features=(--no-default-features --features rustls)  # the same TLS stack as molecule-client
  if available openapi-generator-cli && "${og_gen[@]}" >"$WORK/og-gen.log" 2>&1; then
    OG_OK=1
  else
    OG_OK=""
  fi
  # Resolve and download the dependencies once, untimed; every timed build is --offline.
  (cd "$TG_CRATE" && cargo generate-lockfile >&2 && cargo fetch >&2)
  [ -z "$OG_OK" ] || (cd "$OG_CRATE" && cargo generate-lockfile >&2 && cargo fetch >&2)
  tg_build=(cargo build --offline --manifest-path "$TG_CRATE/Cargo.toml")
  og_build=(cargo build --offline --manifest-path "$OG_CRATE/Cargo.toml" "${og_features[@]}")
  og_why=${MISSING[openapi-generator-cli]:-openapi-generator -g rust failed: $(tail -n 1 "$WORK/og-gen.log" 2>/dev/null)}

  if [ -n "$OG_OK" ]; then
    row build-cold "management: cold cargo build of the generated client" "$BUILD_RUNS" "$TIMEOUT" \
      "molecule-client (tiergen)" --fresh "$B/tg-target" ::: env CARGO_TARGET_DIR="$B/tg-target" "${tg_build[@]}" \
      -+- "openapi-generator's crate" --fresh "$B/og-target" ::: env CARGO_TARGET_DIR="$B/og-target" "${og_build[@]}"
  else skip build-cold "management: cold cargo build vs openapi-generator's crate" "$og_why"; fi

  # The rebuild after a one-line spec change: untimed, restore the spec, regenerate and
  # build (warm); edit one line. Timed: regenerate, then cargo build.
  tg_prep=$(printf 'cp %q %q && %q generate --only rust --spec %q --out %q >/dev/null && CARGO_TARGET_DIR=%q %s && awk %q %q > %q && ! cmp -s %q %q' \
    "$MGMT" "$TG_SPEC" "$TIERGEN" "$TG_SPEC" "$B/tg/out" "$B/tg-target" "$(printf '%q ' "${tg_build[@]}")" \
    "$EDIT" "$MGMT" "$TG_SPEC" "$MGMT" "$TG_SPEC")
  og_prep=$(printf 'cp %q %q && %s >/dev/null && CARGO_TARGET_DIR=%q %s && awk %q %q > %q && ! cmp -s %q %q' \
    "$MGMT" "$OG_SPEC" "$(printf '%q ' "${og_gen[@]}")" "$B/og-target" "$(printf '%q ' "${og_build[@]}")" \
    "$EDIT" "$MGMT" "$OG_SPEC" "$MGMT" "$OG_SPEC")
  if [ -n "$OG_OK" ]; then
    row build-edit "management: regenerate + cargo build after a one-line spec change" "$BUILD_RUNS" "$TIMEOUT" \
      "molecule-client (tiergen)" --prep "$tg_prep" \
      ::: "$TIERGEN" generate --only rust --spec "$TG_SPEC" --out "$B/tg/out" \
      ::: env CARGO_TARGET_DIR="$B/tg-target" "${tg_build[@]}" \
      -+- "openapi-generator's crate" --prep "$og_prep" \
      ::: "${og_gen[@]}" \
      ::: env CARGO_TARGET_DIR="$B/og-target" "${og_build[@]}"
  else
    skip build-edit "management: rebuild after a one-line spec change vs openapi-generator's crate" "$og_why"
  fi
fi

# ---- 7. the report ---------------------------------------------------------------------
"${TIMER[@]}" report "$RESULTS" "$MACHINE" "\$WORK=$WORK" "\$CACHE=$CACHE" ".=$REPO_ROOT" > "$REPORT"
printf '\nThe whole comparison took %s s. Load average (1, 5, 15 min) at its start: %s; at its end: %s.\n' \
  "$(( $(date +%s) - START ))" "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)" >> "$REPORT"
cat "$REPORT"
log "report written to $REPORT; each run's output is under $RESULTS.d/"
