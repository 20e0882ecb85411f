"""The system backend end to end: ``schemy system build``, ``schemy reconfigure``, generations,
garbage collection, accounts, failure semantics and crash safety, with real processes.

Every CLI call is a real subprocess; the service manager it starts on demand is a real daemon
running real services (python3's http.server on free loopback ports).  The test process is a
child subreaper, so the detached daemons come back to it and are reaped; every root's daemon is
stopped (and any process mentioning the root killed) in a finalizer, whatever happens.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import child_subreaper, free_port, gone, kill_strays, processes_mentioning, reap_zombies, wait_for

from schemy.shepherd.herd import Client
from schemy.shepherd.process import zombie_children
from schemy.system.generations import StateRoot

SCHEMY = str(Path(sys.executable).with_name("schemy"))


# ---------------------------------------------------------------- process helpers


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            return s.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


def port_closed(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return False
    except OSError:
        return True


@pytest.fixture(scope="module", autouse=True)
def subreaper(tmp_path_factory):
    """Orphaned daemons come back to this process; at the end, none of ours is left running."""
    base = str(tmp_path_factory.getbasetemp())
    with child_subreaper():
        yield
    leftovers = processes_mentioning(base)
    kill_strays(base)
    assert leftovers == [], f"processes left behind: {leftovers}"


def stop_daemon(root: Path) -> None:
    client = Client(root, timeout=10)
    pid = None
    try:
        if client.alive():
            pid = client.request("ping").get("pid")
            client.stop_root()
    except Exception:  # noqa: BLE001 - cleanup must go on
        pass
    if pid and not wait_for(lambda: gone(pid), 5):
        os.kill(pid, signal.SIGKILL)
    kill_strays(str(root))


@pytest.fixture
def env(tmp_path):
    """A fresh root and served directory; the root's daemon and services are gone afterwards."""
    root = tmp_path / "root"
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("hello\n")
    try:
        yield {"root": root, "www": www, "tmp": tmp_path}
    finally:
        stop_daemon(root)
        kill_strays(str(tmp_path))
        wait_for(lambda: not processes_mentioning(str(tmp_path)), 5)
        reap_zombies()


def schemy(*args: str, env_extra: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.pop("SCHEMY_TEST_CRASH_AT", None)
    e.update(env_extra or {})
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=timeout, env=e,
                          stdin=subprocess.DEVNULL)


# ---------------------------------------------------------------- configurations

OS = """(use-modules (gnu))
(use-service-modules shepherd)
(operating-system
  (host-name "backend-test")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (users (append (list {users}) %base-user-accounts))
  (groups (cons (user-group (name "libvirt")) %base-groups))
  (services (append (list {services}) %base-services)))
"""

USER = '(user-account (name "{name}") (group "users") (supplementary-groups \'("libvirt")))'

WEB = """(simple-service 'web shepherd-root-service-type
   (list (shepherd-service (provision '(web)) (respawn? #t)
           (start #~(make-forkexec-constructor
                     (list "python3" "-m" "http.server" "{port}" "--bind" "127.0.0.1"
                           "--directory" "{www}")))
           (stop #~(make-kill-destructor)))))"""

GREETING = """(simple-service 'greeting etc-service-type
   (list `("greeting" ,(plain-file "greeting" "{text}"))))"""

CRASHER = """(simple-service 'crasher shepherd-root-service-type
   (list (shepherd-service (provision '(crasher)) (respawn? #t) (respawn-limit '(3 . 10))
           (start #~(make-forkexec-constructor (list "sh" "-c" "exit 1; : {marker}")))
           (stop #~(make-kill-destructor)))))"""

BROKEN_START = """(simple-service 'broken shepherd-root-service-type
   (list (shepherd-service (provision '(broken))
           (start #~(make-forkexec-constructor (list "/nonexistent/schemy-test-program")))
           (stop #~(make-kill-destructor)))))"""

BAD_FIELD = """(service libvirt-service-type
   (libvirt-configuration
     (listen-tls? "yes")))"""

BOOM = """(simple-service 'boom activation-service-type #~(error "boom"))"""


def write_config(env, name: str = "config.scm", *, port: int | None = None, users=("alice",),
                 greeting: str | None = None, extra: tuple[str, ...] = ()) -> str:
    services = []
    if port is not None:
        services.append(WEB.format(port=port, www=env["www"]))
    if greeting is not None:
        services.append(GREETING.format(text=greeting))
    services += extra
    path = env["tmp"] / name
    path.write_text(OS.format(users=" ".join(USER.format(name=u) for u in users),
                              services="\n  ".join(services)))
    return str(path)


