"""Faults during a build or reconfigure: a full disk, corrupt caches, interrupts.

The rule for every fault: a clear ``error:`` line, exit code 1 (130 for an interrupt),
no Python traceback, and the previous generation stays current and complete; nothing
half-written remains (no ``.tmp-*`` in the store or in var/schemy/systems).
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemy.cli.main import main
from schemy.guix import store as store_module

EXAMPLES = Path(__file__).parent.parent / "examples"
BARE_BONES = (EXAMPLES / "bare-bones.scm").read_text()


def enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


def leftovers(root: Path) -> list[str]:
    """Temporary files a build must never leave behind."""
    found = []
    for d in (root / "store", root / "var" / "schemy" / "systems", root / "profiles"):
        if d.is_dir():
            found += [str(p) for p in d.iterdir() if ".tmp" in p.name]
    return found


@pytest.fixture
def switched(tmp_path):
    """A root switched to generation 1 of bare-bones, and a config file changed since."""
    root = tmp_path / "root"
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.output + result.stderr
    current = os.readlink(root / "current-system")
    config.write_text(BARE_BONES.replace('(host-name "komputilo")', '(host-name "changed")'))
    return root, config, current


def assert_generation_1_intact(root: Path, current: str) -> None:
    assert os.readlink(root / "current-system") == current
    assert sorted(p.name for p in (root / "profiles").iterdir()) == ["system", "system-1-link"]
    assert os.readlink(root / "profiles" / "system") == "system-1-link"
    system_dir = root / current
    assert (system_dir / "system").exists()
    assert (system_dir / "etc" / "passwd").is_file()
    assert leftovers(root) == []


# ---------------------------------------------------------------- a full disk


def test_full_disk_while_writing_store_items_is_a_clear_error(switched, monkeypatch):
    root, config, current = switched
    monkeypatch.setattr(store_module, "_write_file", enospc)
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr and "No space left on device" in result.stderr
    assert_generation_1_intact(root, current)


def test_full_disk_while_writing_the_system_directory_keeps_previous_generation(switched, monkeypatch):
    root, config, current = switched
    real_symlink = os.symlink

    def symlink(src, dst, *args, **kwargs):
        if ".tmp-" in str(dst) and "systems" in str(dst):
            enospc()
        return real_symlink(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "symlink", symlink)
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr
    assert_generation_1_intact(root, current)


def test_full_disk_during_build_is_a_clear_error(tmp_path, monkeypatch):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    monkeypatch.setattr(store_module, "_write_file", enospc)
    result = run_cli("system", "build", str(config), "--root", str(tmp_path / "root"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error:") or ": error:" in result.stderr
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert leftovers(tmp_path / "root") == []


# ---------------------------------------------------------------- corruption


def test_corrupt_store_item_is_detected_and_rebuilt(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    root = tmp_path / "root"
    first = run_cli("system", "build", str(config), "--root", str(root))
    assert first.exit_code == 0, first.stderr
    store = store_module.Store(root / "store")
    item = next(p for p in (root / "store").iterdir() if p.is_file() and not p.name.startswith("."))
    original = item.read_bytes()
    assert store.verify(str(item))
    os.chmod(item, 0o644)
    item.write_bytes(b"corrupted")
    os.chmod(item, 0o444)
    assert not store.verify(str(item))
    again = run_cli("system", "build", str(config), "--root", str(root))
    assert again.exit_code == 0, again.stderr
    assert again.output == first.output
    assert item.read_bytes() == original
    assert store.verify(str(item))


def test_store_item_without_hash_record_is_not_trusted(tmp_path):
    store = store_module.Store(tmp_path / "store")
    path = store.add_text("motd", "hello")
    (tmp_path / "store" / ".hashes" / os.path.basename(path)).unlink()
    assert not store.verify(path)
    assert store_module.Store(tmp_path / "store").add_text("motd", "hello") == path
    assert store.verify(path)


def test_corrupt_parse_cache_entries_are_ignored_and_rewritten(tmp_path, monkeypatch):
    from schemy.compile import read_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SCHEMY_NO_CACHE", raising=False)
    script = tmp_path / "s.scm"
    script.write_text('(define (f x) (* x 6))\n(display (f 7))\n')
    first = run_cli("run", str(script))
    assert first.exit_code == 0 and first.output == "42"
    entries = sorted(read_cache.cache_dir().iterdir())
    assert entries
    good = {e: e.read_bytes() for e in entries}
    for i, entry in enumerate(entries):  # truncated, garbage, empty, one flipped byte
        data = good[entry]
        entry.write_bytes([data[:len(data) // 2], b"garbage", b"",
                           data[:-1] + bytes([data[-1] ^ 1])][i % 4])
    again = run_cli("run", str(script))
    assert again.exit_code == 0, again.stderr
    assert again.output == "42"
    assert "Traceback" not in again.stderr
    for entry in entries:  # rebuilt
        assert entry.read_bytes() == good[entry]


def _run_script(tmp_path: Path, script: Path, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("SCHEMY_NO_CACHE", None)
    return subprocess.run([sys.executable, "-m", "schemy", "run", str(script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def _code_objects(data: bytes) -> list:
    """The code objects marshalled somewhere in a cache file (after whatever header it has)."""
    import marshal
    import types

    for offset in range(0, min(len(data), 128)):
        try:
            table = marshal.loads(data[offset:])
        except Exception:  # noqa: BLE001 - not the start of the marshalled data
            continue
        if isinstance(table, dict):
            found, todo = [], [v for v in table.values() if isinstance(v, types.CodeType)]
            while todo:
                code = todo.pop()
                found.append(code)
                todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]
            return found
    return []


def test_flipped_bytes_in_the_code_cache_never_crash_a_run(tmp_path):
    cache = tmp_path / "cache"
    script = tmp_path / "s.scm"
    script.write_text('(define (f x) (if (< x 2) x (+ (f (- x 1)) (f (- x 2)))))\n(display (f 15))\n')
    first = _run_script(tmp_path, script, cache)
    assert first.returncode == 0 and first.stdout == "610", first.stderr
    entries = sorted((cache / "schemy" / "code").glob("*.marshal"))
    assert entries
    flipped = 0
    for entry in entries:  # corrupt the byte code in place (same length), as a bad disk block would
        data = bytearray(entry.read_bytes())
        codes = _code_objects(bytes(data))
        for code in codes:
            at = data.find(code.co_code)
            if at >= 0 and len(code.co_code) >= 4:
                data[at:at + len(code.co_code)] = bytes([100, 250]) * (len(code.co_code) // 2)
                flipped += 1
        entry.write_bytes(bytes(data))
    assert flipped
    for _ in range(2):
        again = _run_script(tmp_path, script, cache)
        assert again.returncode == 0, f"exit {again.returncode}: {again.stderr[-2000:]}"
        assert again.stdout == "610"


def test_the_parse_cache_never_runs_code_from_its_files(tmp_path):
    import pickle

    cache = tmp_path / "cache"
    marker = tmp_path / "pwned"
    script = tmp_path / "s.scm"
    script.write_text('(display (+ 40 2))\n')
    assert _run_script(tmp_path, script, cache).stdout == "42"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    entries = [p for p in (cache / "schemy" / "read").iterdir() if not p.name.startswith(".")]
    assert entries
    for entry in entries:
        entry.write_bytes(pickle.dumps(Evil()))
    again = _run_script(tmp_path, script, cache)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "42"
    assert not marker.exists()


def test_cache_directories_are_private_whatever_the_umask(tmp_path):
    cache = tmp_path / "cache"
    script = tmp_path / "s.scm"
    script.write_text('(display 1)\n')
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("SCHEMY_NO_CACHE", None)
    out = subprocess.run(["sh", "-c", f'umask 000 && exec "{sys.executable}" -m schemy run "{script}"'],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for d in (cache / "schemy", cache / "schemy" / "code", cache / "schemy" / "read"):
        assert d.is_dir()
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
    for f in (cache / "schemy").rglob("*"):
        if f.is_file():
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_a_cache_directory_that_is_a_link_is_not_used(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache = tmp_path / "cache"
    (cache / "schemy").mkdir(parents=True, mode=0o700)
    (cache / "schemy" / "code").symlink_to(elsewhere)
    (cache / "schemy" / "read").symlink_to(elsewhere)
    script = tmp_path / "s.scm"
    script.write_text('(display 1)\n')
    out = _run_script(tmp_path, script, cache)
    assert out.returncode == 0 and out.stdout == "1", out.stderr
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------- interrupts


def _spawn(args: list[str], tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "schemy", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    return proc


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    for p in started:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def _wait_for_loop(proc: subprocess.Popen, marker: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the config never reached its loop"
        time.sleep(0.05)
    time.sleep(0.3)


def test_infinite_loop_in_config_is_interrupted_by_sigint(tmp_path, processes):
    marker = tmp_path / "looping"
    config = tmp_path / "loop.scm"
    config.write_text(BARE_BONES.replace(
        "(operating-system",
        f'(call-with-output-file "{marker}" (lambda (p) (display "x" p)))\n'
        "(define forever (let loop () (loop)))\n(operating-system", 1))
    root = tmp_path / "root"
    proc = _spawn(["system", "build", str(config), "--root", str(root)], tmp_path)
    processes.append(proc)
    _wait_for_loop(proc, marker)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert not (root / "current-system").exists()
    assert not (root / "var" / "schemy" / "systems").exists() or \
        list((root / "var" / "schemy" / "systems").iterdir()) == []
    assert leftovers(root) == []


def test_ctrl_c_during_reconfigure_leaves_no_partial_state(switched, processes):
    root, config, current = switched
    marker = config.parent / "looping"
    text = config.read_text()
    # Evaluation is the long part of a reconfigure: interrupt it there.
    config.write_text(text.replace(
        "(operating-system",
        f'(call-with-output-file "{marker}" (lambda (p) (display "x" p)))\n'
        "(define slow (let loop ((i 0)) (if (< i 100000000) (loop (+ i 1)) i)))\n(operating-system", 1))
    proc = _spawn(["system", "reconfigure", str(config), "--root", str(root), "--no-services"], config.parent)
    processes.append(proc)
    _wait_for_loop(proc, marker)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert_generation_1_intact(root, current)
    assert not (root / "var" / "schemy" / "lock").exists() or _lock_is_free(root)


def _lock_is_free(root: Path) -> bool:
    import fcntl

    fd = os.open(root / "var" / "schemy" / "lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
