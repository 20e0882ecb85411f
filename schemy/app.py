"""The composition root: the one place that assembles an interpreter from every layer.

``schemy.eval.Interpreter`` alone is Guile: its core module holds what Guile's ``(guile)``
holds.  A program that runs Guix configurations also needs the Guix modules implemented in
Python (gexps, packages) and the Shepherd's and mcron's (for service code); this module
offers them, to be loaded when a program imports them.
"""

from __future__ import annotations

from schemy.eval import interpreter
from schemy.guix import natives as guix_natives
from schemy.shepherd import natives as shepherd_natives


class Interpreter(interpreter.Interpreter):
    """An interpreter that can load every module of schemy's library."""

    def __init__(self, load_path: list[str] | None = None, args: list[str] | None = None) -> None:
        super().__init__(load_path=load_path, args=args)
        guix_natives.install(self)
        shepherd_natives.install(self)
