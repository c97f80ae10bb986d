#!/usr/bin/env bash
# The install step of action.yml: builds tiergen into DIR (`DIR/bin/tiergen`)
# unless DIR already holds a build of these very sources, as it does when
# actions/cache restored it. The build's key (tiergen's version and a hash
# of every source file that goes into the binary) is written to DIR/key, and
# printed as `key=…` for the cache step to use (a GITHUB_OUTPUT line).
#
# usage: action-install.sh KEY-ONLY|INSTALL DIR
set -euo pipefail

mode=$1
dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)

key() {
  local version sources
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)
  # Every file cargo reads for the binary: the manifests, the lock file, the
  # build script, the library and binary sources and the templates.
  sources=$(cd "$root" && find Cargo.toml Cargo.lock build.rs src templates -type f 2>/dev/null | LC_ALL=C sort |
    xargs sha256sum | sha256sum | cut -c1-16)
  echo "tiergen-$version-$sources"
}

wanted=$(key)
echo "key=$wanted"
[ "$mode" = key-only ] && exit 0

if [ -x "$dir/bin/tiergen" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$wanted" ]; then
  echo "tiergen: using the cached build $wanted" >&2
  exit 0
fi
echo "tiergen: building $wanted (no cached build of these sources)" >&2
cargo install --locked --path "$root" --root "$dir" --force
echo "$wanted" >"$dir/key"
