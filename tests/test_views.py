"""Each root's services run in the root's own view of the system (schemy.shepherd.namespace):
the chapter's libvirt example as written, two roots with the same PID files side by side,
prefix mode writing nothing outside its root, a private network, generation switches, and
`schemy system container`.  Every test stops what it starts (a finalizer stops the roots)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from schemy.shepherd import namespace
from schemy.shepherd.herd import Client

REPO = Path(__file__).resolve().parent.parent
SCHEMY = str(Path(sys.executable).with_name("schemy"))


def need(program: str, package: str) -> None:
    if shutil.which(program) is None and not os.access(program, os.X_OK):
        pytest.skip(f"{program} is not installed: apt-get install {package}")


def schemy(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("SCHEMY_ROOT", None)
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def in_view(root: Path, *command: str) -> str:
    r = schemy("system", "shell", "--root", str(root), "--", *command)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


@pytest.fixture()
def roots(tmp_path):
    """Roots whose service managers are stopped at the end, whatever happens."""
    made: list[Path] = []

    def make(name: str) -> Path:
        made.append(tmp_path / name)
        return tmp_path / name

    yield make
    for root in made:
        pid = (namespace.read_view(root) or {}).get("pid")
        schemy("herd", "--root", str(root), "stop", "root")
        if pid:
            deadline = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)


def gone(pid: int, timeout: float = 10.0) -> bool:
    """Whether ``pid`` has exited (a zombie waiting for its reaper counts as exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return True
        if stat[stat.rfind(")") + 2:].startswith("Z"):
            return True
        time.sleep(0.05)
    return False


def mounts_mentioning(path: Path) -> list[str]:
    return [line for line in Path("/proc/self/mountinfo").read_text().splitlines() if str(path) in line]


OS = """(use-modules (gnu))
(use-service-modules shepherd)
(operating-system
  (host-name "view-test")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account (name "viewer") (group "users")) %base-user-accounts))
  (services (append (list {services}) %base-services)))
"""

# A daemon writing its PID file at a fixed path of /run, as daemons do.
PIDFILE_DAEMON = """(simple-service 'pidder shepherd-root-service-type
   (list (shepherd-service (provision '(pidder))
           (start #~(make-forkexec-constructor
                     (list "sh" "-c" "echo $$ > /run/pidder.pid; exec sleep 1000")
                     #:pid-file "/run/pidder.pid"))
           (stop #~(make-kill-destructor)))))"""

GREETING = """(simple-service 'greeting etc-service-type
   (list `("greeting" ,(plain-file "greeting" "{text}"))))"""


def write(tmp_path: Path, name: str, *services: str) -> str:
    path = tmp_path / name
    path.write_text(OS.format(services="\n  ".join(services)))
    return str(path)


def test_the_chapters_libvirt_example_answers_in_its_view_and_a_second_root_beside_it(roots):
    need("/usr/sbin/libvirtd", "libvirt-daemon")
    need("virsh", "libvirt-clients")
    need("nsenter", "util-linux")
    first, second = roots("first"), roots("second")
    config = str(REPO / "examples" / "libvirt.scm")  # the manual's example, as printed
    for root in (first, second):
        r = schemy("reconfigure", config, "--root", str(root))
        assert r.returncode == 0, r.stdout + r.stderr
        assert "services started: libvirtd" in r.stdout
    pids = []
    for root in (first, second):
        # The socket's group is the declared `libvirt`, which the host need not have.
        assert in_view(root, "stat", "-c", "%G %a", "/run/libvirt/libvirt-sock") == "libvirt 770\n"
        assert in_view(root, "getent", "group", "libvirt").endswith(":user\n")
        assert in_view(root, "virsh", "-c", "qemu:///system", "uri").strip() == "qemu:///system"
        assert (root / "run" / "libvirt" / "libvirt-sock").exists()  # the root's own /run
        status = Client(root).status("libvirtd")
        assert status["status"] == "running"
        pids.append(status["pid"])
        assert int((root / "run" / "libvirtd.pid").read_text()) == status["pid"]
    assert pids[0] != pids[1]
    for root, pid in zip((first, second), pids):
        r = schemy("herd", "--root", str(root), "stop", "root")
        assert r.returncode == 0, r.stderr
        assert gone(pid)
        assert namespace.read_view(root) is None
        assert mounts_mentioning(root) == []


def test_two_roots_with_the_same_pid_file_run_side_by_side_and_stop_cleanly(tmp_path, roots):
    config = write(tmp_path, "pidder.scm", PIDFILE_DAEMON)
    a, b = roots("a"), roots("b")
    for root in (a, b):
        r = schemy("reconfigure", config, "--root", str(root))
        assert r.returncode == 0, r.stdout + r.stderr
    pids = [Client(root).status("pidder")["pid"] for root in (a, b)]
    assert pids[0] != pids[1] and all(Path(f"/proc/{p}").exists() for p in pids)
    for root, pid in zip((a, b), pids):
        assert int((root / "run" / "pidder.pid").read_text()) == pid
    views = [namespace.read_view(root)["pid"] for root in (a, b)]
    for root in (a, b):
        assert schemy("herd", "--root", str(root), "stop", "root").returncode == 0
    for pid in pids + views:
        assert gone(pid), pid


def _snapshot(top: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            out[p] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def test_prefix_mode_writes_nothing_outside_its_root(tmp_path, roots):
    token = "schemy-probe-" + uuid.uuid4().hex[:8]
    dirs = ("/run", "/var/lib", "/var/log", "/var/cache", "/var/spool", "/tmp", "/var/tmp", "/srv", "/home", "/etc")
    touch = "touch " + " ".join(f"{d}/{token}" for d in dirs)
    # Activation and a service write where a real system's would: /etc, /run, /var/run,
    # /var/lib, /var/log, /var/cache (cups), /var/spool (cups), /tmp, /srv (nginx's web root),
    # /home.  In the view each of these is the root's (or, for /etc, a tmpfs).
    writer = f"""(simple-service 'writer shepherd-root-service-type
   (list (shepherd-service (provision '(writer))
           (start #~(make-forkexec-constructor
                     (list "sh" "-c" "{touch}; exec sleep 1000")))
           (stop #~(make-kill-destructor)))))"""
    activation = f"""(simple-service 'probe activation-service-type
   #~(begin (mkdir-p "/var/run/{token}/a") (mkdir-p "/var/lib/{token}-act")
            (mkdir-p "/var/spool/{token}-act") (mkdir-p "/var/cache/{token}-act")
            (mkdir-p "/srv/{token}-act/http")
            ;; What cups' activation does: root-file-name leaves the view's own paths alone.
            (mkdir-p (root-file-name "/var/spool/{token}-rfn"))
            (call-with-output-file "/tmp/{token}-act" (lambda (p) (display "x" p)))))"""
    config = write(tmp_path, "writer.scm", writer, activation)
    root = roots("root")
    before = _snapshot(Path("/etc"))
    r = schemy("reconfigure", config, "--root", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    deadline = time.monotonic() + 10
    while not (root / "tmp" / token).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert schemy("herd", "--root", str(root), "stop", "root").returncode == 0
    for d in (*dirs, "/var/run"):
        leaked = [n for n in os.listdir(d) if token in n]
        assert leaked == [], f"{d}: {leaked}"
    assert _snapshot(Path("/etc")) == before
    assert not os.path.exists("/etc/guix")
    for inside in (f"run/{token}/a", *(d.lstrip("/") + "/" + token for d in dirs if d != "/etc"),
                   f"var/lib/{token}-act", f"tmp/{token}-act", f"var/spool/{token}-act",
                   f"var/cache/{token}-act", f"srv/{token}-act/http", f"var/spool/{token}-rfn"):
        assert (root / inside).exists(), inside
    assert mounts_mentioning(root) == []


def test_a_daemon_running_as_its_own_user_writes_its_log_directory_and_schemys_logs_stay_private(tmp_path, roots):
    # As a real system's: /var/log is 0755 root, the daemon's own directory (made by its
    # activation) belongs to its user, and the service manager's logs are root's alone.
    if os.geteuid() != 0:
        pytest.skip("the daemon switches to the declared user viewer, which needs root")
    dropper = """(simple-service 'dropper shepherd-root-service-type
   (list (shepherd-service (provision '(dropper))
           (start #~(make-forkexec-constructor
                     (list "sh" "-c" (string-append "id -un > /var/log/dropper/who; "
                                                    "echo started >> /var/log/dropper/log; "
                                                    "echo to-stdout; exec sleep 1000"))
                     #:user "viewer" #:log-file "/var/log/dropper.log"))
           (stop #~(make-kill-destructor)))))"""
    activation = """(simple-service 'dropper-log activation-service-type
   #~(let ((user (getpwnam "viewer")))
       (mkdir-p "/var/log/dropper")
       (chown "/var/log/dropper" (passwd:uid user) (passwd:gid user))
       (chmod "/var/log/dropper" #o750)))"""
    root = roots("root")
    r = schemy("reconfigure", write(tmp_path, "drop.scm", dropper, activation), "--root", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    log = root / "var" / "log" / "dropper" / "log"
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.read_text() == "started\n"
    assert (root / "var" / "log" / "dropper" / "who").read_text() == "viewer\n"
    modes = {p: (os.stat(root / p).st_mode & 0o7777, os.stat(root / p).st_uid)
             for p in ("var/log", "var/log/schemy", "var/log/dropper")}
    viewer_uid = int(in_view(root, "id", "-u", "viewer"))
    assert modes == {"var/log": (0o755, 0), "var/log/schemy": (0o700, 0), "var/log/dropper": (0o750, viewer_uid)}
    # What the daemon prints stays private in the now-traversable /var/log: 0640, root's.
    printed = root / "var" / "log" / "dropper.log"
    while "to-stdout" not in printed.read_text() and time.monotonic() < deadline + 10:
        time.sleep(0.05)
    assert "to-stdout" in printed.read_text()
    assert (os.stat(printed).st_mode & 0o777, os.stat(printed).st_uid) == (0o640, 0)
    assert Client(root).status("dropper")["status"] == "running"


def test_a_private_network_has_only_loopback_and_it_is_up(tmp_path):
    need("nsenter", "util-linux")
    config = write(tmp_path, "net.scm", PIDFILE_DAEMON)
    probe = ("import socket; print(sorted(l.split(':')[0].strip() for l in open('/proc/net/dev').readlines()[2:]));"
             "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen();"
             "socket.create_connection(s.getsockname(), timeout=5).close(); print('loopback up')")
    r = schemy("system", "container", config, "--network=private", "--", sys.executable, "-c", probe)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "['lo']\nloopback up\n" in r.stdout
    shared = schemy("system", "container", config, "--", sys.executable, "-c", probe)
    assert shared.returncode == 0 and "['lo']\n" not in shared.stdout, shared.stdout + shared.stderr


def test_a_container_is_stopped_and_deleted_when_its_command_ends(tmp_path):
    need("nsenter", "util-linux")
    config = write(tmp_path, "c.scm", PIDFILE_DAEMON)
    r = schemy("system", "container", config, "--", "sh", "-c",
               "cat /run/pidder.pid; getent passwd viewer >/dev/null && echo declared; exit 7")
    assert r.returncode == 7, r.stdout + r.stderr
    assert "declared\n" in r.stdout
    pid = int(next(line for line in r.stdout.splitlines() if line.isdigit()))
    assert gone(pid)
    where = next(line for line in r.stdout.splitlines() if line.startswith("The container runs in "))
    root = Path(where.split()[4])
    assert "schemy system shell --root " + str(root) in r.stdout
    assert not root.exists() and not root.parent.exists()


def test_switching_generations_switches_the_views_etc(tmp_path, roots):
    need("nsenter", "util-linux")
    root = roots("root")
    one = write(tmp_path, "one.scm", PIDFILE_DAEMON, GREETING.format(text="one"))
    two = write(tmp_path, "two.scm", PIDFILE_DAEMON)
    assert schemy("reconfigure", one, "--root", str(root)).returncode == 0
    assert in_view(root, "cat", "/etc/greeting") == "one"
    assert in_view(root, "getent", "passwd", "viewer").startswith("viewer:")
    # The host's own entries the generation does not declare are the host's.
    assert in_view(root, "readlink", "/etc/ld.so.cache") == f"{root}/run/host-etc/ld.so.cache\n"
    assert schemy("reconfigure", two, "--root", str(root)).returncode == 0
    r = schemy("system", "shell", "--root", str(root), "--", "cat", "/etc/greeting")
    assert r.returncode != 0
    assert schemy("system", "roll-back", "--root", str(root)).returncode == 0
    assert in_view(root, "cat", "/etc/greeting") == "one"


def test_shell_without_a_running_manager_says_how_to_start_one(tmp_path):
    r = schemy("system", "shell", "--root", str(tmp_path / "nothing"), "--", "true")
    assert r.returncode == 1
    assert "error: no service manager runs in a view for root" in r.stderr
    assert "hint: start one with `schemy reconfigure FILE --root" in r.stderr
    assert "Traceback" not in r.stderr


def test_activation_in_a_forked_view_writes_in_the_root_and_reports_errors_with_their_place(tmp_path):
    # The path a user who is not root takes (the child makes the view, here as root).
    from schemy.app import Interpreter
    from schemy.lang.errors import SchemeError
    from schemy.system.views import in_forked_view

    root = tmp_path / "root"
    root.mkdir()
    token = "schemy-fork-" + uuid.uuid4().hex[:8]
    in_forked_view(root, lambda: Path(f"/run/{token}").write_text("x"))
    assert (root / "run" / token).read_text() == "x" and not os.path.exists(f"/run/{token}")
    interp = Interpreter()
    script = root / "activate.scm"  # in the root, as activation scripts are (in its store)
    script.write_text('(display "ok")\n  (error "boom in the view")\n')
    with pytest.raises(SchemeError) as info:
        interp.run_protected(lambda: in_forked_view(root, lambda: interp.load_file(str(script))))
    assert "boom in the view" in info.value.message()
    assert info.value.loc is not None and (info.value.loc.filename, info.value.loc.line) == (str(script), 2)


@pytest.fixture()
def nobodys_dir():
    """A directory the user nobody owns (pytest's own are private to root)."""
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="schemy-view-test-"))
    shutil.chown(d, "nobody")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_a_user_who_is_not_root_gets_a_view_through_a_user_namespace(nobodys_dir):
    need("setpriv", "util-linux")
    need("/usr/bin/python3", "python3")
    if os.geteuid() != 0:
        pytest.skip("the test switches to the user nobody, which needs root")
    root = nobodys_dir / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "passwd").write_text("viewer:x:1000:100::/home/viewer:/bin/sh\n")
    for d in (root, root / "etc", root / "etc" / "passwd"):
        shutil.chown(d, "nobody")
    probe = (f"from schemy.shepherd import namespace; namespace.create_view({str(root)!r}, 'private');"
             "print(open('/etc/passwd').readline().strip()); print(namespace.can_switch_accounts());"
             "open('/tmp/made-in-view', 'w').close()")
    r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                        "/usr/bin/python3", "-c", probe], capture_output=True, text=True, timeout=60,
                       env={"PYTHONPATH": str(REPO), "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "viewer:x:1000:100::/home/viewer:/bin/sh\nFalse\n"
    assert (root / "tmp" / "made-in-view").exists()


def test_ctrl_c_stops_a_container_and_deletes_its_root(tmp_path):
    import signal

    config = write(tmp_path, "c.scm", PIDFILE_DAEMON)
    env = dict(os.environ)
    env.pop("SCHEMY_ROOT", None)
    p = subprocess.Popen([SCHEMY, "system", "container", config], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=env, stdin=subprocess.DEVNULL)
    lines = []
    root = None
    try:
        for line in p.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        where = next(line for line in lines if line.startswith("The container runs in "))
        root = Path(where.split()[4])
        pid = Client(root).status("pidder")["pid"]
        manager = namespace.read_view(root)["pid"]
        p.send_signal(signal.SIGINT)
        rest = p.communicate(timeout=60)[0]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
            # Killed before it could clean up: stop the container's manager and services here,
            # so that a failure (a loaded machine) leaves no daemon behind.
            if root is not None and root.exists():
                schemy("herd", "--root", str(root), "stop", "root")
                shutil.rmtree(root.parent, ignore_errors=True)
    assert p.returncode == 130, "".join(lines) + rest
    assert f"container stopped; {root.parent} deleted" in rest
    assert gone(pid) and gone(manager)
    assert not root.parent.exists()


def test_the_views_etc_is_the_generations_then_the_hosts(tmp_path, monkeypatch):
    root = tmp_path / "root"
    gen = root / "var" / "gen-etc"
    (gen / "libvirt").mkdir(parents=True)
    os.symlink("var/gen-etc", root / "etc")
    (gen / "passwd").write_text("root:x:0:0::/root:/bin/sh\nuser:x:1000:100::/home/user:/bin/sh\n")
    (gen / "group").write_text("root:x:0:\nlibvirt:x:985:user\n")
    host = namespace.host_etc(root)
    (host / "libvirt").mkdir(parents=True)
    (host / "ssl").mkdir()
    (host / "ld.so.cache").write_text("cache")
    os.symlink("../proc/self/mounts", host / "mtab")
    (host / "passwd").write_text("root:x:0:0::/root:/bin/bash\nlibvirt-qemu:x:107:112::/:/bin/false\n"
                                 "clash:x:1000:1000::/:/bin/sh\nuser:x:108:1::/:/bin/sh\nperson:x:1001:1001::/:/bin/sh\n")
    (host / "group").write_text("root:x:0:\nlibvirt:x:113:\nkvm:x:104:\nother:x:985:\n")
    monkeypatch.setattr(namespace, "_host_copies", {"resolv.conf": b"nameserver 10.0.0.1\n"})
    (host / "resolv.conf").write_text("the host's link, dangling in the view")
    etc = tmp_path / "view-etc"
    etc.mkdir()
    (etc / "stale").symlink_to("/nowhere")
    namespace.sync_etc(root, etc)
    assert os.readlink(etc / "libvirt") == f"{root.resolve()}/etc/libvirt"  # the declared directory, whole
    assert os.readlink(etc / "ssl") == f"{host.resolve()}/ssl"
    assert os.readlink(etc / "ld.so.cache") == f"{host.resolve()}/ld.so.cache"
    assert os.readlink(etc / "mtab") == "/proc/self/mounts"
    assert (etc / "resolv.conf").read_bytes() == b"nameserver 10.0.0.1\n"
    assert not os.path.lexists(etc / "stale")
    # Declared accounts first; then the host's system accounts whose names and ids are free.
    assert (etc / "passwd").read_text() == ("root:x:0:0::/root:/bin/sh\nuser:x:1000:100::/home/user:/bin/sh\n"
                                            "libvirt-qemu:x:107:112::/:/bin/false\n")
    assert (etc / "group").read_text() == "root:x:0:\nlibvirt:x:985:user\nkvm:x:104:\n"


def _as_user_1000(script: str, max_user_namespaces: int, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``script`` as user 1000 of a user namespace (the files are still accessed as the
    test's user), in which at most ``max_user_namespaces`` more user namespaces can be made."""
    need("unshare", "util-linux")
    if subprocess.run(["unshare", "--user", "--map-user=1000", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare lacks --map-user or user namespaces are forbidden: util-linux >= 2.38")
    env = {k: v for k, v in os.environ.items() if k != "SCHEMY_ROOT"}
    inner = f"unshare --user --map-user=1000 --map-group=1000 sh -c {shlex_quote(script)}"
    return subprocess.run(["unshare", "--user", "--map-root-user", "sh", "-c",
                           f"echo {max_user_namespaces} > /proc/sys/user/max_user_namespaces && {inner}"],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=str(REPO))


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def test_a_user_who_is_not_root_runs_a_root_in_its_own_user_namespace(tmp_path):
    as_viewer = PIDFILE_DAEMON.replace('"/run/pidder.pid"))', '"/run/pidder.pid" #:user "viewer"))')
    config = write(tmp_path, "u.scm", as_viewer,
                   """(simple-service 'probe activation-service-type #~(mkdir-p "/var/run/probe"))""")
    root = tmp_path / "root"
    r = _as_user_1000(f"{SCHEMY} reconfigure {config} --root {root} && "
                      f"{SCHEMY} system shell --root {root} -- "
                      "sh -c 'cat /run/pidder.pid; id -u; getent passwd viewer'; "
                      f"{SCHEMY} herd --root {root} status pidder; {SCHEMY} herd --root {root} stop root", 10)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "services started: pidder" in r.stdout
    assert "\n0\nviewer:x:1000:" in r.stdout  # root of its namespace; the declared account
    assert "user viewer ignored" in r.stdout  # accounts cannot be switched with one uid mapped
    assert (root / "run" / "probe").is_dir()  # activation ran in the view too
    assert "Service root has been stopped." in r.stdout


def test_where_the_kernel_forbids_a_user_namespace_the_error_says_so(tmp_path):
    config = write(tmp_path, "u.scm", PIDFILE_DAEMON)
    root = tmp_path / "root"
    r = _as_user_1000(f"{SCHEMY} reconfigure {config} --root {root}", 1)
    assert r.returncode == 1, r.stdout + r.stderr
    assert ("error: activation failed: cannot make the view activation runs in: cannot give the services "
            "their own view of the system as user 1000: the limit of user namespaces is reached") in r.stderr
    assert "the switch was undone" in r.stderr
    assert "Traceback" not in r.stderr


def test_what_lives_under_a_covered_directory_is_shown_again_once(tmp_path):
    venv = tmp_path / "venv"
    (venv / "lib").mkdir(parents=True)
    root = tmp_path / "root"
    root.mkdir()
    kept = namespace._kept_under_covered([root, venv, venv / "lib", Path("/usr"), Path("/tmp"), tmp_path / "gone"])
    assert sorted(kept) == sorted([root.resolve(), venv.resolve()])
