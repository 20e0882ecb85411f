"""Systems built here for another machine's store (what ``schemy deploy`` sends): items named for
the target's store, the closure of a system, an archive of items checked on arrival, and the
target switching to a system it did not build.  In process, no ssh (tests/test_deploy.py has
the end-to-end runs)."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.store import Store, closure, export_items, import_items
from schemy.lang.errors import SchemeError
from schemy.system.build import build_system
from schemy.system.generations import StateRoot
from schemy.system.reconfigure import switch_to_built

CONFIG = """(use-modules (gnu) (guix gexp))
(operating-system
  (host-name "far")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4")) %base-file-systems))
  (users (cons (user-account (name "alice") (group "users") (password "$6$salt$hash")) %base-user-accounts))
  (services (cons (simple-service 'files etc-service-type
                    (list `("greeting" ,(plain-file "greeting" "hello\\n"))
                          ;; a builder that reads its input, and writes its input's name into its output
                          `("copy" ,(computed-file "copy"
                                      #~(call-with-output-file #$output
                                          (lambda (port)
                                            (display (call-with-input-file #$(local-file "data.txt")
                                                       get-line) port)
                                            (display " from " port)
                                            (display #$(local-file "data.txt") port)))))
                          `("tool" ,(program-file "tool" #~(display "hi")))))
                  %base-services)))
"""


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


@pytest.fixture(scope="module")
def system_built(interp, tmp_path_factory):
    """The system built in ``here`` for a target root ``there`` (as another machine's store)."""
    tmp_path = tmp_path_factory.mktemp("items")
    (tmp_path / "data.txt").write_text("payload\n")
    config = tmp_path / "config.scm"
    config.write_text(CONFIG)
    there = StateRoot(tmp_path / "there")
    store = Store(tmp_path / "here", prefix=str(there.store_dir), python="/opt/target/bin/python")
    system = interp.run_protected(lambda: build_system(interp, str(config), store))
    return {"store": store, "system": system, "there": there, "tmp": tmp_path}


@pytest.fixture()
def built(system_built):
    """The same, with the target root empty again."""
    root = system_built["there"].root
    if root.exists():
        for dirpath, dirs, _files in os.walk(root):
            for d in dirs:
                os.chmod(os.path.join(dirpath, d), 0o755)
        shutil.rmtree(root)
    return system_built


def test_items_built_for_another_store_are_named_for_it_and_written_here(built):
    store, system, there = built["store"], built["system"], built["there"]
    assert system.path.startswith(str(there.store_dir) + "/") and not there.root.exists()
    local = Path(store.local(system.path))
    assert local.parent == built["tmp"] / "here" and local.is_dir()
    copy = Path(store.local(system.etc["copy"])).read_text()
    # the builder read its input here; its output names the input as the target will have it
    assert copy.startswith("payload from " + str(there.store_dir) + "/")
    assert str(built["tmp"] / "here") not in copy
    tool = Path(store.local(system.etc["tool"])).read_text()
    assert tool.startswith("#!/usr/bin/env -S /opt/target/bin/python -m schemy run")


def test_the_same_system_built_on_the_target_has_the_same_items(interp, built):
    there = built["there"]
    there.ensure()
    own = interp.run_protected(lambda: build_system(interp, str(built["tmp"] / "config.scm"),
                                                    Store(there.store_dir, python="/opt/target/bin/python")))
    assert own.path == built["system"].path and own.etc == built["system"].etc


def test_closure_export_import_and_switch(interp, built):
    store, system, there = built["store"], built["system"], built["there"]
    names = closure(store, system.path)
    assert os.path.basename(system.path) in names
    assert {os.path.basename(p) for p in system.etc.values()} <= set(names)
    there.ensure()
    added = import_items(Store(there.store_dir), io.BytesIO(export_items(store, names)))
    assert sorted(added) == names
    assert import_items(Store(there.store_dir), io.BytesIO(export_items(store, names))) == []
    outcome = interp.run_protected(lambda: switch_to_built(interp, system.path, system.accounts, there,
                                                           say=lambda _: None, start_services=False))
    assert outcome.generation == 1
    assert (there.root / "etc" / "greeting").read_text() == "hello\n"
    assert "alice:$6$salt$hash:" in (there.root / "etc" / "shadow").read_text()
    again = []
    interp.run_protected(lambda: switch_to_built(interp, system.path, system.accounts, there, say=again.append,
                                                 start_services=False))
    assert "generation 1 is already this system" in again


def test_an_item_that_arrives_corrupted_is_refused_and_nothing_of_it_kept(built):
    store, system, there = built["store"], built["system"], built["there"]
    greeting = os.path.basename(system.etc["greeting"])
    data = io.BytesIO(export_items(store, [greeting]))
    out = io.BytesIO()
    with tarfile.open(fileobj=data) as src, tarfile.open(fileobj=out, mode="w") as dst:
        for member in src:
            content = src.extractfile(member).read() if member.isfile() else None
            if member.name == greeting:
                content = b"HELLO\n"
            dst.addfile(member, io.BytesIO(content) if content is not None else None)
    there.ensure()
    with pytest.raises(SchemeError, match=f"item {greeting} arrived corrupted"):
        import_items(Store(there.store_dir), io.BytesIO(out.getvalue()))
    assert not (there.store_dir / greeting).exists()
    assert [p for p in there.store_dir.iterdir() if p.name != ".hashes"] == []


def test_items_built_for_another_store_are_refused_by_this_one(built, tmp_path):
    store, system = built["store"], built["system"]
    other = StateRoot(tmp_path / "other")
    other.ensure()
    with pytest.raises(SchemeError, match="the items were built for the store"):
        import_items(Store(other.store_dir), io.BytesIO(export_items(store, closure(store, system.path))))


def test_an_archive_member_outside_its_items_is_refused(built, tmp_path):
    store, there = built["store"], built["there"]
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        text = json.dumps({"prefix": store.prefix, "items": {"x" * 32 + "-a": "0"}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
        evil = tarfile.TarInfo("x" * 32 + "-a/../../escape")
        evil.size = 1
        tar.addfile(evil, io.BytesIO(b"!"))
    there.ensure()
    with pytest.raises(SchemeError, match="not inside one of its items"):
        import_items(Store(there.store_dir), io.BytesIO(out.getvalue()))
    assert not (there.root / "escape").exists() and not (tmp_path / "escape").exists()


def test_switching_with_accounts_that_are_not_the_systems_is_refused(interp, built):
    store, system, there = built["store"], built["system"], built["there"]
    there.ensure()
    import_items(Store(there.store_dir), io.BytesIO(export_items(store, closure(store, system.path))))
    accounts = json.loads(json.dumps(system.accounts))
    accounts["users"][0]["password"] = "$6$other$hash"
    with pytest.raises(SchemeError, match="not those of the system"):
        interp.run_protected(lambda: switch_to_built(interp, system.path, accounts, there, say=lambda _: None,
                                                     start_services=False))
    assert not (there.root / "current-system").exists()
