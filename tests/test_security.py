"""Security rules: a tool that runs as root must not be turned against its host.  One rule a line:

- Store item names are single path components: no '/', '..', leading '.', NUL (every file-like).
- /etc entry names are relative paths that cannot leave /etc; realized files never escape the root.
- /etc entries named passwd, shadow, group or static are reserved for schemy.
- No /etc entry lies inside another entry (a link): nothing is written through it, in build or switch.
- Store directories and system etc trees are made through O_NOFOLLOW directory descriptors,
  files with O_EXCL|O_NOFOLLOW: a link planted in the tree never redirects a write.
- Store items are read-only; shadow is 0600, passwd and group 0644; the lock file 0600.
- Account fields (name, group, comment, home, shell, password) hold no ':', newline or control
  character: reconfigure refuses them before writing anything, `system check` reports them.
- Password hashes never reach the world-readable store (only digests; the hashes live in the 0600
  shadow); a config only its owner may read is not copied there; `local-file` of a file others
  cannot read is refused.
- A state root, its store or any state directory that is a link or owned by another user is
  refused; the lock file and account-ids.json are never followed nor taken from another user;
  everything is created with fixed modes whatever the umask.
- The service manager's socket is 0600 in a 0700 directory and refuses other users; services run as
  their declared user; childhurd secrets are 0600 in a 0700 tree.
- `system check` and `--sandbox` deny by default: no file is created, truncated or written whatever
  its name (`__pycache__`, copy-file, mkstemp! included); only files every user may read are read
  (links resolved: no /etc/shadow, no /proc/self/environ); no processes, network or environment
  (getenv, environ, default-environment-variables); the checked config may be private to its owner.
- `system check` reports every sandbox refusal, even one the configuration caught and went on from.
- `system check` has a time and a memory budget (--time-limit, --memory-limit): an endless loop or a
  macro that never stops expanding ends with a clear error.
"""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemy.cli.main import main
from schemy.guix.store import Store, check_item_name
from schemy.lang.errors import SchemeError
from schemy.runtime import sandbox
from schemy.system.build import check_etc_name
from schemy.system.generations import _check_inside

EXAMPLES = Path(__file__).parent.parent / "examples"
BARE_BONES = (EXAMPLES / "bare-bones.scm").read_text()

OS_TAIL = """
(operating-system
  (host-name "sec")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services %s))
"""


def config_with(tmp_path: Path, prelude: str, services: str = "%base-services", name: str = "c.scm") -> Path:
    path = tmp_path / name
    header = "(use-modules (gnu) (gnu services shepherd))\n"
    path.write_text(header + prelude + OS_TAIL.replace("%s", services))
    return path


def run_cli(*args: str):
    """Run schemy in-process; the sandbox is process-wide, so switch it back off afterwards."""
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        sandbox.ACTIVE = False


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("name", ["a/b", "..", ".", "", ".hidden", "../etc", "x\0y", "/abs"])
def test_store_item_names_with_slash_or_dotdot_are_rejected(name):
    with pytest.raises(SchemeError, match="invalid store item name"):
        check_item_name(name)


def test_store_item_name_check_applies_to_every_file_like(tmp_path):
    store = Store(tmp_path / "store")
    with pytest.raises(SchemeError):
        store.add_text("../escape", "x")
    with pytest.raises(SchemeError):
        store.add_directory("a/b", {})
    assert not (tmp_path / "escape").exists()
    assert list(tmp_path.iterdir()) in ([], [tmp_path / "store"])


@pytest.mark.parametrize("name", ["../../outside", "/etc/passwd", "a/../../b", "", "a//b", "./x", "ssh/.."])
def test_etc_names_that_could_escape_are_rejected(name):
    with pytest.raises(SchemeError, match="invalid /etc entry name"):
        check_etc_name(name)


def test_nested_etc_names_are_allowed():
    assert check_etc_name("ssh/sshd_config") == "ssh/sshd_config"


