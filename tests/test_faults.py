"""Faults during a build or reconfigure, and damaged state: the rules, one a line.

- Every fault gives a clear ``error:`` line, exit code 1 (130 for an interrupt), no Python traceback.
- A full disk (store items, the system directory, a build) keeps the previous generation current and
  complete, and leaves nothing half-written (no ``.tmp-*`` in the store or var/schemy/systems).
- A corrupt store item, or one without a hash record, is detected and rebuilt.
- Cache entries are checksummed: corrupt or flipped entries are ignored and rewritten, and never crash
  a run (no SIGSEGV from damaged byte code).
- The parse cache is data, never code (no pickle): whatever its files hold, nothing is executed.
- Cache directories are private (0700, entries 0600) whatever the umask; one that is a link is not used.
- SIGINT interrupts an endless loop in a config, and a reconfigure, leaving no partial state.
- gc finds references exactly (by item hash): items whose names hold spaces, quotes, parentheses or
  newlines survive while referenced.
- delete-generations and gc repair a missing current-system from profiles/system first, and refuse
  when what runs cannot be known: they never delete the running system.
- gc keeps every store item a running process uses (command line, executable, cwd, open or mapped files).
- A generation pointing nowhere is refused by switch-generation and roll-back, marked by
  list-generations and describe, reported by diff, and reconfigure recovers from it.
- `reconfigure --dry-run` runs no builder and writes nothing (no root, lock or store item).
- `system build` holds the root's lock, so a concurrent gc cannot leave it a dangling system.
- A switch is durable: new store items, the system directory, its files and the switched links are
  fsynced (files and directories).
- Errors cap what they print: a 50k-deep quasiquote gives a short error line.
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


# ---------------------------------------------------------------- the state root: gc, generations


ODD_NAMES = ('(cons (simple-service \'odd etc-service-type (list '
             '(list "odd1" (plain-file "a b" "one")) (list "odd2" (plain-file "it\'s" "two")) '
             '(list "odd3" (plain-file "x(y)" "three")) (list "odd4" (plain-file "new\\nline" "four")) '
             '(list "odd5" (mixed-text-file "conf" "path=" (plain-file "in side\'(\\n)" "five"))))) '
             '%base-services)')


def _config_with_services(tmp_path: Path, services: str) -> Path:
    config = tmp_path / "odd.scm"
    text = BARE_BONES
    head, sep, _tail = text.rpartition("(services")
    assert sep
    config.write_text(head + f"(services {services}))\n")
    return config


def test_gc_finds_references_to_items_whose_names_hold_spaces_quotes_parens_or_newlines(tmp_path):
    config = _config_with_services(tmp_path, ODD_NAMES)
    root = tmp_path / "root"
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.stderr
    etc = root / "current-system" / "etc"
    expected = {"odd1": "one", "odd2": "two", "odd3": "three", "odd4": "four"}
    assert {k: (etc / k).read_text() for k in expected} == expected
    gc = run_cli("gc", "--root", str(root))
    assert gc.exit_code == 0, gc.stderr
    assert {k: (etc / k).read_text() for k in expected} == expected
    referenced = (etc / "odd5").read_text().removeprefix("path=")
    assert Path(referenced).read_text() == "five"


@pytest.fixture
def two_generations(tmp_path):
    """A root with generations 1 and 2 (2 current)."""
    root = tmp_path / "root"
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    assert run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services").exit_code == 0
    config.write_text(BARE_BONES.replace('(host-name "komputilo")', '(host-name "two")'))
    assert run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services").exit_code == 0
    return root, config


def _store_items(root: Path) -> set[str]:
    return {p.name for p in (root / "store").iterdir() if not p.name.startswith(".")}


@pytest.mark.parametrize("damage", ["missing", "dangling"])
def test_delete_generations_never_deletes_the_running_system_when_current_system_is_damaged(
        two_generations, damage):
    root, _config = two_generations
    running = os.readlink(root / "current-system")
    items = _store_items(root)
    (root / "current-system").unlink()
    (root / "profiles" / "system").unlink()  # nothing left to repair from
    if damage == "dangling":
        (root / "current-system").symlink_to("var/schemy/systems/nowhere")
    result = run_cli("system", "delete-generations", "--root", str(root))
    assert result.exit_code == 1
    assert "cannot delete generations" in result.stderr and "Traceback" not in result.stderr
    gc = run_cli("gc", "--root", str(root))
    assert gc.exit_code == 1 and "cannot collect garbage" in gc.stderr
    assert sorted(p.name for p in (root / "profiles").iterdir() if p.name.startswith("system-")) == \
        ["system-1-link", "system-2-link"]
    assert (root / running / "etc" / "passwd").is_file()
    assert _store_items(root) == items


def test_a_missing_current_system_is_repaired_from_profiles_before_deleting(two_generations):
    root, _config = two_generations
    running = os.readlink(root / "current-system")
    (root / "current-system").unlink()
    result = run_cli("system", "delete-generations", "--root", str(root))
    assert result.exit_code == 0, result.stderr
    assert "deleted generations: 1" in result.output
    assert os.readlink(root / "current-system") == running
    assert (root / running / "system").resolve().is_dir()


def _break_generation(root: Path, number: int) -> None:
    import shutil

    target = (root / "profiles" / f"system-{number}-link").resolve()
    shutil.rmtree(target)


def test_a_generation_pointing_nowhere_is_refused_listed_and_recovered_from(two_generations):
    root, config = two_generations
    _break_generation(root, 1)
    switch = run_cli("system", "switch-generation", "1", "--root", str(root))
    assert switch.exit_code == 1
    assert "generation 1 is broken" in switch.stderr and "Traceback" not in switch.stderr
    assert os.readlink(root / "profiles" / "system") == "system-2-link"
    listed = run_cli("system", "list-generations", "--root", str(root))
    assert listed.exit_code == 0, listed.stderr
    assert "Generation 1" in listed.output and "broken" in listed.output
    assert run_cli("system", "describe", "--root", str(root)).exit_code == 0
    diff = run_cli("system", "diff", "1", "2", "--root", str(root))
    assert diff.exit_code == 1 and "generation 1 is broken" in diff.stderr
    assert "internal error" not in diff.stderr
    roll = run_cli("system", "roll-back", "--root", str(root))
    assert roll.exit_code == 1 and "broken" in roll.stderr


def test_reconfigure_recovers_when_the_current_generation_points_nowhere(two_generations):
    root, config = two_generations
    _break_generation(root, 2)
    described = run_cli("system", "describe", "--root", str(root))
    assert described.exit_code == 0 and "broken" in described.output
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.stderr
    assert "switched to generation 3" in result.output
    assert (root / "current-system" / "etc" / "passwd").is_file()
    assert run_cli("system", "describe", "--root", str(root)).exit_code == 0


def test_dry_run_runs_no_builder_and_writes_nothing(tmp_path):
    marker = tmp_path / "builder-ran"
    services = ('(cons (simple-service \'c etc-service-type (list (list "c" (computed-file "c" '
                f'#~(begin (call-with-output-file "{marker}" (lambda (p) (display 1 p))) '
                '(call-with-output-file #$output (lambda (p) (display 2 p)))))))) %base-services)')
    config = _config_with_services(tmp_path, services)
    root = tmp_path / "root"
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "new system:" in result.output
    assert not marker.exists()
    assert not root.exists()
    # and on an existing root: nothing is added to the store
    assert run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services").exit_code == 0
    marker.unlink()
    before = sorted(str(p) for p in root.rglob("*"))
    config.write_text(config.read_text().replace("(display 2 p)", "(display 3 p)"))
    again = run_cli("system", "reconfigure", str(config), "--root", str(root), "--dry-run")
    assert again.exit_code == 0, again.stderr
    assert "~ /etc/c" in again.output
    assert not marker.exists()
    assert sorted(str(p) for p in root.rglob("*")) == before


def test_system_build_holds_the_lock_so_gc_cannot_run_meanwhile(tmp_path, processes):
    marker = tmp_path / "looping"
    config = tmp_path / "slow.scm"
    config.write_text(BARE_BONES.replace(
        "(operating-system",
        f'(call-with-output-file "{marker}" (lambda (p) (display "x" p)))\n'
        "(define slow (let loop ((i 0)) (if (< i 100000000) (loop (+ i 1)) i)))\n(operating-system", 1))
    root = tmp_path / "root"
    proc = _spawn(["system", "build", str(config), "--root", str(root)], tmp_path)
    processes.append(proc)
    _wait_for_loop(proc, marker)
    gc = run_cli("gc", "--root", str(root))
    assert gc.exit_code == 1
    assert "another schemy command is changing" in gc.stderr


def test_a_switch_is_synced_to_disk(switched, monkeypatch):
    root, config, _current = switched
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd):
        try:
            synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.stderr
    new = os.path.realpath(root / "current-system")
    store = str(root / "store")
    assert any(p.startswith(store + "/.tmp-") or p.startswith(store + "/") for p in synced), synced
    assert store in synced  # the renames of new items
    assert any(p.startswith(str(root / "var" / "schemy" / "systems")) and p.endswith("/shadow")
               or p.endswith("/etc") for p in synced), synced
    assert str(root / "var" / "schemy" / "systems") in synced
    assert str(root) in synced  # the rename of current-system
    assert str(root / "profiles") in synced
    assert new


# ---------------------------------------------------------------- what errors print


def test_an_error_about_a_50k_deep_quasiquote_prints_a_capped_line(tmp_path):
    script = tmp_path / "deep.scm"
    script.write_text("(define x (vector-ref " + "`" * 50000 + "a 1))\n")
    result = run_cli("run", str(script))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{script}:1:10: error: In procedure vector-ref: Wrong type argument")
    assert len(result.stderr) < 2000, len(result.stderr)
    assert "more characters]" in result.stderr


def test_gc_keeps_the_store_items_running_processes_use(two_generations, processes):
    root, _config = two_generations
    item = os.readlink((root / "profiles" / "system-1-link").resolve() / "system")  # only generation 1's
    assert item != os.readlink((root / "profiles" / "system-2-link").resolve() / "system")
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", item],
                            start_new_session=True)
    processes.append(proc)
    result = run_cli("system", "delete-generations", "--root", str(root))
    assert result.exit_code == 0, result.stderr
    assert "deleted generations: 1" in result.output
    assert os.path.lexists(item), "an item a running process uses was deleted"
    proc.kill()
    proc.wait()
    again = run_cli("gc", "--root", str(root))
    assert again.exit_code == 0, again.stderr
    assert not os.path.lexists(item)