def reconfigure(env, config: str, *args: str, **kw) -> subprocess.CompletedProcess:
    return schemy("reconfigure", config, "--root", str(env["root"]), *args, **kw)


def web_pid(root: Path) -> int | None:
    try:
        info = Client(root, timeout=10).status("web")
    except Exception:  # noqa: BLE001
        return None
    return info.get("pid") if info.get("status") == "running" else None


def store_listing(root: Path) -> dict[str, float]:
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            out[p] = os.lstat(p).st_mtime_ns
    return out


def missing_references(root: Path) -> set[str]:
    """Store paths mentioned (by links or file contents) in the current system's closure but absent."""
    store = str(root / "store")
    pattern = re.compile(re.escape(store) + r"/[a-z0-9]{32}-[^/\s\"')]+")
    missing: set[str] = set()
    seen: set[str] = set()
    todo = [str((root / "current-system").resolve())]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        if os.path.islink(p):
            found = pattern.findall(os.readlink(p))
        elif os.path.isdir(p):
            todo += [os.path.join(p, n) for n in os.listdir(p)]
            continue
        else:
            found = pattern.findall(Path(p).read_text(errors="replace"))
        for m in found:
            (todo.append(m) if os.path.exists(m) else missing.add(m))
    return missing


def check_complete(root: Path) -> Path:
    """current-system points at a complete system dir; returns it."""
    cur = root / "current-system"
    assert cur.is_symlink()
    system_dir = cur.resolve()
    assert (system_dir / "system").resolve().is_dir()
    for f in ("passwd", "group", "shadow"):
        assert (system_dir / "etc" / f).is_file(), f
    assert (root / "etc" / "passwd").is_file()
    return system_dir


# ---------------------------------------------------------------- services across reconfigures