def test_realized_files_never_escape_the_root(tmp_path):
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    root = work / "root"
    for name in ("../../outside", "../../../../../../outside"):
        config = config_with(work, "", f"(cons (simple-service 'evil etc-service-type "
                                       f"(list (list \"{name}\" (plain-file \"x\" \"y\")))) %base-services)")
        result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
        assert result.exit_code == 1
        assert "invalid /etc entry name" in result.stderr
    escaped = [p for p in tmp_path.rglob("outside*")]
    assert escaped == []
    assert not (root / "current-system").exists()


def test_check_inside_refuses_paths_leaving_the_etc_tree(tmp_path):
    with pytest.raises(SchemeError, match="outside of"):
        _check_inside(tmp_path / "etc", tmp_path / "etc" / ".." / "x")
    _check_inside(tmp_path / "etc", tmp_path / "etc" / "ssh" / "config")


# ---------------------------------------------------------------- permissions


@pytest.fixture(scope="module")
def switched_root(tmp_path_factory):
    """A root switched (without services) to the bare-bones example."""
    tmp = tmp_path_factory.mktemp("switched")
    config = tmp / "config.scm"
    config.write_text(BARE_BONES)
    root = tmp / "root"
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.stderr
    return root


def test_store_items_are_read_only(switched_root):
    items = [p for p in (switched_root / "store").iterdir() if not p.name.startswith(".")]
    assert items
    for item in items:
        for path in [item, *item.rglob("*")] if item.is_dir() and not item.is_symlink() else [item]:
            if path.is_symlink():
                continue
            mode = stat.S_IMODE(path.lstat().st_mode)
            assert mode & 0o222 == 0, f"{path} is writable ({mode:o})"


def test_shadow_is_private_and_passwd_is_public(switched_root):
    etc = switched_root / "current-system" / "etc"
    assert stat.S_IMODE((etc / "shadow").stat().st_mode) == 0o600
    assert stat.S_IMODE((etc / "passwd").stat().st_mode) == 0o644
    assert stat.S_IMODE((etc / "group").stat().st_mode) == 0o644


def test_state_lock_file_is_private(switched_root):
    assert stat.S_IMODE((switched_root / "var" / "schemy" / "lock").stat().st_mode) == 0o600


def test_hurd_vm_secrets_are_private(tmp_path):
    """The key files a service writes (childhurd secrets) are in a 0700 tree, the private
    ones readable by their owner only."""
    from schemy.app import Interpreter
    from schemy.guix.gexp import CURRENT_STORE
    from schemy.guix.store import Store
    from schemy.lang.datum import to_str
    from schemy.runtime.parameters import parameterized

    interp = Interpreter()
    secrets, host = tmp_path / "childhurd", tmp_path / "host"
    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        text = to_str(interp.eval_string(f"""
          (use-modules (gnu services) (gnu services virtualization) (guix gexp) (guix build utils))
          (gexp->string
           ((service-extension-compute
             (find (lambda (e) (eq? (service-extension-target e) activation-service-type))
                   (service-type-extensions hurd-vm-service-type)))
            (hurd-vm-configuration (secret-root "{secrets}"))))""", "t.scm"))
        # As reconfigure binds it in prefix mode: the host's /etc files land under HOST.
        interp.eval_string(f'(define (root-file-name f) (if (string-prefix? "/etc/" f) '
                           f'(string-append "{host}" f) f))', "activation.scm")
        interp.eval_string(text, "activation.scm")
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    for key in ("etc/ssh/ssh_host_ed25519_key", "etc/ssh/ssh_host_ecdsa_key", "etc/guix/signing-key.sec"):
        assert stat.S_IMODE((secrets / key).stat().st_mode) & 0o077 == 0, key


# ---------------------------------------------------------------- the service manager


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" in fh.read()
    except OSError:
        return True


@pytest.fixture
def manager_root(tmp_path):
    from schemy.shepherd.herd import connect

    root = tmp_path / "root"
    yield root
    client = connect(root)
    pid_file = root / "run" / "schemy" / "manager.pid"
    pid = None
    for candidate in root.rglob("manager.pid"):
        pid_file = candidate
    if pid_file.exists():
        pid = int(pid_file.read_text().strip() or 0) or None
    try:
        if client.alive():
            client.stop_root()
    finally:
        if pid and not _gone(pid):
            os.kill(pid, signal.SIGKILL)


