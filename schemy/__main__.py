"""``python -m schemy`` runs the command line (used by program-file scripts)."""

from schemy.cli.launch import main

main()
