#!/usr/bin/env bash
# make install / make uninstall: the runtime image (make image) under PREFIX/lib/llm-api-router and
# the command PREFIX/bin/llm-api-router, a link to the image's launcher (the launcher follows the
# link to find its image). Usage: install.sh install|uninstall PREFIX.
#
# Uninstall removes exactly what install wrote: the image, the link (only while it still points
# into the image) and the folders install had to create, when they are empty again. Install
# records those folders in the image (lib/llm-api-router/install.dirs, present even when empty:
# it marks the folder as ours, and neither command deletes a folder without it).
set -euo pipefail
umask 022 # under sudo too: the service's own user must be able to read the image
action=${1:?usage: install.sh install|uninstall PREFIX}
prefix=${2:?usage: install.sh install|uninstall PREFIX}
case $prefix in
  /) ;;
  */) prefix=${prefix%/} ;;
esac
case $prefix in
  /*) ;;
  *) prefix=$PWD/$prefix ;;
esac
cd "$(dirname "$0")/../../.."
home=${prefix%/}/lib/llm-api-router
command=${prefix%/}/bin/llm-api-router
target=../lib/llm-api-router/bin/llm-api-router
marker=$home/install.dirs

ours() { [ -f "$marker" ]; }

case $action in
  install)
    [ -x target/image/bin/llm-api-router ] || { echo "install: target/image missing: run make image" >&2; exit 1; }
    if { [ -e "$command" ] || [ -L "$command" ]; } && [ "$(readlink "$command" 2>/dev/null)" != "$target" ]; then
      echo "install: $command exists and is not ours: move it away first" >&2
      exit 1
    fi
    if [ -e "$home" ] && ! ours; then
      echo "install: $home exists and was not made by make install: move it away first" >&2
      exit 1
    fi
    # The folders this install creates, from the top down; a reinstall keeps the first list.
    created=()
    if ours; then
      mapfile -t created <"$marker"
    fi
    for dir in "${prefix%/}/lib" "${prefix%/}/bin"; do
      missing=()
      d=$dir
      while [ ! -d "$d" ]; do
        missing=("$d" ${missing[@]+"${missing[@]}"})
        d=$(dirname "$d")
      done
      for m in ${missing[@]+"${missing[@]}"}; do
        mkdir "$m"
        created+=("$m")
      done
    done
    # A copy next to the old image, then swapped in: a failed copy leaves the old one in place.
    # A plain copy: the image holds every class in lib/modules, so its AOT cache stays valid.
    staging=$home.new.$$
    rm -rf "$staging"
    cp -r target/image "$staging"
    printf '%s\n' ${created[@]+"${created[@]}"} | sed '/^$/d' | sort -u >"$staging/install.dirs"
    rm -rf "$home"
    mv "$staging" "$home"
    ln -sfn "$target" "$command"
    echo "installed: $command -> $home ($(du -sh "$home" | cut -f1))"
    case ":$PATH:" in
      *":${prefix%/}/bin:"*) ;;
      *) echo "note: ${prefix%/}/bin is not on your PATH; add it, e.g. export PATH=\"${prefix%/}/bin:\$PATH\"" ;;
    esac
    ;;
  uninstall)
    created=()
    if [ -L "$command" ] && [ "$(readlink "$command")" = "$target" ]; then
      rm -f "$command"
      echo "removed: $command"
    fi
    if ours; then
      mapfile -t created <"$marker"
      rm -rf "$home"
      echo "removed: $home"
    elif [ -e "$home" ]; then
      echo "uninstall: $home was not made by make install: left in place" >&2
    fi
    # Deepest first: PREFIX/lib and PREFIX/bin before PREFIX.
    printf '%s\n' ${created[@]+"${created[@]}"} | sort -r | while IFS= read -r dir; do
      if [ -n "$dir" ] && rmdir "$dir" 2>/dev/null; then echo "removed: $dir/"; fi
    done
    ;;
  *)
    echo "usage: install.sh install|uninstall PREFIX" >&2
    exit 2
    ;;
esac
