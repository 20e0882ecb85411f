"""The deploying machine's own schemy, as wheels a target without schemy installs.

The wheelhouse (schemy's wheel, built from this checkout, its dependencies' wheels and
pip's) is cached under ``$XDG_CACHE_HOME/schemy/deploy`` by a hash of the checkout's
sources, so it is built once per version of the code.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from schemy.deploy.ssh import DeployError
from schemy.lang.resources import PROJECT_DIR, VERSION

_lock = threading.Lock()
_SOURCES = ("schemy", "stdlib", "grammar")


@functools.cache
def source_id() -> str:
    """A hash of the checkout that the wheel is built from (identifies the installed version)."""
    h = hashlib.sha256()
    for name in ("pyproject.toml", "setup.py"):
        p = PROJECT_DIR / name
        if p.is_file():
            h.update(name.encode() + b"\0" + p.read_bytes())
    for top in _SOURCES:
        for dirpath, dirs, files in os.walk(PROJECT_DIR / top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.endswith(".egg-info"))
            for f in sorted(files):
                if f.endswith((".pyc", ".go")):
                    continue
                p = Path(dirpath) / f
                h.update(str(p.relative_to(PROJECT_DIR)).encode() + b"\0" + p.read_bytes())
    return f"{VERSION}-{h.hexdigest()[:24]}"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "deploy"


def wheelhouse(ident: str) -> Path:
    """The directory of wheels for version ``ident`` of schemy, built when missing."""
    with _lock:
        target = cache_dir() / f"wheels-{ident}"
        if (target / "complete").exists():
            return target
        if not (PROJECT_DIR / "pyproject.toml").is_file():
            raise DeployError("cannot install schemy on the target: this schemy does not run from a "
                              "checkout, so no wheel of it can be built (install schemy on the target)")
        tmp = target.with_name(target.name + f".tmp{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        for args in ([str(PROJECT_DIR)], ["--no-deps", "pip"]):
            p = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check",
                                "-w", str(tmp), *args], capture_output=True, text=True, cwd=str(PROJECT_DIR))
            if p.returncode != 0:
                errors = [ln for ln in p.stderr.splitlines() if "WARNING" not in ln and ln.strip()]
                raise DeployError("building schemy's wheel failed: " + (errors[-1] if errors else "pip failed"))
        (tmp / "complete").write_text(ident + "\n")
        try:
            os.replace(tmp, target)
        except OSError:  # another deploy built the same version meanwhile: keep its wheels
            shutil.rmtree(tmp, ignore_errors=True)
        return target
