"""Tables of primitive procedures, one module per area.

Each module ends with ``PRIMITIVES: dict[str, Callable]`` mapping Scheme names
to plain Python functions; the interpreter installs every table in
``ALL_TABLES`` into the core module.
"""

from __future__ import annotations

from typing import Any

from schemy.runtime.primitives import (
    bytevectors,
    chars,
    equality,
    format,
    hashtables,
    lists,
    numbers,
    strings,
    symbols,
    vectors,
)

ALL_TABLES: list[dict[str, Any]] = [
    numbers.PRIMITIVES,
    equality.PRIMITIVES,
    lists.PRIMITIVES,
    chars.PRIMITIVES,
    strings.PRIMITIVES,
    symbols.PRIMITIVES,
    vectors.PRIMITIVES,
    bytevectors.PRIMITIVES,
    hashtables.PRIMITIVES,
    format.PRIMITIVES,
]
