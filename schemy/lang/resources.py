"""Where schemy's own files are, and its version: facts every layer may read."""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"
PROJECT_DIR = Path(__file__).resolve().parents[2]
# From a checkout (or an editable install) the Scheme library and the grammar are the
# checkout's; an installed wheel carries them under schemy/_share (see setup.py).
_SHARE = PROJECT_DIR if (PROJECT_DIR / "stdlib").is_dir() else Path(__file__).resolve().parents[1] / "_share"
STDLIB_DIR = _SHARE / "stdlib"
GRAMMAR_PATH = _SHARE / "grammar" / "scheme.lark"
