#!/bin/sh
# Regenerate schemy/eval/guile_interfaces.py from the installed GNU Guile 3.0 and,
# for (guix build utils), a Guix checkout: tools/guile_interfaces.sh [GUIX-DIR]
set -e
cd "$(dirname "$0")/.."
utils=
if [ -n "$1" ]; then
    utils=$(mktemp); trap 'rm -f "$utils"' EXIT
    if [ -d "$1/.git" ] || [ -f "$1/HEAD" ]; then
        git --git-dir="$( [ -d "$1/.git" ] && echo "$1/.git" || echo "$1")" show HEAD:guix/build/utils.scm >"$utils"
    else
        cp "$1/guix/build/utils.scm" "$utils"
    fi
fi
guile --no-auto-compile tools/guile_interfaces.scm $utils >schemy/eval/guile_interfaces.py.new
mv schemy/eval/guile_interfaces.py.new schemy/eval/guile_interfaces.py
