"""What the compiler remembers about the Python code it generated, for error reports."""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import SourceLocation

# code filename -> list of locations per line (index = line number)
LINE_LOCS: dict[str, list] = {}
# code filename -> generated source lines (for error analysis)
SOURCES: dict[str, list[str]] = {}
# code filename -> {Python expression text: location of the Scheme form it computes}; at error
# time the failing instruction's columns pick the innermost form (no run-time cost).
EXPR_LOCS: dict[str, dict[str, SourceLocation]] = {}
# generated function name -> (scheme name, formals text, location[, docstring]), filled while a
# unit is generated and read when an arity error names the procedure.
PENDING_INFO: dict[str, tuple[Any, ...]] = {}
