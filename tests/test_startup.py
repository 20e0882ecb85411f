"""A quick command starts quickly (issue 21), and still behaves as before.

- `schemy eval -e EXPR...` runs without click (schemy.cli.launch) and gives exactly what the click
  verb gives: values, errors, exit codes; anything else goes to click.
- The Guix, Shepherd and mcron modules written in Python are imported only when a program uses them
  (and then still guarded in the sandbox).
- With PYTHONDONTWRITEBYTECODE, schemy's byte code is kept in schemy's own cache (schemy.cli.bytecode),
  never next to the sources, private, checksummed, recompiled when its source changes; not used when
  the package is already byte-compiled, when Python writes byte code itself, or with caches off.
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
            "    'lark', 'schemy.lang.reader', 're2', 'socket', 'subprocess', 'dataclasses',\n"
            "    'hashlib', 'random', '_socket', 'select', 'signal')\n"  # hashlib loads OpenSSL
            "    if m in sys.modules))\n")
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


def _fresh_tree(tmp_path: Path) -> dict[str, str]:
    """A copy of schemy's Python without byte code beside it (as an install that could not write
    any, while `make bytecode` has compiled this checkout), first on the path of the children."""
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "schemy", tree / "schemy", ignore=shutil.ignore_patterns("__pycache__"))
    for share in ("stdlib", "grammar"):
        (tree / share).symlink_to(ROOT / share)
    return {"PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}


INSTALLED = ("import sys, schemy.cli, schemy.app\n"
             "from schemy.cli import bytecode\n"
             "print(bytecode.INSTALLED, sys.pycache_prefix)\n")


def test_schemys_byte_code_goes_to_its_cache_when_python_writes_none(tmp_path):
    tree = _fresh_tree(tmp_path)
    out = _python(tmp_path, INSTALLED, **tree)
    assert out.returncode == 0, out.stderr
    prefix = tmp_path / "cache" / "schemy" / "pycache"
    assert out.stdout.split() == [f"['{prefix}']", "None"]  # Python's own byte code is left alone
    entries = sorted(p.name for p in prefix.iterdir())
    assert any(n.startswith(f"schemy.app.{sys.implementation.cache_tag}.") for n in entries)
    assert not any(n.startswith(("json.", "re.")) for n in entries)
    assert (prefix.stat().st_mode & 0o777) == 0o700
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in prefix.iterdir())
    assert not (tmp_path / "tree" / "schemy" / "__pycache__").exists()
    # The next start compiles none of schemy's modules.
    again = _python(tmp_path, "from schemy.cli import bytecode\n"
                              "def refuse(*a):\n    raise AssertionError('compiled ' + str(a[1]))\n"
                              "bytecode.CachingLoader.source_to_code = refuse\n"
                              "import schemy.app\nprint('ok')\n", **tree)
    assert again.stdout.strip() == "ok", again.stderr


def test_damaged_byte_code_is_compiled_again_never_run(tmp_path):
    tree = _fresh_tree(tmp_path)
    assert _python(tmp_path, INSTALLED, **tree).returncode == 0
    prefix = tmp_path / "cache" / "schemy" / "pycache"
    entries = sorted(prefix.iterdir())
    good = {e: e.read_bytes() for e in entries}
    for i, e in enumerate(entries):  # truncated, garbage, empty, one flipped byte in the code
        data = good[e]
        e.write_bytes([data[:len(data) // 2], b"garbage", b"", data[:-1] + bytes([data[-1] ^ 1])][i % 4])
    out = subprocess.run([sys.executable, "-m", "schemy", "eval", "-e", "(+ 40 2)"], env=_env(
        tmp_path, **tree), capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "42\n"), out.stderr
    assert "Traceback" not in out.stderr
    assert all(e.read_bytes() == good[e] for e in entries if e.name.startswith(("schemy.app.", "schemy.cli.")))


def test_an_edited_module_is_compiled_again(tmp_path):
    from schemy.cli import bytecode

    bytecode.install()  # for _MAGIC; a no-op when not wanted
    if not bytecode._MAGIC:
        from importlib.util import MAGIC_NUMBER

        bytecode._MAGIC.append(MAGIC_NUMBER)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    source = tmp_path / "mod.py"

    def load() -> object:
        loader = bytecode.CachingLoader("schemy.test_module", str(source))
        loader.directory = str(cache)
        namespace: dict = {}
        exec(loader.get_code("schemy.test_module"), namespace)
        return namespace["VALUE"]

    source.write_text("VALUE = 1\n")
    assert load() == 1
    assert len(list(cache.iterdir())) == 1
    assert load() == 1
    source.write_text("VALUE = 22\n")
    assert load() == 22
    os.utime(source, ns=(1, 1))
    source.write_text("VALUE = 33\n")  # same size, new time
    assert load() == 33
    assert len(list(cache.iterdir())) == 1  # one entry per module, rewritten


def test_a_byte_code_directory_that_is_a_link_is_not_used(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (tmp_path / "cache" / "schemy").mkdir(parents=True, mode=0o700)
    (tmp_path / "cache" / "schemy" / "pycache").symlink_to(elsewhere)
    out = _python(tmp_path, INSTALLED, **_fresh_tree(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["[]", "None"]
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("extra", [{"SCHEMY_NO_CACHE": "1", "PYTHONDONTWRITEBYTECODE": "1"},
                                   {"PYTHONDONTWRITEBYTECODE": ""}])
def test_byte_code_is_left_to_python_otherwise(tmp_path, extra):
    env = _env(tmp_path, **extra)
    if not extra.get("PYTHONDONTWRITEBYTECODE"):
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "mine")  # Python writes where the user said
    out = subprocess.run([sys.executable, "-c", INSTALLED], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "[]"
    assert not (tmp_path / "cache" / "schemy" / "pycache").exists()


def test_library_modules_outside_the_catalogue_do_not_load_its_index(tmp_path):
    # (rnrs base) and friends are not catalogue modules: asking the catalogue about them loaded
    # its 1 MB index (7 MB of objects, a third of a small program's memory).
    code = ("import sys\n"
            "sys.argv = ['schemy', 'eval', '-e', '(use-modules (rnrs base) (rnrs bytevectors) (srfi srfi-9)"
            " (ice-9 rdelim))', '-e', '(+ 40 2)']\n"
            "from schemy.cli.launch import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print('schemy.guix.catalogue' in sys.modules)\n")
    out = _python(tmp_path, code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["42", "False"]


def test_every_catalogue_module_starts_with_a_name_the_provider_asks_about():
    from schemy.guix import catalogue
    from schemy.guix.natives import CATALOGUE_ROOTS

    names = catalogue.module_names()
    assert names and all(name[0] in CATALOGUE_ROOTS for name in names)


def test_system_commands_other_than_view_do_not_import_the_http_server(tmp_path):
    # http.server (with http.client and email) cost ~10 ms of every `schemy system build`.
    code = ("import sys\n"
            "sys.argv = ['schemy', 'system', '--help']\n"
            "from schemy.cli.launch import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print('http.server' in sys.modules)\n")
    out = _python(tmp_path, code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False"


@pytest.mark.parametrize("args, plain", [
    (["system", "build", "c.scm"], ("build", "c.scm", None, False)),
    (["system", "build", "c.scm", "--root", "r"], ("build", "c.scm", "r", False)),
    (["--root", "r", "system", "build", "c.scm"], ("build", "c.scm", "r", False)),
    (["system", "build", "--root=r", "c.scm", "--debug"], ("build", "c.scm", "r", True)),
    (["system", "build", "c.scm", "--root", "a", "--root", "b"], ("build", "c.scm", "b", False)),  # the last
    (["system", "--debug", "build", "c.scm"], ("build", "c.scm", None, True)),
    (["system", "check", "c.scm"], ("check", "c.scm", None, False)),
    (["--debug", "system", "check", "c.scm"], ("check", "c.scm", None, True)),
    (["system", "build"], None),
    (["system", "build", "c.scm", "--root"], None),
    (["system", "build", "c.scm", "--root", "/"], None),  # host mode (may ask): click's
    (["system", "build", "c.scm", "--root="], None),
    (["system", "build", "c.scm", "--host"], None),
    (["system", "build", "c.scm", "-L", "d"], None),
    (["system", "build", "c.scm", "--help"], None),
    (["system", "build", "--", "c.scm"], None),
    (["system", "build", "-x.scm"], None),
    (["system", "build", "a.scm", "b.scm"], None),
    (["system", "build", "."], None),  # a directory: click's usage error
    (["system", "check", "c.scm", "--time-limit", "5"], None),
    (["system", "reconfigure", "c.scm"], None),
])
def test_only_a_plain_system_build_or_check_skips_click(args, plain):
    from schemy.cli.quick import plain_system_command

    assert plain_system_command(args) == plain


_GOOD = """(use-modules (gnu))
(operating-system (host-name "q") (timezone "Etc/UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/vda1") (type "ext4"))
                      %base-file-systems)))
