"""``schemy home reconfigure``: a home's shepherd services (home-shepherd-service-type) run
under schemy's own service manager, as the invoking user, with HOME set to the directory the
home's files were linked into; a reconfigure upgrades them (removed ones stop, new ones
start), a failed build leaves them and the generation alone; ``schemy home herd`` controls
them; roll-back goes back to the previous generation's services.  Everything runs in a
temporary state root: the real home directory and the host's /etc, /run, /var are never
touched."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import child_subreaper, gone, kill_strays, wait_for

from schemy.app import Interpreter
from schemy.cli.main import main
from schemy.lang.errors import SchemeError
from schemy.shepherd.herd import HerdError
from schemy.system.generations import StateRoot
from schemy.system.home import HomeState, reconfigure_home, switch_home_generation


def service(name: str, marker: str, script: str) -> str:
    """A home shepherd service running ``/bin/sh -c SCRIPT MARKER`` (the marker, $0, names
    the test's processes on their command line)."""
    return f"""
          (shepherd-service
            (provision '({name}))
            (documentation "A test daemon.")
            (start #~(make-forkexec-constructor
                      (list "/bin/sh" "-c" {scheme_string(script)} "{marker}")))
            (stop #~(make-kill-destructor)))"""


def scheme_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def home_config(path: Path, marker: str, services: list[str], files: str = "") -> Path:
    path.write_text(
        "(use-modules (gnu home) (gnu home services) (gnu home services shepherd)\n"
        "             (gnu home services mcron)\n"
        "             (gnu services) (guix gexp))\n"
        "(home-environment\n"
        " (services\n"
        "  (list (simple-service 'test-daemons home-shepherd-service-type\n"
        f"          (list {' '.join(services)}))\n"
        f"        {files})))\n")
    return path


SLEEPER = 'echo "$HOME $USER" > "$HOME/seen-home"; sleep 1000'
OTHER = 'echo started > "$HOME/other-ran"; sleep 1000'


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A state root whose home (generation 1: the sleeper service and a file) runs; its
    manager and every process of the test are stopped at the end, whatever happens."""
    base = tmp_path_factory.mktemp("home5")
    root = StateRoot(base / "root")
    marker = f"{base}/marker"
    configs = {
        "sleeper": home_config(base / "sleeper.scm", marker, [service("sleeper", marker, SLEEPER)],
                               '(simple-service \'note home-files-service-type\n'
                               '   (list (list "notes/a.txt" (plain-file "a.txt" "A"))))'),
        "other": home_config(base / "other.scm", marker, [service("other", marker, OTHER)]),
        "broken": home_config(base / "broken.scm", marker, ["(no-such-procedure 1)"]),
        "mcron": home_config(base / "mcron.scm", marker, [],
                             "(service home-mcron-service-type\n"
                             "  (home-mcron-configuration\n"
                             "    (jobs (list #~(job '(next-hour '(3)) \"true\")))))"),
        "unloadable": home_config(base / "unloadable.scm", marker,
                                  ["""(shepherd-service (provision '(unloadable))
                                       (start #~(make-forkexec-constructor (no-such-procedure))))"""]),
        "bad-activation": home_config(base / "bad-activation.scm", marker, [service("other", marker, OTHER)],
                                      "(simple-service 'boom home-activation-service-type\n"
                                      "   #~(error \"activation boom\"))"),
    }
    interp = Interpreter()
    lines: list[str] = []
    with child_subreaper():
        try:
            outcome = interp.run_protected(
                lambda: reconfigure_home(interp, str(configs["sleeper"]), root, base / "home", say=lines.append))
            yield {"root": root, "base": base, "home": base / "home", "interp": interp, "configs": configs,
                   "state": HomeState(root), "outcome": outcome, "lines": lines, "marker": marker}
        finally:
            client = HomeState(root).client()
            try:
                if client.alive():
                    client.stop_root()
            except (HerdError, OSError):
                pass
            kill_strays(marker)
            kill_strays(str(root.root))
            assert wait_for(lambda: not _alive(marker) and not _alive(str(root.root)), 5)


def _alive(marker: str) -> bool:
    from helpers import processes_mentioning

    return bool(processes_mentioning(marker))


def reconfigure(home: dict, name: str, home_dir: Path | None = None) -> Any:
    interp = home["interp"]
    return interp.run_protected(lambda: reconfigure_home(interp, str(home["configs"][name]), home["root"],
                                                         home_dir or home["home"], say=lambda _: None))


def status(home: dict, name: str) -> dict:
    return home["state"].client().status(name)


def herd(home: dict, *args: str) -> Any:
    return CliRunner().invoke(main, ["home", "herd", "--root", str(home["root"].root), *args],
                              catch_exceptions=False)


# ---------------------------------------------------------------- the first reconfigure


def test_reconfigure_starts_the_home_service(home: dict) -> None:
    assert home["outcome"].code == 0
    assert "services started: sleeper" in home["lines"]
    s = status(home, "sleeper")
    assert s["status"] == "running" and not gone(s["pid"])


def test_the_service_sees_home_set_to_the_linked_home_directory(home: dict) -> None:
    seen = home["home"] / "seen-home"
    assert wait_for(lambda: seen.exists() and seen.read_text().strip(), 5)
    import pwd

    assert seen.read_text().split() == [str(home["home"]), pwd.getpwuid(os.getuid()).pw_name]


def test_the_home_files_are_linked_from_the_home_directory(home: dict) -> None:
    assert (home["home"] / "notes" / "a.txt").read_text() == "A"
    assert (home["home"] / ".config" / "shepherd" / "init.scm").is_symlink()
    assert os.readlink(home["home"] / ".guix-home") == home["state"].current().item


def test_reconfigure_runs_the_generation_s_activation(home: dict) -> None:
    # home-xdg-base-directories' activation makes the XDG directories of the home.
    assert (home["home"] / ".local" / "state").is_dir()
    assert (home["home"] / ".cache").is_dir()


def test_the_service_runs_as_the_invoking_user(home: dict) -> None:
    pid = status(home, "sleeper")["pid"]
    assert os.stat(f"/proc/{pid}").st_uid == os.getuid()


def test_the_home_manager_socket_and_state_are_private(home: dict) -> None:
    state = home["root"].root / "home-state"
    sock = state / "run" / "schemy" / "manager.sock"
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600
    assert (state / "var" / "log" / "schemy" / "sleeper.log").exists()


def test_herd_status_shows_the_running_home_service(home: dict) -> None:
    r = herd(home, "status")
    assert r.exit_code == 0
    assert r.output.splitlines()[:2] == ["Started:", " + sleeper"]
    r = herd(home, "status", "sleeper")
    assert "It is running since" in r.output and "Provides: sleeper" in r.output


def test_herd_restart_restarts_the_home_service(home: dict) -> None:
    before = status(home, "sleeper")["pid"]
    r = herd(home, "restart", "sleeper")
    assert r.exit_code == 0
    after = status(home, "sleeper")["pid"]
    assert after != before and wait_for(lambda: gone(before), 5)


# ---------------------------------------------------------------- later reconfigures


def test_a_failed_reconfigure_leaves_the_service_and_the_generation(home: dict) -> None:
    state = home["state"]
    generation = state.current().number
    pid = status(home, "sleeper")["pid"]
    with pytest.raises(SchemeError):
        reconfigure(home, "broken")
    assert state.current().number == generation
    assert len(state.generations()) == generation
    assert status(home, "sleeper")["pid"] == pid and not gone(pid)
    assert os.readlink(home["home"] / ".guix-home") == state.current().item


def test_a_failed_activation_undoes_the_switch_and_leaves_the_service(home: dict) -> None:
    state = home["state"]
    generation = state.current().number
    count = len(state.generations())
    pid = status(home, "sleeper")["pid"]
    with pytest.raises(SchemeError, match="activation boom") as e:
        reconfigure(home, "bad-activation")
    assert "the switch was undone" in (e.value.hint() or "")
    assert state.current().number == generation and len(state.generations()) == count
    assert os.readlink(home["home"] / ".guix-home") == state.current().item
    assert (home["home"] / "notes" / "a.txt").read_text() == "A"
    assert status(home, "sleeper")["pid"] == pid
    with pytest.raises(HerdError):
        status(home, "other")


def test_services_the_manager_cannot_load_undo_the_switch(home: dict) -> None:
    state = home["state"]
    generation = state.current().number
    count = len(state.generations())
    pid = status(home, "sleeper")["pid"]
    with pytest.raises(SchemeError, match="no-such-procedure: unbound variable") as e:
        reconfigure(home, "unloadable")
    assert "the switch was undone" in (e.value.hint() or "")
    assert state.current().number == generation and len(state.generations()) == count
    assert (home["home"] / "notes" / "a.txt").read_text() == "A"
    assert status(home, "sleeper")["pid"] == pid


def test_reconfigure_without_the_service_stops_it_and_starts_the_new_one(home: dict) -> None:
    pid = status(home, "sleeper")["pid"]
    try:
        outcome = reconfigure(home, "other")
        assert outcome.code == 0
        assert wait_for(lambda: gone(pid), 5)
        assert status(home, "other")["status"] == "running"
        with pytest.raises(HerdError, match="could not be found"):
            status(home, "sleeper")
        assert wait_for(lambda: (home["home"] / "other-ran").exists(), 5)
        # The removed generation's own file is no longer linked, nor its emptied directory.
        assert not os.path.lexists(home["home"] / "notes")
    finally:
        reconfigure(home, "sleeper")
    assert status(home, "sleeper")["status"] == "running"
    with pytest.raises(HerdError):
        status(home, "other")


def test_reconfiguring_the_same_home_adds_no_generation_and_keeps_the_service(home: dict) -> None:
    state = home["state"]
    count = len(state.generations())
    pid = status(home, "sleeper")["pid"]
    reconfigure(home, "sleeper")
    assert len(state.generations()) == count
    assert status(home, "sleeper")["pid"] == pid


def test_roll_back_goes_back_to_the_previous_generation_s_services(home: dict) -> None:
    reconfigure(home, "other")
    assert status(home, "other")["status"] == "running"
    gen, code = switch_home_generation(home["root"], None, say=lambda _: None)
    assert code == 0
    assert home["state"].current().number == gen.number
    assert status(home, "sleeper")["status"] == "running"
    with pytest.raises(HerdError):
        status(home, "other")
    assert (home["home"] / "notes" / "a.txt").read_text() == "A"


def test_home_mcron_jobs_run_on_the_home_manager_s_scheduler(home: dict) -> None:
    try:
        reconfigure(home, "mcron")
        assert status(home, "mcron")["status"] == "running"
        jobs = home["state"].client().request("schedule")["jobs"]
        assert [j["schedule"] for j in jobs] == ["(next-hour (quote (3)))"]
    finally:
        reconfigure(home, "sleeper")
    assert home["state"].client().request("schedule")["jobs"] == []


def test_list_generations_and_describe_show_the_home_generations(home: dict) -> None:
    root = str(home["root"].root)
    r = CliRunner().invoke(main, ["home", "list-generations", "--root", root], catch_exceptions=False)
    assert r.exit_code == 0
    assert "(current)" in r.output and f"home directory: {home['home']}" in r.output
    r = CliRunner().invoke(main, ["home", "describe", "--root", root], catch_exceptions=False)
    current = home["state"].current()
    assert r.output.splitlines()[:2] == [f"Generation {current.number}", f"  file name: {current.item}"]
    assert "  services: sleeper" in r.output.splitlines()


def test_gc_keeps_the_items_of_the_home_generations(home: dict) -> None:
    from schemy.system.reconfigure import collect_garbage

    collect_garbage(home["root"])
    for g in home["state"].generations():
        assert os.path.isdir(g.item)
        assert os.path.exists(g.metadata["manager"])
    assert (home["home"] / "notes" / "a.txt").read_text() == "A"


def test_another_home_directory_restarts_the_manager_with_that_home(home: dict) -> None:
    other_home = home["base"] / "home2"
    pid = status(home, "sleeper")["pid"]
    try:
        reconfigure(home, "sleeper", other_home)
        assert wait_for(lambda: gone(pid), 5)
        seen = other_home / "seen-home"
        assert wait_for(lambda: seen.exists() and seen.read_text().strip(), 5)
        assert seen.read_text().split()[0] == str(other_home)
    finally:
        reconfigure(home, "sleeper")


def test_herd_stop_root_stops_the_home_services_and_manager(home: dict) -> None:
    pid = status(home, "sleeper")["pid"]
    r = herd(home, "stop", "root")
    assert r.exit_code == 0 and "Service root has been stopped." in r.output
    assert wait_for(lambda: gone(pid), 5)
    for args in (("status",), ("stop", "root")):
        r = herd(home, *args)
        assert r.exit_code == 1
        assert "no service manager is running for this home (run `schemy home reconfigure FILE` first)" in r.output
