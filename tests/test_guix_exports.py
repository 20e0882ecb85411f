"""Every name Guix's module exports that schemy's same module defines is exported by it too:
configs reach record accessors (slim-configuration-xorg, nginx-configuration-file...) through
the module, as in Guix (tools/export_guix_names.py lists and fixes what is not)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_library_modules_export_what_guix_exports_and_they_define():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from export_guix_names import defined_but_unexported
    finally:
        sys.path.pop(0)
    assert defined_but_unexported([]) == {}