def test_service_lifecycle_reconfigure_change_remove_roll_back_respawn(env):
    root = env["root"]
    a, b = free_port(), free_port()
    r = reconfigure(env, write_config(env, port=a))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "services started: web" in r.stdout
    assert wait_for(lambda: port_answers(a))

    # Change its port: restarted with the new value.
    r = reconfigure(env, write_config(env, port=b))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "~ service web" in r.stdout and "services restarted: web" in r.stdout
    assert wait_for(lambda: port_answers(b))
    assert wait_for(lambda: port_closed(a))

    # Remove it: the process is gone.
    pid = web_pid(root)
    assert pid
    r = reconfigure(env, write_config(env))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "- service web" in r.stdout
    assert wait_for(lambda: gone(pid))
    assert wait_for(lambda: port_closed(b))

    # Roll back: it is back (the daemon runs, so services are upgraded too).
    r = schemy("system", "roll-back", "--root", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "generation 2" in r.stdout
    assert wait_for(lambda: port_answers(b))

    # Kill it: respawned with a new pid, the port answers again.
    old = web_pid(root)
    assert old
    os.kill(old, signal.SIGKILL)
    new = wait_for(lambda: (p := web_pid(root)) and p != old and p)
    assert new and new != old
    assert wait_for(lambda: port_answers(b))


def test_crashing_service_is_disabled_after_the_respawn_limit(env):
    marker = f"crasher-{env['tmp'].name}"
    r = reconfigure(env, write_config(env, extra=(CRASHER.format(marker=marker),)))
    assert r.returncode in (0, 3), r.stdout + r.stderr
    client = Client(env["root"], timeout=10)
    info = wait_for(lambda: (s := client.status("crasher")) and not s["enabled"] and s, timeout=15)
    assert info, client.status("crasher")
    assert info["disabled_reason"] == "respawning too fast"
    assert info["status"] != "running"
    assert not processes_mentioning(marker)


def test_stop_root_leaves_no_process_nor_zombie(env):
    root, port = env["root"], free_port()
    assert reconfigure(env, write_config(env, port=port)).returncode == 0
    assert wait_for(lambda: port_answers(port))
    daemon = Client(root).request("ping")["pid"]
    service = web_pid(root)
    r = schemy("herd", "--root", str(root), "stop", "root")
    assert r.returncode == 0, r.stdout + r.stderr
    assert wait_for(lambda: gone(daemon)) and wait_for(lambda: gone(service))
    # The daemon reaped its services: the only zombie handed to us (the subreaper) is the daemon.
    assert [p for p in zombie_children(os.getpid()) if p != daemon] == []
    reap_zombies()
    assert processes_mentioning(str(root)) == [] and processes_mentioning(str(env["www"])) == []
    assert port_closed(port)


# ---------------------------------------------------------------- build, dry run


def test_build_twice_same_path_nothing_new(env):
    root = env["root"]
    config = write_config(env, port=free_port(), greeting="hi\n")
    first = schemy("system", "build", config, "--root", str(root))
    assert first.returncode == 0, first.stderr
    path = first.stdout.strip().splitlines()[-1]
    assert path.startswith(str(root / "store") + "/") and os.path.isdir(path)
    before = store_listing(root)
    second = schemy("system", "build", config, "--root", str(root))
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().splitlines()[-1] == path
    lock = str(root / "var" / "schemy" / "lock")  # a build holds the lock, recording its pid there
    assert {k: v for k, v in store_listing(root).items() if k != lock} == \
        {k: v for k, v in before.items() if k != lock}
    assert not (root / "current-system").exists()


def test_dry_run_prints_the_summary_and_changes_nothing(env):
    root = env["root"]
    assert reconfigure(env, write_config(env, greeting="one\n"), "--no-services").returncode == 0
    before = store_listing(root)
    r = reconfigure(env, write_config(env, greeting="two\n", users=("alice", "bob")), "--dry-run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "would change:" in r.stdout and "~ /etc/greeting" in r.stdout and "+ user bob" in r.stdout
    after = store_listing(root)

    def outside_store(listing):  # the build may add store items; the lock file is rewritten
        return {p: m for p, m in listing.items()
                if not p.startswith(str(root / "store")) and not p.endswith("var/schemy/lock")}

    assert outside_store(after) == outside_store(before)
    assert len(StateRoot(root).generations()) == 1
    assert not Client(root).alive()


# ---------------------------------------------------------------- generations and gc


def test_generations_list_switch_delete_gc_describe_diff(env):
    root = env["root"]
    for text in ("one\n", "two\n", "three\n"):
        r = reconfigure(env, write_config(env, greeting=text), "--no-services")
        assert r.returncode == 0, r.stdout + r.stderr
    r = schemy("system", "list-generations", "--root", str(root))
    assert r.returncode == 0
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines() if ln.startswith("Generation")] == \
        ["Generation 1", "Generation 2", "Generation 3"]
    assert "(current)" in [ln for ln in r.stdout.splitlines() if ln.startswith("Generation 3")][0]

    r = schemy("system", "diff", "--root", str(root))
    assert r.returncode == 0, r.stderr
    assert "~ /etc/greeting" in r.stdout and "-two" in r.stdout and "+three" in r.stdout

    r = schemy("system", "switch-generation", "1", "--root", str(root))
    assert r.returncode == 0, r.stderr
    assert (root / "etc" / "greeting").read_text() == "one\n"
    assert StateRoot(root).current_generation().number == 1
    r = schemy("system", "describe", "--root", str(root))
    assert r.returncode == 0 and "Generation 1" in r.stdout and "alice" in r.stdout

    items = {g.number: g.store_item for g in StateRoot(root).generations()}
    greeting3 = os.readlink(StateRoot(root).generation(3).system_dir / "etc" / "greeting")
    greeting1 = os.readlink(root / "etc" / "greeting")
    r = schemy("system", "delete-generations", "2..3", "--root", str(root))
    assert r.returncode == 0, r.stderr
    assert [g.number for g in StateRoot(root).generations()] == [1]
    r = schemy("gc", "--root", str(root))
    assert r.returncode == 0, r.stderr
    assert not os.path.exists(items[3]) and not os.path.exists(greeting3)
    assert os.path.isdir(items[1]) and os.path.isfile(greeting1)
    check_complete(root)
    for dirpath, dirs, files in os.walk(root / "etc" / ""):
        for n in dirs + files:
            assert os.path.exists(os.path.join(dirpath, n)), n  # no dangling link in the kept etc
    assert missing_references(root) == set()
    # Deleted generations' system directories went with their store items.
    assert sorted(p.name for p in (root / "var" / "schemy" / "systems").iterdir()) == \
        [os.path.basename(items[1])]
    # The store is still complete for the kept generation: a gc removes nothing more.
    r = schemy("gc", "--root", str(root))
    assert "removed 0 store items" in r.stdout


def test_reconfiguring_the_same_config_changes_nothing(env):
    config = write_config(env, port=None, greeting="same\n")
    assert reconfigure(env, config, "--no-services").returncode == 0
    r = reconfigure(env, config, "--no-services")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no changes to files, accounts or services" in r.stdout
    assert "generation 1 is already this system" in r.stdout
    assert len(StateRoot(env["root"]).generations()) == 1


def test_going_back_to_an_older_config_keeps_every_generation_complete(env):
    root = env["root"]
    first = write_config(env, "a.scm", greeting="a\n")
    assert reconfigure(env, first, "--no-services").returncode == 0
    assert reconfigure(env, write_config(env, "b.scm", greeting="b\n"), "--no-services").returncode == 0
    assert reconfigure(env, first, "--no-services").returncode == 0
    gens = StateRoot(root).generations()
    assert [g.number for g in gens] == [1, 2, 3] and gens[0].system_dir == gens[2].system_dir
    for g in gens:
        assert os.path.isdir(g.store_item) and (g.system_dir / "etc" / "passwd").is_file()
    assert (root / "etc" / "greeting").read_text() == "a\n"


def test_diff_shows_a_service_change(env):
    root = env["root"]
    assert reconfigure(env, write_config(env), "--no-services").returncode == 0
    assert reconfigure(env, write_config(env, port=free_port()), "--no-services").returncode == 0
    r = schemy("system", "diff", "1", "2", "--root", str(root))
    assert r.returncode == 0 and "+ service web" in r.stdout


# ---------------------------------------------------------------- accounts


def test_accounts_files_and_stable_ids(env):
    root = env["root"]
    assert reconfigure(env, write_config(env, users=("alice",)), "--no-services").returncode == 0
    etc = root / "etc"
    passwd1 = {ln.split(":")[0]: ln for ln in (etc / "passwd").read_text().splitlines()}
    group1 = {ln.split(":")[0]: ln for ln in (etc / "group").read_text().splitlines()}
    assert passwd1["alice"].split(":")[1] == "x" and int(passwd1["alice"].split(":")[2]) >= 1000
    assert group1["libvirt"].split(":")[3].split(",") == ["alice"]
    assert (os.stat(etc / "shadow").st_mode & 0o777) == 0o600
    assert "alice:" in (etc / "shadow").read_text()

    assert reconfigure(env, write_config(env, users=("bob", "alice")), "--no-services").returncode == 0
    passwd2 = {ln.split(":")[0]: ln for ln in (etc / "passwd").read_text().splitlines()}
    group2 = {ln.split(":")[0]: ln for ln in (etc / "group").read_text().splitlines()}
    for name, line in passwd1.items():
        assert passwd2[name].split(":")[2:4] == line.split(":")[2:4], name
    for name, line in group1.items():
        assert group2[name].split(":")[2] == line.split(":")[2], name
    assert passwd2["bob"].split(":")[2] not in {ln.split(":")[2] for ln in passwd1.values()}
    assert sorted(group2["libvirt"].split(":")[3].split(",")) == ["alice", "bob"]


# ---------------------------------------------------------------- failure semantics


def test_build_error_switches_nothing(env):
    root = env["root"]
    assert reconfigure(env, write_config(env, greeting="ok\n"), "--no-services").returncode == 0
    bad = Path(write_config(env, "bad.scm", extra=(BAD_FIELD,)))
    bad.write_text("(use-service-modules virtualization)\n" + bad.read_text())
    line = next(i for i, ln in enumerate(bad.read_text().splitlines(), 1) if "(libvirt-configuration" in ln)
    before = os.readlink(root / "current-system")
    r = reconfigure(env, str(bad))
    assert r.returncode == 1
    assert f"{bad}:{line}:" in r.stderr, r.stderr
    assert "listen-tls?" in r.stderr
    assert os.readlink(root / "current-system") == before
    assert len(StateRoot(root).generations()) == 1


def test_activation_failure_rolls_back(env):
    root = env["root"]
    assert reconfigure(env, write_config(env, greeting="ok\n"), "--no-services").returncode == 0
    before = os.readlink(root / "current-system")
    r = reconfigure(env, write_config(env, greeting="new\n", extra=(BOOM,)))
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "boom" in out and "activation failed" in out
    assert "the switch was undone: the current system is still generation 1" in out
    assert os.readlink(root / "current-system") == before
    assert [g.number for g in StateRoot(root).generations()] == [1]
    assert StateRoot(root).current_generation().number == 1
    assert os.readlink(root / "profiles" / "system") == "system-1-link"
    check_complete(root)
    assert (root / "etc" / "greeting").read_text() == "ok\n"
    assert not Client(root).alive()


UNLOADABLE = """(simple-service 'broken shepherd-root-service-type
   (list (shepherd-service (provision '(broken))
           (start #~(make-forkexec-constructor (no-such-procedure)))
           (stop #~(make-kill-destructor)))))"""


def test_services_the_manager_cannot_load_undo_the_switch(env):
    root = env["root"]
    port = free_port()
    assert reconfigure(env, write_config(env, port=port, greeting="ok\n")).returncode == 0
    pid = wait_for(lambda: web_pid(root), 10)
    before = os.readlink(root / "current-system")
    config = write_config(env, "broken.scm", port=port, greeting="new\n", extra=(UNLOADABLE,))
    lines = Path(config).read_text().splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if "(provision '(broken))" in ln)
    r = reconfigure(env, config)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "no-such-procedure: unbound variable" in out
    assert f"in the code of service broken (declared at {config}:{line}:" in out
    assert "the switch was undone: the current system is still generation 1, its services untouched" in out
    assert os.readlink(root / "current-system") == before
    assert [g.number for g in StateRoot(root).generations()] == [1]
    assert (root / "etc" / "greeting").read_text() == "ok\n"
    assert web_pid(root) == pid


