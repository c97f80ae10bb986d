#!/usr/bin/env bash
# Generates the Rust client for GitHub's REST API (the largest public
# OpenAPI document we know: 13 MB of JSON, 1,223 operations) and builds it,
# then prints what it cost: generate time and peak memory, the crate's size,
# the cold build time, and the compiler's errors and warnings.
#
#   scripts/github-client.sh            generate and build (debug, cold)
#   scripts/github-client.sh --clippy   also run clippy with -D warnings
#   scripts/github-client.sh --warm     keep the build folder (not a cold build)
#
# Needs cargo and npm. The spec comes from the npm package @octokit/openapi,
# installed once into the cache folder. Settings (environment):
#   OCTOKIT_OPENAPI_VERSION  the package version (default 23.0.2)
#   TIERGEN_CACHE            cache folder (default ${XDG_CACHE_HOME:-~/.cache}/tiergen)
#   GITHUB_CLIENT_OUT        where the crate is written (default $TIERGEN_CACHE/github-client);
#                            it must not lie inside another cargo workspace
#   GITHUB_CLIENT_TARGET     its cargo target folder (default $TIERGEN_CACHE/github-target)
# Exit status: 0 when the crate builds (and, with --clippy, lints) cleanly.

set -euo pipefail

clippy=false
warm=false
for argument in "$@"; do
    case "$argument" in
        --clippy) clippy=true ;;
        --warm) warm=true ;;
        -h | --help)
            sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "unknown argument: $argument (see --help)" >&2
            exit 2
            ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${OCTOKIT_OPENAPI_VERSION:-23.0.2}"
cache="${TIERGEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tiergen}"
packages="$cache/octokit-openapi-$version"
spec="$packages/node_modules/@octokit/openapi/generated/api.github.com.json"
out="${GITHUB_CLIENT_OUT:-$cache/github-client}"
target="${GITHUB_CLIENT_TARGET:-$cache/github-target}"
logs="$cache/github-logs"
mkdir -p "$cache" "$logs"

# Wall-clock seconds of a command, with bash's own timer (portable).
TIMEFORMAT=%R
seconds() {
    { time "$@" >/dev/null 2>&1; } 2>&1 | tail -n 1
}

# Peak resident memory of a command in MB, where the system's `time` can
# tell (GNU `-v`, BSD `-l`); "unknown" elsewhere.
peak_mb() {
    local report="$logs/time.txt"
    if /usr/bin/time -v true >/dev/null 2>&1; then
        /usr/bin/time -v "$@" >/dev/null 2>"$report" || { cat "$report" >&2; return 1; }
        awk -F: '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$report"
    elif /usr/bin/time -l true >/dev/null 2>&1; then
        /usr/bin/time -l "$@" >/dev/null 2>"$report" || { cat "$report" >&2; return 1; }
        awk '/maximum resident set size/ { printf "%d", $1 / 1048576 }' "$report"
    else
        printf unknown
    fi
}

if [ ! -f "$spec" ]; then
    echo "installing @octokit/openapi@$version into $packages"
    mkdir -p "$packages"
    npm install --prefix "$packages" --no-audit --no-fund "@octokit/openapi@$version" >/dev/null
fi

echo "building tiergen (release)"
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
tiergen="${CARGO_TARGET_DIR:-$root/target}/release/tiergen"

generate=("$tiergen" generate --spec "$spec" --no-overlay --only rust --out "$out")
rm -rf "$out"
generate_seconds="$(seconds "${generate[@]}")"
# Again from scratch, under the system's `time` (which runs programs, not
# shell functions), for the memory.
rm -rf "$out"
generate_peak="$(peak_mb "${generate[@]}")"
if [ ! -f "$out/rust/Cargo.toml" ]; then
    "${generate[@]}"
fi

operations="$(grep -c '^    pub async fn ' "$out"/rust/src/*.rs | awk -F: '{ n += $2 } END { print n }')"
lines="$(cat "$out"/rust/src/*.rs | wc -l | tr -d ' ')"
bytes="$(cat "$out"/rust/src/*.rs | wc -c | tr -d ' ')"

if [ "$warm" = false ]; then
    rm -rf "$target"
fi
build() {
    (cd "$out/rust" && CARGO_TARGET_DIR="$target" cargo build --message-format short) \
        >"$logs/build.log" 2>&1
}
build_status=0
{ time build; } 2>"$logs/build-time.txt" || build_status=$?
build_seconds="$(tail -n 1 "$logs/build-time.txt")"
errors="$(grep -c 'error\[' "$logs/build.log" || true)"
warnings="$(grep -c ': warning: ' "$logs/build.log" || true)"

clippy_status=0
clippy_findings="not run"
if [ "$clippy" = true ]; then
    (cd "$out/rust" && CARGO_TARGET_DIR="$target" cargo clippy --message-format short -- -D warnings) \
        >"$logs/clippy.log" 2>&1 || clippy_status=$?
    clippy_findings="$(grep -c ': error: \|: warning: ' "$logs/clippy.log" || true)"
fi

cat <<EOF

GitHub REST API ($version) → Rust client
  spec                $spec
  crate               $out/rust ($operations methods)
  generate            ${generate_seconds} s, peak ${generate_peak} MB
  crate size          $lines lines, $bytes bytes of Rust
  build (debug, $([ "$warm" = true ] && echo warm || echo cold))  ${build_seconds} s
  compile errors      $errors
  compile warnings    $warnings
  clippy -D warnings  $clippy_findings findings
  logs                $logs
EOF

if [ "$build_status" -ne 0 ]; then
    grep 'error' "$logs/build.log" | head -n 20 >&2
    exit 1
fi
if [ "$clippy_status" -ne 0 ]; then
    grep ': error: \|: warning: ' "$logs/clippy.log" | head -n 20 >&2
    exit 1
fi
