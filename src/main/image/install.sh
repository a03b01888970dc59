#!/usr/bin/env bash
# make install / make uninstall: the runtime image (make image) under PREFIX/lib/llm-api-router and
# the command PREFIX/bin/llm-api-router, a link to the image's launcher (the launcher follows the
# link to find its image). Usage: install.sh install|uninstall PREFIX.
#
# Uninstall removes exactly what install wrote: the image, the link (only while it still points
# into the image) and the folders install had to create, when they are empty again. Install
# records those folders in the image (lib/llm-api-router/install.dirs).
set -euo pipefail
action=${1:?usage: install.sh install|uninstall PREFIX}
prefix=${2:?usage: install.sh install|uninstall PREFIX}
prefix=${prefix%/}
case $prefix in
  /*) ;;
  *) prefix=$PWD/$prefix ;;
esac
cd "$(dirname "$0")/../../.."
home=$prefix/lib/llm-api-router
command=$prefix/bin/llm-api-router
target=../lib/llm-api-router/bin/llm-api-router

case $action in
  install)
    [ -x target/image/bin/llm-api-router ] || { echo "install: target/image missing: run make image" >&2; exit 1; }
    if [ -e "$command" ] && [ "$(readlink "$command" 2>/dev/null)" != "$target" ]; then
      echo "install: $command exists and is not ours: move it away first" >&2
      exit 1
    fi
    created=()
    for dir in "$prefix" "$prefix/lib" "$prefix/bin"; do
      if [ ! -d "$dir" ]; then
        mkdir "$dir"
        created+=("$dir")
      fi
    done
    # A reinstall keeps the folders the first install created on its list.
    if [ -f "$home/install.dirs" ]; then
      mapfile -t before <"$home/install.dirs"
      created+=("${before[@]}")
    fi
    rm -rf "$home"
    # A plain copy: the image holds every class in lib/modules, so its AOT cache stays valid.
    cp -r target/image "$home"
    if [ ${#created[@]} -gt 0 ]; then
      printf '%s\n' "${created[@]}" | sort -u >"$home/install.dirs"
    fi
    ln -sfn "$target" "$command"
    echo "installed: $command -> $home ($(du -sh "$home" | cut -f1))"
    case ":$PATH:" in
      *":$prefix/bin:"*) ;;
      *) echo "note: $prefix/bin is not on your PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" ;;
    esac
    ;;
  uninstall)
    created=()
    if [ -f "$home/install.dirs" ]; then
      mapfile -t created <"$home/install.dirs"
    fi
    if [ -L "$command" ] && [ "$(readlink "$command")" = "$target" ]; then
      rm -f "$command"
      echo "removed: $command"
    fi
    if [ -d "$home" ]; then
      rm -rf "$home"
      echo "removed: $home"
    fi
    # Deepest first: PREFIX/lib and PREFIX/bin before PREFIX.
    printf '%s\n' "${created[@]}" | sort -r | while IFS= read -r dir; do
      if [ -n "$dir" ] && rmdir "$dir" 2>/dev/null; then echo "removed: $dir/"; fi
    done
    ;;
  *)
    echo "usage: install.sh install|uninstall PREFIX" >&2
    exit 2
    ;;
esac
