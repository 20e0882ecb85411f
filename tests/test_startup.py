"""A quick command starts quickly (issue 21), and still behaves as before.

- `schemy eval -e EXPR...` runs without click (schemy.cli.launch) and gives exactly what the click
  verb gives: values, errors, exit codes; anything else goes to click.
- The Guix, Shepherd and mcron modules written in Python are imported only when a program uses them
  (and then still guarded in the sandbox).
- With PYTHONDONTWRITEBYTECODE, schemy's byte code is kept in schemy's own cache (sys.pycache_prefix),
  never next to the sources, and not when the package is already byte-compiled or caches are off.
- A sandboxed run may read schemy's caches, so modules imported late still load.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from schemy.cli.launch import plain_eval_exprs

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("SCHEMY_NO_CACHE", None)
    return {**env, **extra}


def _python(tmp_path: Path, code: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=_env(tmp_path, **extra), capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)


@pytest.mark.parametrize("args, exprs", [
    (["eval", "-e", "1"], ["1"]),
    (["eval", "-e", "(+ 1 2)", "--expr", "'x"], ["(+ 1 2)", "'x"]),
    (["eval"], None),
    (["eval", "-e"], None),
    (["eval", "-e", "1", "--sandbox"], None),
    (["eval", "--sandbox", "-e", "1"], None),
    (["eval", "-e", "-1"], None),  # a value that looks like an option: click decides
    (["eval", "-e", "1", "--help"], None),
    (["--debug", "eval", "-e", "1"], None),
    (["run", "-e", "1"], None),
])
def test_only_a_plain_eval_skips_click(args, exprs):
    assert plain_eval_exprs(args) == exprs


@pytest.mark.parametrize("exprs", [
    ["(+ 1 2)", "(values 1 'a \"s\")", "(if #f #f)", "(display \"out\")"],
    ["(define x 5)", "(* x x)"],
    ["(car 1)"],
    ["(exit 4)"],
    ["(error \"boom\" 1 2)"],
])
def test_the_quick_eval_gives_what_the_eval_verb_gives(tmp_path, exprs):
    args = [a for e in exprs for a in ("-e", e)]
    quick = subprocess.run([sys.executable, "-m", "schemy", "eval", *args], env=_env(tmp_path),
                           capture_output=True, text=True, timeout=120)
    verb = subprocess.run([sys.executable, "-m", "schemy.cli.main", "eval", *args], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert (quick.returncode, quick.stdout, quick.stderr) == (verb.returncode, verb.stdout, verb.stderr)
    assert "Traceback" not in quick.stderr


def test_a_quick_eval_imports_neither_click_nor_the_guix_and_shepherd_code(tmp_path):
    code = ("import sys\n"
            "sys.argv = ['schemy', 'eval', '-e', '(+ 40 2)']\n"
            "from schemy.cli.launch import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in ('click', 'schemy.guix.gexp', 'schemy.guix.catalogue',\n"
            "    'schemy.guix.build_utils', 'schemy.shepherd.service', 'schemy.shepherd.mcron',\n"
            "    'lark', 're2', 'socket', 'subprocess', 'dataclasses') if m in sys.modules))\n")
    first = _python(tmp_path, code)  # reads "(+ 40 2)" with the parser (lark) and caches it
    assert first.returncode == 0, first.stderr
    out = _python(tmp_path, code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["42", "[]"]


def test_python_modules_of_the_library_load_when_a_program_imports_them():
    from schemy.app import Interpreter

    interp = Interpreter()
    assert ("guix", "gexp") in interp.native_loaders and ("guix", "gexp") not in interp.native_modules
    assert interp.eval_string("(use-modules (guix gexp)) (file-like? (plain-file \"a\" \"b\"))") is True
    assert ("guix", "gexp") in interp.native_modules and ("guix", "gexp") not in interp.native_loaders
    assert interp.eval_string("(use-modules (mcron)) (procedure? job)") is True
    assert interp.eval_string("(use-modules (shepherd service)) (procedure? make-forkexec-constructor)") is True


def test_environment_readers_of_lazily_loaded_modules_are_still_guarded(tmp_path):
    out = subprocess.run([sys.executable, "-m", "schemy", "eval", "--sandbox", "-e",
                          "(use-modules (shepherd service)) (default-environment-variables)"],
                         env=_env(tmp_path, SCHEMY_TEST_SECRET="s3cr3t"), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1
    assert "sandbox: reading the environment is not allowed" in out.stderr
    assert "s3cr3t" not in out.stdout + out.stderr


def test_a_sandboxed_eval_reads_schemys_warm_caches(tmp_path):
    args = [sys.executable, "-m", "schemy", "eval", "-e", "(use-modules (guix gexp) (srfi srfi-1)) (first '(7 8))"]
    assert subprocess.run(args, env=_env(tmp_path), capture_output=True, text=True, timeout=120).stdout == "7\n"
    again = subprocess.run([*args[:4], "--sandbox", *args[4:]], env=_env(tmp_path), capture_output=True,
                           text=True, timeout=120)
    assert (again.returncode, again.stdout) == (0, "7\n"), again.stderr


def _already_compiled() -> bool:
    import schemy.cli

    here = Path(schemy.cli.__file__).parent
    return (here / "__pycache__" / f"main.{sys.implementation.cache_tag}.pyc").exists()


def test_byte_code_goes_to_schemys_cache_when_python_writes_none(tmp_path):
    code = "import sys, schemy.cli; print(sys.pycache_prefix); import schemy.app"
    out = _python(tmp_path, code, PYTHONDONTWRITEBYTECODE="1")
    assert out.returncode == 0, out.stderr
    if _already_compiled():  # `make bytecode` or pip's install: Python reads what lies there
        assert out.stdout.strip() == "None"
        return
    prefix = tmp_path / "cache" / "schemy" / "pycache"
    assert out.stdout.strip() == str(prefix)
    app = ROOT / "schemy" / "app.py"
    pyc = prefix / str(app.parent).lstrip("/") / f"app.{sys.implementation.cache_tag}.pyc"  # as Python names it
    assert pyc.is_file()
    assert (prefix.stat().st_mode & 0o777) == 0o700
    assert not (app.parent / "__pycache__").exists()


@pytest.mark.parametrize("extra", [{"SCHEMY_NO_CACHE": "1", "PYTHONDONTWRITEBYTECODE": "1"},
                                   {"PYTHONDONTWRITEBYTECODE": ""}])
def test_byte_code_is_left_to_python_otherwise(tmp_path, extra):
    env_code = "import sys, schemy.cli; print(sys.pycache_prefix)"
    env = _env(tmp_path, **extra)
    if not extra.get("PYTHONDONTWRITEBYTECODE"):
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "mine")  # the user's own choice is kept
    out = subprocess.run([sys.executable, "-c", env_code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    expected = "None" if extra.get("PYTHONDONTWRITEBYTECODE") else str(tmp_path / "mine")
    assert out.stdout.strip() == expected
    assert not (tmp_path / "cache" / "schemy" / "pycache").exists()
