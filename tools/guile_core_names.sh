#!/bin/sh
# List the bindings of Guile 3.0's core module, (guile), that schemy's core lacks, one per
# line.  Needs `guile` (Debian: guile-3.0).  Usage: tools/guile_core_names.sh [--all]
#   --all  print every Guile core name with "ok" or "missing"
set -e
cd "$(dirname "$0")/.."
guile_names=$(mktemp); schemy_names=$(mktemp)
trap 'rm -f "$guile_names" "$schemy_names"' EXIT
guile --no-auto-compile -c \
  "(for-each (lambda (n) (display (symbol->string n)) (newline)) (module-map (lambda (k v) k) (resolve-module '(guile))))" \
  | LC_ALL=C sort -u >"$guile_names"
.venv/bin/python -c '
from schemy.app import Interpreter
for name in Interpreter().core.table:
    print(name.name)
' | LC_ALL=C sort -u >"$schemy_names"
if [ "$1" = "--all" ]; then
    LC_ALL=C join -a1 -e missing -o 0,2.1 "$guile_names" "$schemy_names" | awk '{print $1, ($2 == "missing" ? "missing" : "ok")}'
else
    LC_ALL=C comm -23 "$guile_names" "$schemy_names"
fi
