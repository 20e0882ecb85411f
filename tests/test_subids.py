"""subids-service-type (Guix's (gnu system shadow)): /etc/subuid and /etc/subgid as Guix's
activation writes them.  The expected allocations were obtained by running Guix's own
allocator (gnu/build/accounts.scm of the Guix tree, `allocate-subids') under Guile."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ev, system_check

from schemy.app import Interpreter
from schemy.cli.main import main
from schemy.lang.datum import to_str
from schemy.runtime import sandbox


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, "(use-modules (gnu build accounts) (gnu system accounts) (ice-9 match))"
          "(define (r n s c) (subid-range (name n) (start s) (count c)))"
          "(define (show entries) (string-join (map subid-entry->string entries) \" \"))")
    return i


def run_cli(*args: str):
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        sandbox.ACTIVE = False


@pytest.mark.parametrize("ranges, current, expected", [
    ('(r "root" #f 65536) (r "alice" #f 65536) (r "bob" #f 1000)', "",
     "alice:100000:65536 bob:165536:1000 root:166536:65536"),
    ('(r "root" 100000 200000) (r "bob" 300000 65536) (r "alice" #f 65536)', "",
     "root:100000:200000 bob:300000:65536 alice:365536:65536"),
    ('(r "carol" #f 65536)', '(r "root" 100000 65536) (r "alice" 165536 65536)',
     "root:100000:65536 alice:165536:65536 carol:231072:65536"),
    ('(r "carol" #f 65536) (r "erin" 400000 100)', '(r "root" 100000 65536) (r "alice" 300000 65536)',
     "root:100000:65536 alice:300000:65536 erin:400000:100 carol:400100:65536"),
    ('(r "x" #f 10) (r "y" 200000 10) (r "z" 150000 10) (r "w" #f 20)', "",
     "z:150000:10 y:200000:10 w:200010:20 x:200030:10"),
])
def test_allocation_places_ranges_where_guixs_allocator_does(interp, ranges, current, expected):
    assert to_str(ev(interp, f"(show (allocate-subids (list {ranges}) (list {current})))")) == expected


def test_a_range_outside_the_subordinate_ids_is_refused(interp):
    with pytest.raises(Exception, match="invalid subordinate id range"):
        ev(interp, '(allocate-subids (list (r "a" 50 10)))')


def test_subid_range_comes_from_gnu_system_accounts_not_shadow():
    i = Interpreter()
    ev(i, "(use-modules (gnu system shadow))")
    assert ev(i, "(defined? 'subids-service-type)") is True
    assert ev(i, "(defined? 'subid-range)") is False  # unbound in Guix too
    ev(i, "(use-modules (gnu system accounts))")
    assert ev(i, '(subid-range-count (subid-range (name "a")))') == 65536
    assert ev(i, '(subid-range-end (subid-range (name "a") (start 100000) (count 10)))') == 100009


CONFIG = """;; A container host: rootless podman needs sub ids for its users.
(use-modules (gnu) (gnu system accounts) (gnu system shadow))

(operating-system
  (host-name "pods")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account (name "alice") (group "users")) %base-user-accounts))
  (services
   (cons* (service subids-service-type
                   (subids-configuration
                    ADD-ROOT
                    (subuids (list SUBUIDS))
                    (subgids (list (subid-range (name "alice"))))))
          (simple-service 'more-subids subids-service-type
                          (subids-extension
                           (subuids (list (subid-range (name "bob") (start 300000) (count 1000))))))
          %base-services)))
"""


def write_config(tmp_path: Path, subuids: str = '(subid-range (name "alice"))', add_root: str = "") -> Path:
    config = tmp_path / "config.scm"
    config.write_text(CONFIG.replace("SUBUIDS", subuids).replace("ADD-ROOT", add_root))
    return config


def test_config_with_subids_checks_and_writes_subuid_and_subgid(tmp_path):
    config = write_config(tmp_path)
    assert system_check(config).returncode == 0
    root = tmp_path / "root"
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.output
    state = root / "var" / "schemy" / "state" / "etc"
    # root gets the ids below bob's fixed range; alice the first free ones after bob's.
    assert (state / "subuid").read_text() == "root:100000:200000\nbob:300000:1000\nalice:301000:65536\n"
    assert (state / "subgid").read_text() == "root:100000:65536\nalice:165536:65536\n"
    assert (state / "subuid").stat().st_mode & 0o777 == 0o644


def test_reconfigure_keeps_the_ranges_already_written(tmp_path):
    root = tmp_path / "root"
    assert run_cli("system", "reconfigure", str(write_config(tmp_path)), "--root", str(root),
                   "--no-services").exit_code == 0
    config = write_config(tmp_path, '(subid-range (name "carol")) (subid-range (name "alice"))')
    result = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
    assert result.exit_code == 0, result.output
    assert (root / "var/schemy/state/etc/subuid").read_text() == (
        "root:100000:200000\nbob:300000:1000\nalice:301000:65536\ncarol:366536:65536\n")


def test_add_root_false_gives_root_no_range(tmp_path):
    config = write_config(tmp_path, add_root="(add-root? #f)")
    root = tmp_path / "root"
    assert run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services").exit_code == 0
    assert (root / "var/schemy/state/etc/subgid").read_text() == "alice:100000:65536\n"


def test_range_below_the_minimum_is_a_located_error(tmp_path):
    config = write_config(tmp_path, '(subid-range (name "alice") (start 1000))')
    result = system_check(config)
    assert result.returncode == 1
    assert ("config.scm:17:35: error: subids-service-type: one subid-range starts before the minimum "
            "allowed sub id 100000") in result.stderr


def test_unbound_subid_range_hint_names_gnu_system_accounts(tmp_path):
    """GreenTeaSeb's config uses subid-range importing only (gnu system shadow): unbound in Guix
    too; the hint names Guix's module, not schemy's helper module."""
    config = write_config(tmp_path).read_text().replace("(gnu system accounts) ", "")
    path = tmp_path / "no-accounts.scm"
    path.write_text(config)
    result = system_check(path)
    assert result.returncode == 1
    assert "subid-range: unbound variable" in result.stderr
    assert "hint: Did you forget (use-system-modules accounts)?" in result.stderr