def test_service_manager_socket_is_0600_in_a_0700_directory(manager_root):
    from schemy.shepherd.daemon import socket_path
    from schemy.shepherd.herd import ensure_daemon

    ensure_daemon(manager_root)
    sock = socket_path(manager_root)
    assert stat.S_ISSOCK(sock.stat().st_mode)
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600
    assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() != 0, reason="connecting as another user needs root to switch users")
def test_service_manager_refuses_other_users(manager_root):
    import pwd
    import subprocess

    from schemy.shepherd.daemon import socket_path
    from schemy.shepherd.herd import ensure_daemon

    ensure_daemon(manager_root)
    sock = socket_path(manager_root)
    nobody = pwd.getpwnam("nobody")
    probe = ("import socket, sys\n"
             "s = socket.socket(socket.AF_UNIX)\n"
             "try:\n"
             f"    s.connect({str(sock)!r}); s.sendall(b'{{\"op\": \"status\"}}\\n')\n"
             "    print('answered:', s.recv(100))\n"
             "except OSError as e:\n"
             "    print('refused:', e.errno)\n")
    python = "/usr/bin/python3"  # readable by nobody, unlike a virtualenv under /root
    if not os.path.exists(python):
        pytest.skip("no system python3 for the unprivileged probe: apt-get install python3")
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=30,
                         user=nobody.pw_uid, group=nobody.pw_gid, extra_groups=[], cwd="/")
    assert out.stdout.startswith("refused:"), out.stdout + out.stderr


