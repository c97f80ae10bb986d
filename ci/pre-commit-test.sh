#!/usr/bin/env bash
# Runs the hooks of .pre-commit-hooks.yaml with the real pre-commit on a
# temporary repository holding the management spec and its golden tree:
# current files pass both hooks; a stale golden file fails tiergen-check,
# with the diff; a lint error fails tiergen-lint.
#
# usage: ci/pre-commit-test.sh PRE_COMMIT TIERGEN_BIN_DIR
set -euo pipefail

PRE_COMMIT=$1
BIN_DIR=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PATH="$BIN_DIR:$PATH" PRE_COMMIT_HOME="$WORK/cache"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com

fail() { echo "pre-commit test: $*" >&2; exit 1; }

repo="$WORK/repo"
mkdir -p "$repo"
cp -r "$ROOT/spec" "$ROOT/golden" "$repo/"
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" commit -qm "spec and golden"

# try-repo runs the hooks exactly as this repository ships them.
hook() { (cd "$repo" && "$PRE_COMMIT" try-repo "$ROOT" "$1" --all-files) >"$WORK/out" 2>&1; }

hook tiergen-check || { cat "$WORK/out"; fail "tiergen-check failed on a current tree"; }
hook tiergen-lint || { cat "$WORK/out"; fail "tiergen-lint failed on the management spec"; }
echo "    current tree: tiergen-check and tiergen-lint pass"

echo "hand edit" >>"$repo/golden/docs/index.md"
git -C "$repo" add -A
if hook tiergen-check; then cat "$WORK/out"; fail "tiergen-check passed a stale golden file"; fi
grep -q "docs/index.md" "$WORK/out" || { cat "$WORK/out"; fail "the failure does not name the stale file"; }
grep -q "+hand edit\|-hand edit" "$WORK/out" || { cat "$WORK/out"; fail "the failure shows no diff"; }
echo "    stale golden/docs/index.md: tiergen-check fails with its diff"

git -C "$repo" checkout -q -- golden
# An operation that changes state with no credential: lint's error level.
python3 - "$repo/spec/management.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
text += """  /bundles/wipe:
    post:
      operationId: unguardedWipe
      security: []
      responses:
        "204": { description: Wiped. }
"""
open(path, "w").write(text)
PY
git -C "$repo" add -A
if hook tiergen-lint; then cat "$WORK/out"; fail "tiergen-lint passed an unauthenticated mutation"; fi
grep -q "unauthenticated-mutation" "$WORK/out" || { cat "$WORK/out"; fail "the failure does not name the rule"; }
echo "    unauthenticated POST: tiergen-lint fails naming the rule"
