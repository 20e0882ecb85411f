"""Host mode (``--host`` / ``--root /``): a system applied to the machine itself.

The scenario (tests/host_namespace.py) runs once, in a private mount namespace whose /etc
and /var are overlays over the machine's (a tmpfs over /run and /home): the first switch is
refused without a confirmation and then confirmed on a terminal, a second configuration
and a roll-back follow, the unit's ExecStart and ExecStartPost boot the system, and ``schemy system delete
--host`` puts everything back.  Each test checks one thing it observed.  The machine's own
/etc is checked unchanged afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DRIVER = Path(__file__).resolve().parent / "host_namespace.py"

CONFIG = """
(use-modules (gnu) (guix gexp))
(use-service-modules shepherd)
(operating-system
  (host-name "host-mode")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sdX"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                      %base-file-systems))
  (groups (cons (user-group (name "libvirt") (system? #t)) %base-groups))
  (users (cons* {users}
                ;; Exists on the host before: must stay exactly as it is.
                (user-account (name "preexist") (group "users") (comment "declared")
                              (supplementary-groups '("libvirt")))
                %base-user-accounts))
  (services (list {services}
                  (simple-service 'sleeper shepherd-root-service-type
                    (list (shepherd-service (provision '(sleeper))
                            (start #~(make-forkexec-constructor '("sleep" "600")))
                            (stop #~(make-kill-destructor)))))
                  (simple-service 'marker activation-service-type
                    #~(begin (mkdir-p (root-file-name "/var/lib/host-mode-test"))
                             (call-with-output-file (root-file-name "/var/lib/host-mode-test/activated")
                               (lambda (port) (display "yes" port))))))))
"""

FIRST = CONFIG.format(
    users="""(user-account (name "alice") (group "users") (supplementary-groups '("libvirt" "audio"))
                              (password "$6$schemy$0123456789abcdef"))
           (user-account (name "carol") (group "users"))""",
    services="""(simple-service 'files etc-service-type
                    (list `("motd" ,(plain-file "motd" "schemy's motd\\n"))
                          `("schemy-test/app.conf" ,(plain-file "app.conf" "x = 1\\n"))))""")
SECOND = CONFIG.format(
    users="""(user-account (name "alice") (group "users") (comment "Alice, changed") (shell "/bin/false"))
           (user-account (name "bob") (group "users"))""",
    services="""(simple-service 'files etc-service-type
                    (list `("greeting" ,(plain-file "greeting" "hello\\n"))))""")


HOST_FILES = ("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/motd", "/etc/hosts")
# The accounts the scenario creates: none may ever reach the machine's own files.
SCENARIO_ACCOUNTS = ("alice", "bob", "carol", "preexist", "libvirt")


def _host_files() -> dict[str, list[str]]:
    """sha256 and lines of the machine's own account files, /etc/motd and /etc/hosts."""
    out = {}
    for name in HOST_FILES:
        try:
            data = Path(name).read_bytes()
            out[name] = [hashlib.sha256(data).hexdigest(), *data.decode(errors="replace").splitlines()]
        except OSError as e:
            out[name] = [f"unreadable: {e.strerror}"]
    return out


def _namespace_ready() -> None:
    if os.geteuid() != 0:
        pytest.skip("host mode's test mounts overlays over /etc and /var: it needs root")
    for program, package in (("unshare", "util-linux"), ("useradd", "passwd"), ("getent", "libc-bin")):
        if shutil.which(program) is None and not os.path.exists(f"/usr/sbin/{program}"):
            pytest.skip(f"needs {program} (Debian package: {package})")
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs tmpfs /mnt && mount -t overlay overlay -o "
                            "lowerdir=/etc,upperdir=/mnt,workdir=/mnt 2>/dev/null; true"],
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("unshare (Debian package: util-linux) may not make a mount namespace here")


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    _namespace_ready()
    work = tmp_path_factory.mktemp("host-mode")
    (work / "first.scm").write_text(FIRST)
    (work / "second.scm").write_text(SECOND)
    host_before = _host_files()
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOST_MODE_PARENT_MNT=os.readlink("/proc/self/ns/mnt"))
    run = subprocess.run(["unshare", "--mount", "--propagation", "private", "--",
                          sys.executable, str(DRIVER), str(work)],
                         capture_output=True, text=True, env=env, timeout=600, cwd=str(ROOT), check=False)
    observations = work / "observations.json"
    assert observations.is_file(), run.stderr[-3000:]
    data = json.loads(observations.read_text())
    data["driver"] = {"code": run.returncode, "err": run.stderr[-3000:]}
    data["host_before"], data["host_after"] = host_before, _host_files()
    return data


def test_scenario_ran_to_its_end(seen):
    assert seen["driver"]["code"] == 0, seen["driver"]["err"]


def test_first_switch_is_refused_without_a_terminal_or_yes(seen):
    r = seen["refused_without_terminal"]
    assert r["code"] == 1
    assert "without a confirmation" in r["err"] and "--yes" in r["err"]
    assert seen["after_refusal"] == [] and seen["no_state_after_refusal"]


def test_answering_no_on_a_terminal_changes_nothing(seen):
    r = seen["refused_on_terminal"]
    assert r["code"] == 1 and "not confirmed" in r["err"], r
    assert "Switch this machine" in r["out"]
    assert seen["after_no"] == []


def test_first_switch_shows_what_it_replaces_then_switches(seen):
    r = seen["first_switch"]
    assert r["code"] == 0, r["err"]
    assert "replaces (originals backed up):" in r["out"] and "/etc/motd" in r["out"]
    assert "creates users: alice, carol" in r["out"]
    assert "leaves the host's own accounts of the same names as they are: users preexist" in r["out"]


def test_etc_entries_are_installed_in_the_real_etc(seen):
    first = seen["first"]
    assert first["motd"] == "schemy's motd\n"
    assert first["motd_link"].startswith("/var/lib/schemy/store/")
    assert first["app_conf"] == "x = 1\n"


def test_original_is_backed_up_with_content_mode_and_owner(seen):
    backup = seen["first"]["state"]["etc"]["motd"]["backup"]
    kind, mode, uid, gid = seen["motd_before"]
    assert backup["kind"] == "file" and "sha256:" + backup["sha256"] == kind
    assert (backup["mode"], backup["uid"], backup["gid"]) == (mode, uid, gid)


def test_accounts_are_created_through_the_shadow_tools(seen):
    first = seen["first"]
    assert first["alice"].startswith("alice:x:")
    libvirt_members = first["libvirt"].split(":")[3].split(",")
    assert "alice" in libvirt_members
    assert sorted(seen["first"]["state"]["users"]) == ["alice", "carol"]
    assert "libvirt" in seen["first"]["state"]["groups"]


def test_password_hash_reaches_the_hosts_shadow(seen):
    assert seen["first"]["alice_shadow"].split(":")[1] == "$6$schemy$0123456789abcdef"


def test_existing_account_with_a_declared_name_is_left_untouched(seen):
    assert seen["first"]["preexist"] == seen["preexist_before"] == seen["preexist_after"]
    assert "preexist" not in seen["first"]["state"]["users"]


def test_existing_group_is_never_recreated(seen):
    assert "audio" not in seen["first"]["state"]["groups"]
    assert seen["audio_after"] == seen["audio_before"]


def test_activation_writes_host_files_in_host_mode(seen):
    assert seen["first"]["activation_wrote"]


def test_systemd_unit_and_wants_link_are_written(seen):
    unit = seen["first"]["unit"]
    assert "ExecStart=" in unit and "-m schemy.shepherd.daemon --root /var/lib/schemy" in unit
    assert "ExecStartPost=-" in unit and "system boot --host" in unit
    assert "WantedBy=multi-user.target" in unit
    assert seen["first"]["wants"] == "/etc/systemd/system/schemy-shepherd.service"


def test_systemd_analyze_verifies_the_written_unit(seen):
    if "verify" not in seen["systemd"]:
        pytest.skip("systemd-analyze is not installed: apt-get install systemd")
    verify = seen["systemd"]["verify"]
    # Warnings (an unknown key, a bad value, a program that is not executable) go to stderr.
    assert (verify["code"], verify["err"]) == (0, ""), verify


def test_systemctl_sees_the_unit_enabled_and_enables_it_with_the_same_link(seen):
    if "is_enabled" not in seen["systemd"]:
        pytest.skip("systemctl is not installed: apt-get install systemd")
    checks = seen["systemd"]
    assert checks["is_enabled"].strip() == "enabled"
    assert (checks["disable"], checks["after_disable"]) == (0, False)
    assert checks["enable"] == 0
    assert checks["enabled_link"] == seen["first"]["wants"] == "/etc/systemd/system/schemy-shepherd.service"


def test_entry_leaving_the_config_restores_the_original_byte_for_byte(seen):
    second = seen["second"]
    assert seen["second_switch"]["code"] == 0, seen["second_switch"]["err"]
    assert second["motd"] is True
    assert second["app_conf_dir"] is False
    assert second["greeting"] == "hello\n"


def test_account_leaving_the_config_is_removed_when_schemy_created_it(seen):
    assert seen["second"]["carol"] == ""
    assert seen["second"]["bob"].startswith("bob:x:")


def test_account_schemy_created_follows_its_changed_declaration(seen):
    before, after = seen["first"]["alice"].split(":"), seen["second"]["alice"].split(":")
    assert after[2] == before[2]  # the same account, modified
    assert (after[4], after[6]) == ("Alice, changed", "/bin/false")
    assert "alice" not in seen["second"]["libvirt"].split(":")[3].split(",")


def test_roll_back_with_root_slash_brings_the_previous_host_state_back(seen):
    assert seen["roll_back"]["code"] == 0, seen["roll_back"]["err"]
    rolled = seen["rolled_back"]
    assert rolled["carol"].startswith("carol:x:") and rolled["bob"] == "" and not rolled["greeting"]
    assert rolled["alice"].split(":")[4:] == seen["first"]["alice"].split(":")[4:]
    # Byte for byte as after the first switch, but for the ids of the re-created account.
    assert [d for d in rolled["differences"] if not d.startswith(("/etc/passwd", "/etc/group", "/etc/shadow",
                                                                  "/etc/gshadow", "/etc/subuid",
                                                                  "/etc/subgid"))] == []


def test_deleting_old_generations_leaves_the_host_as_it_is(seen):
    r = seen["delete_generations"]
    assert r["code"] == 0 and "deleted generations: 2" in r["out"], r
    assert seen["after_delete_generations"] == []


def test_unit_exec_start_boots_the_services(seen):
    assert seen["boot"]["code"] == 0, seen["boot"]["err"]
    status = seen["herd_status"]["out"]
    assert status.startswith("Started:\n + sleeper\n"), status


def test_boot_leaves_the_services_to_a_reconfigure_holding_the_lock(seen):
    r = seen["boot_while_locked"]
    assert r["code"] == 0 and "leaving the services to it" in r["out"], r


def test_deleting_the_system_restores_the_host_exactly(seen):
    assert seen["delete"]["code"] == 0, seen["delete"]["err"]
    assert seen["after_delete"] == []
    assert seen["accounts_after"] == {"alice": "", "carol": "", "libvirt": ""}
    assert not seen["state_dir_after"]
    assert seen["manager_exit"] == 0  # the unit's main process ends when the system is deleted


def test_the_machines_own_etc_is_unchanged(seen):
    before, after = seen["host_before"], seen["host_after"]
    for name in HOST_FILES:
        if before[name][0] == after[name][0]:
            continue  # sha256 unchanged
        # Changed meanwhile: by the machine's own package manager, never by the scenario.
        changed = set(before[name][1:]) ^ set(after[name][1:])
        ours = [line for line in changed if line.split(":")[0] in SCENARIO_ACCOUNTS]
        assert name not in ("/etc/motd", "/etc/hosts") and not ours, (name, sorted(changed))
    assert not os.path.exists("/var/lib/schemy") and not os.path.exists("/etc/systemd/system/schemy-shepherd.service")


def test_schemy_root_set_to_slash_does_not_imply_host_mode(tmp_path):
    env = dict(os.environ, SCHEMY_ROOT="/", HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "schemy", "system", "list-generations"], capture_output=True,
                         text=True, env=env, cwd=str(ROOT), check=False)
    assert out.returncode == 1
    assert "never implied" in out.stderr and "--host" in out.stderr


# ---------------------------------------------------------------- pieces, outside any namespace


def test_backup_and_restore_give_back_a_file_byte_for_byte(tmp_path):
    from schemy.system.host import _backup, _replace_with_link, _restore

    original = tmp_path / "etc" / "motd"
    original.parent.mkdir()
    original.write_bytes(b"host's own\n\x00\xff")
    original.chmod(0o640)
    os.utime(original, ns=(1_000_000_000, 1_000_000_000))
    record = _backup(original, tmp_path / "backups" / "motd")
    _replace_with_link(original, "/nonexistent/store/motd")
    _restore(original, record, tmp_path / "backups" / "motd")
    st = original.lstat()
    assert original.read_bytes() == b"host's own\n\x00\xff"
    assert (st.st_mode & 0o7777, st.st_mtime_ns) == (0o640, 1_000_000_000)


def test_backup_and_restore_give_back_a_directory_tree_and_a_link(tmp_path):
    from schemy.system.host import _backup, _replace_with_link, _restore

    skel = tmp_path / "skel"
    (skel / "sub").mkdir(parents=True)
    (skel / "sub" / ".bashrc").write_text("PS1=x\n")
    (skel / "link").symlink_to("sub/.bashrc")
    skel.chmod(0o750)
    link = tmp_path / "os-release"
    link.symlink_to("../usr/lib/os-release")
    records = {p: _backup(p, tmp_path / "backups" / p.name) for p in (skel, link)}
    for p in (skel, link):
        _replace_with_link(p, "/nonexistent/store/x")
    for p, record in records.items():
        _restore(p, record, tmp_path / "backups" / p.name)
    assert (skel / "sub" / ".bashrc").read_text() == "PS1=x\n"
    assert os.readlink(skel / "link") == "sub/.bashrc" and skel.stat().st_mode & 0o777 == 0o750
    assert os.readlink(link) == "../usr/lib/os-release"


def test_entry_that_was_absent_is_removed_on_restore(tmp_path):
    from schemy.system.host import _backup, _replace_with_link, _restore

    path = tmp_path / "greeting"
    record = _backup(path, tmp_path / "backups" / "greeting")
    _replace_with_link(path, "/nonexistent/store/greeting")
    _restore(path, record, tmp_path / "backups" / "greeting")
    assert record == {"kind": "absent"} and not os.path.lexists(path)


def test_changed_backup_is_not_restored(tmp_path):
    from schemy.lang.errors import SchemeError
    from schemy.system.host import _backup, _replace_with_link, _restore

    path = tmp_path / "hosts"
    path.write_text("127.0.0.1 localhost\n")
    record = _backup(path, tmp_path / "backups" / "hosts")
    _replace_with_link(path, "/nonexistent/store/hosts")
    (tmp_path / "backups" / "hosts").chmod(0o600)
    (tmp_path / "backups" / "hosts").write_text("tampered\n")
    with pytest.raises(SchemeError, match="was changed: not restoring it"):
        _restore(path, record, tmp_path / "backups" / "hosts")


def test_state_file_is_written_atomically_and_privately(tmp_path):
    from schemy.system.host import HostState

    state = HostState(tmp_path / "host")
    state.users["alice"] = {"uid": 1000}
    state.save()
    assert sorted(p.name for p in (tmp_path / "host").iterdir()) == ["state.json"]
    assert (tmp_path / "host" / "state.json").stat().st_mode & 0o777 == 0o600
    assert HostState(tmp_path / "host").users == {"alice": {"uid": 1000}}


def test_unreadable_state_file_stops_host_mode_clearly(tmp_path):
    from schemy.lang.errors import SchemeError
    from schemy.system.host import HostState

    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "state.json").write_text("{not json")
    with pytest.raises(SchemeError, match="cannot read schemy's record of this host"):
        HostState(tmp_path / "host")