def _processes_with(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def _uid_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError("no Uid line")


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping privileges needs root")
def test_services_run_as_their_declared_user(tmp_path, manager_root):
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody on this host: apt-get install base-passwd")
    marker = f"{time.time_ns() % 10**9}.5"
    service = f"""(simple-service 'sleeper shepherd-root-service-type
      (list (shepherd-service (provision '(sleeper))
              (start #~(make-forkexec-constructor (list "sleep" "{marker}") #:user "nobody"))
              (stop #~(make-kill-destructor)))))"""
    config = config_with(tmp_path, "", f"(cons {service} %base-services)")
    result = run_cli("system", "reconfigure", str(config), "--root", str(manager_root))
    assert result.exit_code in (0, 3), result.output + result.stderr
    deadline = time.monotonic() + 20
    while not (pids := [p for p in _processes_with(f"sleep {marker}") if not _gone(p)]):
        assert time.monotonic() < deadline, result.output + result.stderr
        time.sleep(0.1)
    try:
        assert [_uid_of(p) for p in pids] == [nobody.pw_uid]
    finally:
        for p in pids:
            if not _gone(p):
                os.kill(p, signal.SIGKILL)


# ---------------------------------------------------------------- the sandbox


@pytest.mark.parametrize("prelude, what", [
    ('(call-with-output-file "{out}" (lambda (p) (display "pwned" p)))\n', "writing files"),
    ('(system* "touch" "{out}")\n', "starting processes"),
    ('(define home (getenv "HOME"))\n', "environment"),
    ('(mkdir "{out}")\n', "creating directories"),
])
def test_system_check_runs_the_config_in_a_sandbox(tmp_path, prelude, what):
    out = tmp_path / "written"
    config = config_with(tmp_path, prelude.replace("{out}", str(out)))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_cli("system", "check", str(config))
    assert result.exit_code == 1, result.output + result.stderr
    assert "Traceback" not in result.stderr
    assert "sandbox" in result.stderr and what in result.stderr, result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_system_check_sandbox_error_points_at_the_offending_form(tmp_path):
    config = config_with(tmp_path, '(mkdir "/tmp/never-made-by-schemy")\n')
    result = run_cli("system", "check", str(config))
    assert result.stderr.startswith(f"{config}:2:0: error: sandbox: creating directories is not allowed")


def test_system_check_accepts_a_harmless_config(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    result = run_cli("system", "check", str(config))
    assert result.exit_code == 0, result.stderr
    assert "no problems found" in result.output


def test_eval_sandbox_forbids_writes_and_environment(tmp_path):
    out = tmp_path / "x"
    result = run_cli("eval", "--sandbox", "-e", f'(call-with-output-file "{out}" (lambda (p) (write 1 p)))')
    assert result.exit_code == 1
    assert "sandbox: writing files is not allowed" in result.stderr
    assert not out.exists()
    result = run_cli("eval", "--sandbox", "-e", '(getenv "PATH")')
    assert result.exit_code == 1 and "sandbox" in result.stderr
    result = run_cli("eval", "--sandbox", "-e", "(+ 1 2)")
    assert result.exit_code == 0 and result.output == "3\n"


def test_run_sandbox_forbids_processes(tmp_path):
    out = tmp_path / "touched"
    script = tmp_path / "s.scm"
    script.write_text(f'(display "before")\n(system* "touch" "{out}")\n')
    result = run_cli("run", "--sandbox", str(script))
    assert result.exit_code == 1
    assert "sandbox: starting processes is not allowed" in result.stderr
    assert f"{script}:2:0: error:" in result.stderr
    assert not out.exists()


def test_without_sandbox_the_same_script_runs(tmp_path):
    out = tmp_path / "touched"
    script = tmp_path / "s.scm"
    script.write_text(f'(system* "touch" "{out}")\n')
    result = run_cli("run", str(script))
    assert result.exit_code == 0, result.stderr
    assert out.exists()


@pytest.mark.parametrize("expr", [
    '(open-output-file "{pycache}/../../{victim}")',
    '(copy-file "{source}" "{victim}")',
    '(mkstemp! (string-copy "{dir}/newXXXXXX"))',
    '(call-with-output-file "{victim}" (lambda (p) #t))',
])
def test_sandbox_creates_and_truncates_no_file_whatever_its_name(tmp_path, expr):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    source = tmp_path / "source"
    source.write_text("other")
    pycache = tmp_path / "a" / "__pycache__"
    pycache.mkdir(parents=True)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    code = expr.format(pycache=pycache, victim=victim.relative_to(tmp_path) if "pycache" in expr else victim,
                       source=source, dir=tmp_path)
    result = run_cli("eval", "--sandbox", "-e", code)
    assert result.exit_code == 1, result.output
    assert "sandbox: writing files is not allowed" in result.stderr
    assert victim.read_text() == "precious"
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_sandbox_reads_no_file_other_users_could_not_read(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("hunter2")
    secret.chmod(0o600)
    for path in (secret, "/proc/self/environ"):
        result = run_cli("eval", "--sandbox", "-e", f'(call-with-input-file "{path}" get-string-all)')
        assert result.exit_code == 1, result.output
        assert "sandbox: reading files that not every user may read is not allowed" in result.stderr
        assert "hunter2" not in result.output
    link = tmp_path / "innocent"
    link.symlink_to(secret)  # resolved before deciding
    result = run_cli("eval", "--sandbox", "-e", f'(call-with-input-file "{link}" get-string-all)')
    assert result.exit_code == 1 and "hunter2" not in result.output
    public = tmp_path / "public"
    public.write_text("hello")
    public.chmod(0o644)
    result = run_cli("eval", "--sandbox", "-e", f'(call-with-input-file "{public}" get-string-all)')
    assert result.exit_code == 0 and result.output == '"hello"\n'


def test_sandbox_reads_the_machines_description_but_no_process_of_it():
    # A config may size zram from /proc/meminfo; /proc/self/* and other processes stay closed.
    result = run_cli("eval", "--sandbox", "-e", '(call-with-input-file "/proc/meminfo" read)')
    assert result.exit_code == 0 and result.output == "MemTotal:\n", result.stderr
    for path in ("/proc/self/status", "/proc/1/cmdline", "/proc/self/cmdline"):
        result = run_cli("eval", "--sandbox", "-e", f'(call-with-input-file "{path}" read)')
        assert result.exit_code == 1 and "sandbox" in result.stderr, path


def test_sandbox_reveals_no_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMY_TEST_SECRET", "s3cr3t-token")
    config = config_with(tmp_path, "(use-modules (shepherd service))\n"
                                   "(define leaked (default-environment-variables))\n"
                                   "(display leaked)\n")
    result = run_cli("system", "check", str(config))
    assert result.exit_code == 1
    assert "s3cr3t-token" not in result.output + result.stderr
    assert "sandbox: reading the environment is not allowed" in result.stderr


def test_sandboxed_config_may_be_private_to_its_owner(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    config.chmod(0o600)
    result = run_cli("system", "check", str(config))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("prelude, limits, what", [
    ("(define forever (let loop () (loop)))\n", ["--time-limit", "1.5"], "took more than 1.5 s"),
    ("(define-syntax m (syntax-rules () ((_) (m))))\n(m)\n", ["--time-limit", "1.5"], "took more than 1.5 s"),
    ("(define-syntax m (syntax-rules () ((_ x) (m (x x)))))\n(m 1)\n", ["--memory-limit", "60"],
     "used more than 60 MB of memory"),
    ("(define hog (let loop ((l '())) (loop (cons (make-vector 100000 0) l))))\n", ["--memory-limit", "60"],
     "used more than 60 MB of memory"),
])
def test_system_check_has_a_time_and_memory_budget(tmp_path, prelude, limits, what):
    config = config_with(tmp_path, prelude)
    started = time.monotonic()
    result = run_cli("system", "check", *limits, str(config))
    assert time.monotonic() - started < 120  # a guard against a hang, not a speed test
    assert result.exit_code == 1, result.output
    assert f"error: the evaluation {what}: stopped" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- realizing /etc without following links


@pytest.mark.parametrize("name", ["shadow", "passwd", "group", "static"])
def test_etc_entries_named_like_the_account_files_are_reserved(tmp_path, name):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    victim.chmod(0o644)
    config = config_with(tmp_path, "", f"(cons (simple-service 'evil etc-service-type "
                                       f"(list (list \"{name}\" \"{victim}\"))) %base-services)")
    root = tmp_path / "root"
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 1
    assert f"invalid /etc entry name: '{name}' is reserved" in result.stderr
    assert victim.read_text() == "precious"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    check = run_cli("system", "check", str(config))
    assert check.exit_code == 1 and "is reserved" in check.stderr


def test_etc_entry_inside_an_entry_that_is_a_link_writes_nothing_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    config = config_with(tmp_path, "", "(cons (simple-service 'evil etc-service-type "
                                       f"(list (list \"evil\" \"{outside}\") "
                                       "(list \"evil/planted\" (plain-file \"p\" \"x\")))) %base-services)")
    root = tmp_path / "root"
    for verb in ("build", "reconfigure"):
        args = ["system", verb, str(config), "--root", str(root)] + (["--no-services"] if verb == "reconfigure" else [])
        result = run_cli(*args)
        assert result.exit_code == 1, result.output
        assert "is inside /etc/evil, which is an entry of its own" in result.stderr
    assert list(outside.iterdir()) == []
    check = run_cli("system", "check", str(config))
    assert check.exit_code == 1 and "inside /etc/evil" in check.stderr


def test_store_directories_are_written_without_following_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    store = Store(tmp_path / "store")
    with pytest.raises(SchemeError, match="is a link or a file, not a directory"):
        store.add_directory("etc", {"a": ("link", str(outside)), "a/b": ("text", "x")})
    assert list(outside.iterdir()) == []
    assert [p.name for p in (tmp_path / "store").iterdir() if not p.name.startswith(".")] == []


def test_system_directory_etc_is_written_without_following_links(tmp_path):
    from schemy.system.generations import StateRoot

    outside = tmp_path / "outside"
    outside.mkdir()
    root = StateRoot(tmp_path / "root")
    root.ensure()
    with pytest.raises(SchemeError, match="not a directory"):
        root.prepare_system_dir("/x/store/aaaa-system", {"a": str(outside), "a/b": "/x/store/bbbb-b"},
                                {"passwd": ("root:x:0:0::/root:/bin/sh\n", 0o644)}, {})
    assert list(outside.iterdir()) == []
    assert list(root.systems_dir.iterdir()) == []


# ---------------------------------------------------------------- account fields


def _account_config(tmp_path: Path, field: str, value: str) -> Path:
    account = f'(user-account (name "eve") (group "users") ({field} "{value}"))'
    if field == "name":
        account = f'(user-account (name "{value}") (group "users"))'
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES.replace("(users (cons (user-account", f"(users (cons* {account} (user-account", 1))
    return config


@pytest.mark.parametrize("field, value", [
    ("comment", "x\\nevil::0:0::/root:/bin/sh"),
    ("comment", "a:b"),
    ("home-directory", "/home/eve\\nroot2::0:0::/:/bin/sh"),
    ("shell", "/bin/sh\\nx"),
    ("password", "$6$salt$hash\\nroot2::0:0:99999:7:::"),
    ("password", "::"),
    ("name", "eve:x:0"),
    ("name", "eve\\nroot"),
])
def test_system_check_reports_account_fields_that_would_inject_lines(tmp_path, field, value):
    result = run_cli("system", "check", str(_account_config(tmp_path, field, value)))
    assert result.exit_code == 1
    assert "error: user" in result.stderr and "invalid" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_account_field_injection_is_refused_before_anything_is_written(tmp_path):
    config = _account_config(tmp_path, "comment", "x\\nevil::0:0::/root:/bin/sh")
    root = tmp_path / "root"
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 1, result.output
    assert "user account 'eve': invalid comment" in result.stderr
    assert not (root / "current-system").exists()


# ---------------------------------------------------------------- secrets stay out of the store


def test_password_hashes_never_reach_the_world_readable_store(tmp_path):
    hashed = "$6$abcdefgh$" + "Q" * 86
    text = BARE_BONES.replace('(comment "Bob\'s sister")', f'(comment "Bob\'s sister") (password "{hashed}")', 1)
    assert text != BARE_BONES
    config = tmp_path / "config.scm"
    config.write_text(text)
    config.chmod(0o600)  # the config holds the hash: only its owner may read it
    root = tmp_path / "root"
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.stderr
    for item in (root / "store").rglob("*"):
        if item.is_file() and not item.is_symlink():
            assert hashed.encode() not in item.read_bytes(), f"{item} holds the password hash"
    shadow = root / "current-system" / "etc" / "shadow"
    assert hashed in shadow.read_text()
    assert stat.S_IMODE(shadow.stat().st_mode) == 0o600
    again = run_cli("system", "reconfigure", str(config), "--root", str(root), "--dry-run")
    assert "~ user alice" not in again.output  # the scrubbed record still compares equal


def test_local_file_unreadable_by_others_is_refused(tmp_path):
    secret = tmp_path / "secret-key"
    secret.write_text("PRIVATE KEY")
    secret.chmod(0o600)
    config = config_with(tmp_path, "", "(cons (simple-service 'k etc-service-type "
                                       f"(list (list \"k\" (local-file \"{secret}\")))) %base-services)")
    root = tmp_path / "root"
    result = run_cli("system", "build", str(config), "--root", str(root))
    assert result.exit_code == 1, result.output
    assert "not readable by every user: refusing to copy it into the store" in result.stderr
    for item in (root / "store").rglob("*") if (root / "store").exists() else []:
        if item.is_file() and not item.is_symlink():
            assert b"PRIVATE KEY" not in item.read_bytes()


# ---------------------------------------------------------------- the state root


def _reconfigure(config: Path, root: Path):
    return run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")


def test_a_root_that_is_a_link_is_refused(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "root").symlink_to(elsewhere)
    result = _reconfigure(config, tmp_path / "root")
    assert result.exit_code == 1
    assert "is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_gc_does_not_empty_the_directory_a_store_link_points_to(switched_root, tmp_path):
    import shutil

    root = tmp_path / "root"
    shutil.copytree(switched_root, root, symlinks=True)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious").write_text("keep me")
    shutil.rmtree(root / "store", ignore_errors=True)
    (root / "store").symlink_to(victim)
    result = run_cli("gc", "--root", str(root))
    assert result.exit_code == 1
    assert "is a symbolic link" in result.stderr
    assert (victim / "precious").read_text() == "keep me"


def test_a_lock_file_that_is_a_link_is_not_followed(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    root = tmp_path / "root"
    (root / "var" / "schemy").mkdir(parents=True)
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (root / "var" / "schemy" / "lock").symlink_to(victim)
    result = _reconfigure(config, root)
    assert result.exit_code == 1
    assert "lock file" in result.stderr and "symbolic link" in result.stderr
    assert victim.read_text() == "precious"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_a_root_directory_owned_by_another_user_is_refused(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    root = tmp_path / "root"
    (root / "store").mkdir(parents=True)
    os.chown(root / "store", 65534, 65534)
    result = _reconfigure(config, root)
    assert result.exit_code == 1
    assert "owned by another user (uid 65534)" in result.stderr
    assert list((root / "store").iterdir()) == []


def test_state_is_created_with_fixed_private_modes_whatever_the_umask(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES)
    root = tmp_path / "root"
    old = os.umask(0)
    try:
        result = _reconfigure(config, root)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    # The services' /tmp, /var/tmp and /run/lock in the root's view are everyone's, sticky.
    shared = {root / "tmp", root / "var" / "tmp", root / "run" / "lock"}
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path in shared:
            assert mode == 0o1777, f"{path}: {mode:o}"
            continue
        assert mode & 0o022 == 0, f"{path} is writable by others ({mode:o})"
    assert stat.S_IMODE((root / "var" / "schemy" / "lock").stat().st_mode) == 0o600
    assert stat.S_IMODE((root / "var" / "schemy" / "account-ids.json").stat().st_mode) == 0o600
    # /var/log as a real system's (a daemon running as its own user reaches its directory);
    # the manager's logs, holding what the services print, root's alone.
    assert stat.S_IMODE((root / "var" / "log").stat().st_mode) == 0o755
    assert stat.S_IMODE((root / "var" / "log" / "schemy").stat().st_mode) == 0o700


def test_an_account_ids_file_that_is_a_link_is_not_followed(switched_root, tmp_path):
    import shutil

    root = tmp_path / "root"
    shutil.copytree(switched_root, root, symlinks=True)
    ids = root / "var" / "schemy" / "account-ids.json"
    victim = tmp_path / "victim"
    victim.write_text("precious")
    ids.unlink()
    ids.symlink_to(victim)
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES.replace('(host-name "komputilo")', '(host-name "other")'))
    result = _reconfigure(config, root)
    assert result.exit_code == 0, result.stderr
    assert victim.read_text() == "precious"
    assert not ids.is_symlink()
    assert stat.S_IMODE(ids.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_an_account_ids_file_owned_by_another_user_is_refused(switched_root, tmp_path):
    import shutil

    root = tmp_path / "root"
    shutil.copytree(switched_root, root, symlinks=True)
    ids = root / "var" / "schemy" / "account-ids.json"
    os.chown(ids, 65534, 65534)
    config = tmp_path / "config.scm"
    config.write_text(BARE_BONES.replace('(host-name "komputilo")', '(host-name "other")'))
    result = _reconfigure(config, root)
    assert result.exit_code == 1
    assert "account-ids.json: it is owned by another user" in result.stderr


def test_system_check_reports_sandbox_refusals_the_config_caught(tmp_path):
    out = tmp_path / "written"
    config = config_with(tmp_path, f'(define p (false-if-exception (open-output-file "{out}")))\n')
    result = run_cli("system", "check", str(config))
    assert result.exit_code == 1, result.output
    assert "no problems found" not in result.output
    assert "sandbox: writing files is not allowed" in result.stderr
    assert not out.exists()