"""


@pytest.mark.parametrize("text", [_GOOD, "(use-modules (gnu))\n(operating-system (host-name 1))\n",
                                  "(car 1)\n", "(exit 3)\n", None])
def test_the_quick_system_build_gives_what_the_click_verb_gives(tmp_path, text):
    config = tmp_path / "c.scm"
    if text is not None:
        config.write_text(text)
    results = []
    for entry in ("schemy", "schemy.cli.main"):  # the same root: a store path names its store
        r = subprocess.run([sys.executable, "-m", entry, "system", "build", str(config), "--root",
                            str(tmp_path / "root")], env=_env(tmp_path), capture_output=True, text=True,
                           timeout=120)
        results.append((r.returncode, r.stdout, r.stderr))
    assert results[0] == results[1]
    assert "Traceback" not in results[0][2]


@pytest.mark.parametrize("text", [_GOOD, "(use-modules (gnu))\n(operating-system (host-name 1))\n",
                                  "(car 1)\n", "(open-output-file \"/tmp/x\")\n", None])
def test_the_quick_system_check_gives_what_the_click_verb_gives(tmp_path, text):
    config = tmp_path / "c.scm"
    if text is not None:
        config.write_text(text)
    results = []
    for entry in ("schemy", "schemy.cli.main"):
        r = subprocess.run([sys.executable, "-m", entry, "system", "check", str(config)], env=_env(tmp_path),
                           capture_output=True, text=True, timeout=120)
        results.append((r.returncode, r.stdout, r.stderr))
    assert results[0] == results[1]
    assert "Traceback" not in results[0][2]


def test_a_quick_system_build_does_not_import_click(tmp_path):
    config = tmp_path / "c.scm"
    config.write_text(_GOOD)
    code = ("import sys\n"
            f"sys.argv = ['schemy', 'system', 'build', {str(config)!r}, '--root', {str(tmp_path / 'r')!r}]\n"
            "from schemy.cli.launch import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print('click' in sys.modules)\n")
    out = _python(tmp_path, code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False"
    assert out.stdout.splitlines()[0].endswith("-system")


def test_a_quick_system_check_does_not_import_click(tmp_path):
    config = tmp_path / "c.scm"
    config.write_text(_GOOD)
    code = ("import sys\n"
            f"sys.argv = ['schemy', 'system', 'check', {str(config)!r}]\n"
            "from schemy.cli.launch import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print('click' in sys.modules)\n")
    out = _python(tmp_path, code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [f"{config}: no problems found", "False"]


@pytest.mark.parametrize("args, plain", [
    (["run", "s.scm"], ("s.scm", [])),
    (["run", "s.scm", "-x", "--y", "z"], ("s.scm", ["-x", "--y", "z"])),  # the script's, as for click
    (["run", "--sandbox", "s.scm"], None),
    (["run", "-L", "dir", "s.scm"], None),
    (["run"], None),
    (["run", "."], None),  # a directory: click's usage error
    (["--debug", "run", "s.scm"], None),
])
def test_only_a_plain_run_skips_click(args, plain):
    from schemy.cli.quick import plain_run_command

    assert plain_run_command(args) == plain


@pytest.mark.parametrize("text", ["(display (command-line)) (newline)", "(car 1)", "(exit 4)", None])
def test_the_quick_run_gives_what_the_run_verb_gives(tmp_path, text):
    script = tmp_path / "s.scm"
    if text is not None:
        script.write_text(text)
    results = []
    for entry in ("schemy", "schemy.cli.main"):
        r = subprocess.run([sys.executable, "-m", entry, "run", str(script), "a", "-b"], env=_env(tmp_path),
                           capture_output=True, text=True, timeout=120)
        results.append((r.returncode, r.stdout, r.stderr))
    assert results[0] == results[1]
    assert "Traceback" not in results[0][2]


def test_a_quick_run_does_not_import_click(tmp_path):
    script = tmp_path / "s.scm"
    script.write_text("(display (* 6 7)) (newline)")
    code = ("import sys\n"
            f"sys.argv = ['schemy', 'run', {str(script)!r}]\n"
            "from schemy.cli.launch import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print('click' in sys.modules)\n")
    out = _python(tmp_path, code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["42", "False"]


def test_system_check_replays_the_library_from_the_cache_and_expands_the_configs_own_files(tmp_path):
    # The config's own module has an error that check reports at its place; schemy's library
    # modules come from the module cache a build wrote (check itself writes none).
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "util.scm").write_text("(define-module (mine util) #:export (x))\n(define x (car 1))\n")
    config = tmp_path / "c.scm"
    config.write_text(_GOOD)
    env = _env(tmp_path, SCHEMY_MODULE_CACHE_DEBUG="1")
    built = subprocess.run([sys.executable, "-m", "schemy", "system", "build", str(config), "--root",
                            str(tmp_path / "root")], env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    checked = subprocess.run([sys.executable, "-m", "schemy", "system", "check", str(config)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr
    assert "schemy module cache: hit " in checked.stderr and "/gnu/services/base.scm" in checked.stderr
    own = tmp_path / "own.scm"
    own.write_text("(use-modules (mine util))\n" + _GOOD)
    checked = subprocess.run([sys.executable, "-m", "schemy", "-L", str(tmp_path), "system", "check", str(own)],
                             env=env, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 1
    assert f"{tmp_path / 'mine' / 'util.scm'}:2:10: error:" in checked.stderr
    assert f"hit {tmp_path / 'mine' / 'util.scm'}" not in checked.stderr
