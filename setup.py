"""Packaging hook: a wheel of schemy carries the Scheme library (stdlib/) and the reader's
grammar (grammar/) under schemy/_share/, where schemy.lang.resources finds them when schemy
runs from an installed wheel rather than from a checkout (``schemy deploy`` installs such a
wheel on targets that lack schemy).  Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithShare(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads stdlib/ and grammar/ from the checkout
        here = Path(__file__).resolve().parent
        share = Path(self.build_lib) / "schemy" / "_share"
        for name in ("stdlib", "grammar"):
            target = share / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(here / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.go"))


setup(cmdclass={"build_py": BuildPyWithShare})
