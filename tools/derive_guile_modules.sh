#!/bin/sh
# List the modules GNU Guile 3.0 installs (every .scm file of its module directory whose
# define-module / library names it by its place), one per line, into stdlib/guile-modules.txt:
# the missing-module hint says a module is Guile's rather than "neither Guix nor nonguix".
# Needs `guile` (Debian: guile-3.0).  Usage: tools/derive_guile_modules.sh
set -e
cd "$(dirname "$0")/.."
dir=$(guile --no-auto-compile -c '(display (%library-dir))')
{
  echo "# Modules of GNU Guile $(guile --no-auto-compile -c '(display (version))'), from tools/derive_guile_modules.sh; do not edit."
  cd "$dir"
  find . -name '*.scm' | sed 's|^\./||; s|\.scm$||' | LC_ALL=C sort | while read -r rel; do
    name=$(echo "$rel" | tr '/' ' ')
    pattern=$(echo "$name" | sed 's/ /[[:space:]]\\+/g')
    if grep -q "(\(define-module\|library\)[[:space:]]\+($pattern\([[:space:]]*([^)]*)\)\?)" "$rel.scm"; then
      echo "$name"
    fi
  done
} >stdlib/guile-modules.txt