def test_activation_failure_of_a_first_system_leaves_no_system(env):
    root = env["root"]
    r = reconfigure(env, write_config(env, extra=(BOOM,)))
    assert r.returncode == 1 and "activation failed: boom" in r.stderr
    assert "still no system" in r.stderr
    for link in ("current-system", "etc", "profiles/system", "profiles/system-1-link"):
        assert not os.path.lexists(root / link), link
    assert StateRoot(root).generations() == []


def test_service_failing_to_start_keeps_the_new_generation_exit_3(env):
    root = env["root"]
    r = reconfigure(env, write_config(env, extra=(BROKEN_START,)))
    assert r.returncode == 3, r.stdout + r.stderr
    assert "service broken failed to start" in r.stdout
    assert "schemy-test-program" in r.stdout or "No such file" in r.stdout
    assert StateRoot(root).current_generation().number == 1


# ---------------------------------------------------------------- crashes and locking


CRASH_STEPS = ("build", "prepare_system_dir", "add_generation", "switch", "activation")


def test_crash_at_any_step_leaves_a_complete_current_system(env):
    root = env["root"]
    assert reconfigure(env, write_config(env, greeting="v0\n"), "--no-services").returncode == 0
    for i, step in enumerate(CRASH_STEPS, 1):
        previous = (root / "current-system").resolve()
        config = write_config(env, greeting=f"v{i}\n")
        r = reconfigure(env, config, "--no-services", env_extra={"SCHEMY_TEST_CRASH_AT": step})
        assert r.returncode == 137, (step, r.stdout, r.stderr)
        system_dir = check_complete(root)
        assert (root / "etc" / "greeting").read_text() in (f"v{i - 1}\n", f"v{i}\n"), step
        if step in ("build", "prepare_system_dir", "add_generation"):
            assert system_dir == previous, step
        # A later reconfigure succeeds and makes the new system current.
        r = reconfigure(env, config, "--no-services")
        assert r.returncode == 0, (step, r.stdout, r.stderr)
        check_complete(root)
        assert (root / "etc" / "greeting").read_text() == f"v{i}\n"
        gen = StateRoot(root).current_generation()
        assert gen is not None and os.readlink(root / "profiles" / "system") == f"system-{gen.number}-link"


def test_crash_before_activation_is_activated_by_the_next_reconfigure(env):
    # Activation runs in the root's view, where /tmp is the root's: the marker goes in the root.
    marker = env["root"] / "activated"
    activate = f"""(simple-service 'mark activation-service-type
   #~(call-with-output-file "{marker}" (lambda (port) (display "yes" port))))"""
    config = write_config(env, extra=(activate,))
    r = reconfigure(env, config, "--no-services", env_extra={"SCHEMY_TEST_CRASH_AT": "switch"})
    assert r.returncode == 137 and not marker.exists()
    check_complete(env["root"])
    r = reconfigure(env, config, "--no-services")
    assert r.returncode == 0, r.stdout + r.stderr
    assert marker.read_text() == "yes"


def test_second_reconfigure_fails_fast_on_the_lock(env):
    root = env["root"]
    config = write_config(env)
    with StateRoot(root).lock():
        start = time.monotonic()
        r = reconfigure(env, config, "--no-services")
        elapsed = time.monotonic() - start
    assert r.returncode == 1
    assert "another schemy command is changing" in r.stderr + r.stdout
    assert str(os.getpid()) in r.stderr + r.stdout
    assert elapsed < 15
    assert not (root / "current-system").exists()
