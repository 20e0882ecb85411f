"""Where schemy's own files are, and its version: facts every layer may read."""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"
PROJECT_DIR = Path(__file__).resolve().parents[2]
STDLIB_DIR = PROJECT_DIR / "stdlib"
GRAMMAR_PATH = PROJECT_DIR / "grammar" / "scheme.lark"
