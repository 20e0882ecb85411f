"""``python -m schemy`` runs the command line (used by program-file scripts)."""

from schemy.cli.main import main

main(prog_name="schemy")
