"""README's tour runs as printed: after what `make run` does, every command of the tour
succeeds, in order, from a copy of the repository's examples."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tour_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    block = re.search(r"## A short tour\n.*?```sh\n(.*?)```", text, re.S)
    assert block, "README has no tour"
    return [line for line in block.group(1).splitlines() if line.strip()]


def make_run_command() -> list[str]:
    """The main job of `make run`, as the Makefile writes it."""
    makefile = (REPO / "Makefile").read_text()
    m = re.search(r"\$\(BIN\)/schemy (reconfigure \S+) --root \$\(ROOT\)", makefile)
    assert m, "make run no longer reconfigures an example"
    return m.group(1).split()


def test_the_tour_starts_from_what_make_run_leaves():
    lines = tour_commands()
    assert lines[0] == ". .venv/bin/activate"
    assert lines[1].startswith("export SCHEMY_ROOT=$PWD/demo-root")
    assert make_run_command() == ["reconfigure", "examples/demo.scm"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="the tour draws a graph with dot: apt-get install graphviz")
def test_every_command_of_the_readme_tour_runs_as_printed(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("SCHEMY_ROOT", None)
    env["EDITOR"], env["VISUAL"] = "true", ""  # `system edit` would otherwise wait for a person
    root = tmp_path / "demo-root"
    subprocess.run([str(BIN / "schemy"), *make_run_command(), "--root", str(root)], cwd=tmp_path, env=env,
                   stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    lines = tour_commands()[1:]  # the venv's bin is on PATH already
    outputs = []
    try:
        for line in lines:
            command = line.split("  #")[0].strip()
            script = f"set -eo pipefail\n{lines[0]}\n{command}\n"
            r = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=300)
            assert r.returncode == 0, f"README tour: `{command}` failed ({r.returncode}):\n{r.stdout}{r.stderr}"
            outputs.append((command, r.stdout))
    finally:
        for r in (root, tmp_path / "second-root"):
            subprocess.run([str(BIN / "schemy"), "herd", "--root", str(r), "stop", "root"], env=env,
                           capture_output=True, timeout=120)
    said = dict(outputs)
    assert said["schemy eval -e '(map 1+ (iota 3))'"] == "(1 2 3)\n"
    assert said["schemy run examples/args.scm one two"] == '("examples/args.scm" "one" "two")\n'
    assert "+ service build-vm" in said["schemy reconfigure examples/demo-build-vm.scm"]
    assert said["schemy herd configuration build-vm"].startswith("CPU: Skylake-Client\n")
    assert "switched from the current generation to generation 1" in said["schemy system roll-back"]
    assert said["schemy system shell -- stat -c %G /run/libvirt/libvirt-sock"] == "libvirt\n"
    assert said["schemy system shell -- virsh -c qemu:///system uri"].strip() == "qemu:///system"
    second = said["schemy herd --root second-root status"]
    assert all(f" + {name}\n" in second for name in ("hello-web", "libvirtd", "virtlogd")), second
    assert (tmp_path / "ganeti.svg").read_text().lstrip().startswith("<?xml")
