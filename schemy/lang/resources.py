"""Where schemy's own files are, and its version: facts every layer may read."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

VERSION = "0.1.0"
PROJECT_DIR = Path(__file__).resolve().parents[2]
# From a checkout (or an editable install) the Scheme library and the grammar are the
# checkout's; an installed wheel carries them under schemy/_share (see setup.py).
_SHARE = PROJECT_DIR if (PROJECT_DIR / "stdlib").is_dir() else Path(__file__).resolve().parents[1] / "_share"
STDLIB_DIR = _SHARE / "stdlib"
GRAMMAR_PATH = _SHARE / "grammar" / "scheme.lark"


@lru_cache(maxsize=1)
def removed_variables() -> dict[str, Any]:
    """What Guix's history says of names it no longer has (variables, packages and
    RECORD/FIELDs): stdlib/gnu/removed-variables.json, derived by
    tools/derive_removed_variables.py; empty when absent."""
    try:
        return json.loads((STDLIB_DIR / "gnu" / "removed-variables.json").read_text(encoding="utf-8"))["variables"]
    except (OSError, ValueError, KeyError):
        return {}
