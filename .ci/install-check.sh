#!/usr/bin/env bash
# CI: make install into a temporary PREFIX puts a working command on the PATH (--version, check
# and serve through .ci/image-check.sh, run as the bare command name); a copy of the installed
# image made with plain `cp -r` (new timestamps) starts with nothing on stderr; make uninstall
# leaves nothing of what install wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
prefix=$root/prefix

make -s install PREFIX="$prefix" | grep -v '^note: '
[ -L "$prefix/bin/llm-api-router" ] || { echo "install-check: no $prefix/bin/llm-api-router" >&2; exit 1; }
PATH="$prefix/bin:$PATH" bash .ci/image-check.sh llm-api-router

# The copy's files are stamped now, the image's at its build (seconds ago at least).
cp -r "$prefix/lib/llm-api-router" "$root/copy"
bash .ci/image-check.sh "$root/copy/bin/llm-api-router"

make -s uninstall PREFIX="$prefix"
if [ -e "$prefix" ]; then
  echo "install-check: make uninstall left:" >&2
  find "$prefix" >&2
  exit 1
fi
echo "install-check: ok"
