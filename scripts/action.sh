#!/usr/bin/env bash
# The step of action.yml, runnable anywhere: `tiergen check`, `tiergen lint`,
# and `tiergen diff` of the spec against the base branch, each run even when
# an earlier one failed. Each finding is also written as a workflow command
# (`--format github`), which GitHub shows as an annotation on the pull
# request's line; the diff's markdown report is appended to
# $GITHUB_STEP_SUMMARY when that is set. Uploads nothing anywhere. Exits 1
# when any of the three failed.
#
# environment:
#   TIERGEN_SPEC      the spec (default spec/management.yaml)
#   TIERGEN_OUT       the artifacts folder (default golden)
#   TIERGEN_LINT_CONFIG  the lint config (rule levels); empty: X.lint.yaml
#                     beside spec X.yaml, when it exists
#   TIERGEN_FAIL_ON   diff classes that fail (default breaking,security), or
#                     breaking-without-major
#   TIERGEN_POLICY    the change policy; empty: X.diff.yaml beside the spec
#   TIERGEN_BASE_REF  the base branch; empty skips the diff. Read from the
#                     local branch of that name, else fetched from origin.
set -uo pipefail

spec=${TIERGEN_SPEC:-spec/management.yaml}
out=${TIERGEN_OUT:-golden}
lint_config=${TIERGEN_LINT_CONFIG:-}
fail_on=${TIERGEN_FAIL_ON:-breaking,security}
policy=${TIERGEN_POLICY:-}
base=${TIERGEN_BASE_REF:-}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
failed=()

echo "::group::tiergen check"
if ! tiergen check --spec "$spec" --out "$out"; then
  failed+=(check)
  tiergen check --spec "$spec" --out "$out" --format github || true
fi
echo "::endgroup::"

echo "::group::tiergen lint"
lint=(tiergen lint --spec "$spec" ${lint_config:+--lint-config "$lint_config"})
"${lint[@]}" || failed+=(lint)
"${lint[@]}" --format github 2>/dev/null | grep '^::' || true
echo "::endgroup::"

if [ -n "$base" ]; then
  echo "::group::tiergen diff against $base"
  if git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    rev=$base
  else
    git fetch --quiet --depth=1 origin "$base" && rev=FETCH_HEAD
  fi
  if [ -z "${rev:-}" ]; then
    echo "tiergen diff: cannot find the base branch $base" >&2
    failed+=(diff)
  elif git cat-file -e "$rev:$spec" 2>/dev/null; then
    report=$(mktemp)
    diff=(tiergen diff "git:$rev:$spec" "$spec" --fail-on "$fail_on" ${policy:+--policy "$policy"})
    "${diff[@]}" --format markdown >"$report" || failed+=(diff)
    cat "$report"
    cat "$report" >>"$summary"
    rm -f "$report"
    "${diff[@]}" --format github 2>/dev/null | grep '^::' || true
  else
    echo "tiergen diff: $spec is new on this branch; nothing to compare" | tee -a "$summary"
  fi
  echo "::endgroup::"
fi

if [ "${#failed[@]}" -gt 0 ]; then
  echo "tiergen: failed: ${failed[*]}" >&2
  exit 1
fi
