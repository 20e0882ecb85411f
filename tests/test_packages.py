"""Packages as values: the <package> record, finding packages by name, lowering to host links."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix import packages as P
from schemy.guix.gexp import lower_gexp, lower_object
from schemy.guix.store import Store
from schemy.lang.datum import NIL, Pair, list_to_python
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string

GANETI_EXAMPLE = ["qemu", "lvm2", "drbd-utils", "ceph", "ganeti-instance-guix", "ganeti-instance-debootstrap"]

HELLO = """
(use-modules (guix packages))
(define my-hello
  (package
    (name "my-hello")
    (version "2.12")
    (synopsis "Hello")
    (description "Says hello.")
    (license 'gpl3+)
    (home-page "https://example.org")
    (debian-package "hello")
    (programs '(("bin/ls" "ls" "coreutils")
                ("sbin/schemy-no-such-daemon" . "schemy-no-such-daemon")))))
"""


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    i = Interpreter()
    i.eval_string("(use-modules (guix gexp) (guix packages) (gnu packages) (schemy packages))", "/tmp/config.scm")
    return i


def ev(interp: Interpreter, text: str, filename: str = "/tmp/config.scm"):
    return interp.eval_string(text, filename)


def field(pkg, name: str):
    return P._field(pkg, name)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


# ---------------------------------------------------------------- the record


def test_package_record_fields_and_defaults(interp):
    pkg = ev(interp, HELLO + "my-hello")
    assert field(pkg, "name") == "my-hello"
    assert write_string(ev(interp, "(package-outputs my-hello)")) == '("out")'
    assert ev(interp, "(package-full-name my-hello)") == "my-hello@2.12"
    assert ev(interp, '(package-full-name my-hello "-")') == "my-hello-2.12"
    assert write_string(ev(interp, "(package-properties my-hello)")) == "()"
    assert ev(interp, "(package-source my-hello)") is False
    assert ev(interp, "(package? my-hello)") is True
    assert ev(interp, "(package-debian-package my-hello)") == "hello"


def test_package_location_is_where_it_was_written(interp):
    loc = ev(interp, HELLO + "(package-location my-hello)", "/tmp/hello.scm")
    assert loc.filename == "/tmp/hello.scm" and loc.line == 4


def test_inherit_copies_fields_but_not_location(interp):
    ev(interp, HELLO, "/tmp/hello.scm")
    ev(interp, '\n\n(define other (package (inherit my-hello) (name "other")))', "/tmp/other.scm")
    assert ev(interp, "(package-full-name other)") == "other@2.12"
    assert ev(interp, "(package-synopsis other)") == "Hello"
    assert ev(interp, "(package-location other)").filename == "/tmp/other.scm"


def test_package_printer_shows_name_version_and_location(interp):
    text = write_string(ev(interp, HELLO + "my-hello", "/tmp/hello.scm"))
    assert text == "#<package my-hello@2.12 /tmp/hello.scm:4>"
    assert write_string(ev(interp, '(specification->package "qemu")')).startswith(
        "#<package qemu@10.2.1 gnu/packages/virtualization.scm:")


def test_missing_package_field_is_reported(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(package (name "x") (version "1"))')
    assert "missing field initializers" in str(e.value)


def test_thunked_inputs_see_this_package(interp):
    ev(interp, HELLO)
    v = ev(interp, "(package-inputs (package (inherit my-hello)"
                   " (inputs (list (package-name this-package)))))")
    # Labeled as Guix labels inputs: a string is not a package, so its label is "_".
    assert write_string(v) == '(("_" "my-hello"))'


def test_package_program_names(interp):
    ev(interp, HELLO)
    assert write_string(ev(interp, "(package-program-names my-hello)")) == \
        '("bin/ls" "sbin/schemy-no-such-daemon")'


# ---------------------------------------------------------------- finding packages


def test_chapter_ganeti_example_packages_resolve(interp):
    specs = " ".join(f'"{n}"' for n in GANETI_EXAMPLE)
    names = ev(interp, f"(map package-name (map specification->package '({specs})))")
    assert list_to_python(names) == GANETI_EXAMPLE


def test_specification_with_version_prefix(interp):
    for spec in ("qemu@10", "qemu@10.2", "qemu@10.2.1"):
        assert ev(interp, f'(package-full-name (specification->package "{spec}"))') == "qemu@10.2.1"


def test_specification_picks_the_newest_version(interp):
    assert ev(interp, '(package-version (specification->package "linux-libre"))') == "6.19.8"
    assert ev(interp, '(package-version (specification->package "linux-libre@6.6"))') == "6.6.129"
    assert ev(interp, '(package-version (specification->package "guile@2.2"))') == "2.2.7"


def test_package_names_differ_from_variable_names(interp):
    assert ev(interp, '(eq? (specification->package "iproute2") (@ (gnu packages linux) iproute))') is True
    assert ev(interp, '(eq? (specification->package "guile") (@ (gnu packages guile) guile-3.0-latest))') is True
    assert ev(interp, '(package-name (specification->package "qemu-minimal"))') == "qemu-minimal"


def test_unknown_package_is_an_error_with_close_names(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(define pkgs\n  (list (specification->package "qemo")))', "/tmp/config.scm")
    text = str(e.value)
    assert "error: package 'qemo' not found" in text
    assert "hint: Did you mean" in text and "'qemu'" in text
    assert text.startswith("/tmp/config.scm:")


def test_unknown_package_lists_prefixed_names(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(list (specification->package "ganeti-instance"))')
    assert "ganeti-instance-guix" in str(e.value) and "ganeti-instance-debootstrap" in str(e.value)


def test_unknown_version_lists_available_versions(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(list (specification->package "qemu@3"))')
    assert "package 'qemu' not found for version 3" in str(e.value)
    assert "hint: available: qemu@10.2.1" in str(e.value)


def test_specification_to_package_and_output(interp):
    v = ev(interp, '(call-with-values (lambda () (specification->package+output "qemu:static"))'
                   ' (lambda (p o) (list (package-name p) o)))')
    assert write_string(v) == '("qemu" "static")'
    v = ev(interp, '(call-with-values (lambda () (specification->package+output "libvirt"))'
                   ' (lambda (p o) o))')
    assert v == "out"


def test_specification_with_unknown_output_is_an_error(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(list (specification->package+output "qemu:debug"))')
    assert "package 'qemu@10.2.1' lacks output 'debug'" in str(e.value)


def test_specifications_to_packages_gives_package_output_lists(interp):
    v = ev(interp, '(map (lambda (x) (list (package-name (car x)) (cadr x)))'
                   ' (specifications->packages (list "qemu" "git:send-email")))')
    assert write_string(v) == '(("qemu" "out") ("git" "send-email"))'


def test_find_packages_by_name(interp):
    versions = list_to_python(ev(interp, '(map package-version (find-packages-by-name "linux-libre"))'))
    assert versions[0] == "6.19.8" and "6.6.129" in versions
    assert write_string(ev(interp, '(find-packages-by-name "no-such-thing")')) == "()"


def test_fold_packages_visits_every_module(interp):
    names = set(list_to_python(ev(interp, "(fold-packages (lambda (p r) (cons (package-name p) r)) '())")))
    assert {"qemu", "libvirt", "ganeti", "openssh", "coreutils", "bash", "lvm2", "shadow"} <= names
    assert len(names) > 100


def test_lookup_loads_only_the_defining_module():
    i = Interpreter()
    i.eval_string('(use-modules (gnu packages)) (specification->package "drbd-utils")')
    assert ("gnu", "packages", "cluster") in i.modules
    assert ("gnu", "packages", "virtualization") not in i.modules


def test_package_modules_on_the_user_load_path_are_found(tmp_path):
    mod = tmp_path / "gnu" / "packages" / "custom.scm"
    mod.parent.mkdir(parents=True)
    mod.write_text("""(define-module (gnu packages custom) #:use-module (guix packages) #:export (my-tool))
(define my-tool (package (name "my-tool") (version "1.0") (synopsis "s") (description "d")
  (license 'expat) (home-page "https://example.org") (programs '("bin/sh"))))""")
    i = Interpreter(load_path=[str(tmp_path)])
    assert i.eval_string('(use-modules (gnu packages) (guix packages))'
                         ' (package-full-name (specification->package "my-tool"))') \
        == "my-tool@1.0"


def test_lookup_outside_a_running_interpreter_never_says_not_found(tmp_path):
    """Either it works (once load_file makes its interpreter current) or it says why not."""
    from schemy.system.config import load_config

    config = tmp_path / "c.scm"
    config.write_text('(use-modules (gnu packages))\n(specification->package "qemu")\n')
    try:
        pkg = load_config(Interpreter(), str(config))
    except SchemeError as e:
        assert "package lookup outside of a running interpreter" in str(e)
    else:
        assert field(pkg, "name") == "qemu"


def test_unbound_package_variable_hints_at_its_module():
    i = Interpreter()
    with pytest.raises(SchemeError) as e:
        i.eval_string("(list qemu)", "/tmp/config.scm")
    assert "Did you forget (use-package-modules virtualization)?" in str(e.value)


# ---------------------------------------------------------------- lowering


def test_lowering_is_deterministic(interp, tmp_path):
    pkg = ev(interp, "(@ (gnu packages base) coreutils)")
    a = lower_object(pkg, Store(tmp_path / "store"))
    b = lower_object(pkg, Store(tmp_path / "store"))
    c = lower_object(pkg, Store(tmp_path / "other"))
    assert a == b and os.path.basename(a) == os.path.basename(c)
    assert a.endswith("-coreutils-9.1")


def test_lowering_in_a_dry_store_names_the_item(interp):
    pkg = ev(interp, "(@ (gnu packages base) coreutils)")
    path = ev(interp, "(lower-object (@ (gnu packages base) coreutils))")
    assert path == lower_object(pkg, Store(None)) and path.startswith("/schemy/store/")


def test_lowered_package_links_to_host_programs(interp, store):
    item = lower_object(ev(interp, "(@ (gnu packages base) coreutils)"), store)
    ls = Path(item) / "bin" / "ls"
    assert ls.is_symlink() and os.readlink(ls).endswith("/ls") and ls.exists()
    assert os.path.samefile(ls, shutil.which("ls"))


def test_missing_program_is_recorded_and_explained(interp, store):
    item = lower_object(ev(interp, HELLO + "my-hello"), store)
    assert (Path(item) / "bin" / "ls").exists()
    assert not os.path.lexists(Path(item) / "sbin" / "schemy-no-such-daemon")
    assert P.missing_programs(item) == [
        P.MissingProgram("sbin/schemy-no-such-daemon", "schemy-no-such-daemon", "hello")]
    assert P.explain_missing(f"{item}/sbin/schemy-no-such-daemon") == \
        "schemy-no-such-daemon is not installed on this host (Debian package: hello)"
    assert P.explain_missing(f"{item}/bin/ls") is None
    assert P.explain_missing("/nonexistent/dir/prog") is None


def test_missing_bare_name_is_explained_from_profile_items(interp, store):
    item = lower_object(ev(interp, HELLO + "my-hello"), store)
    assert P.explain_missing_name("schemy-no-such-daemon", [item]) == \
        "schemy-no-such-daemon is not installed on this host (Debian package: hello)"
    assert P.explain_missing_name("ls", [item]) is None


def test_per_program_debian_package_is_used_in_explanations(interp, store):
    pkg = ev(interp, """(package (inherit my-hello)
      (programs '(("sbin/schemy-absent-1" "schemy-absent-1" "deb-one")
                  ("bin/schemy-absent-2" ("schemy-absent-2" "/opt/nowhere/x")))))""")
    item = lower_object(pkg, store)
    assert P.explain_missing(f"{item}/sbin/schemy-absent-1") == \
        "schemy-absent-1 is not installed on this host (Debian package: deb-one)"
    assert P.explain_missing(f"{item}/bin/schemy-absent-2") == \
        "schemy-absent-2 is not installed on this host (Debian package: hello)"


def test_program_that_disappears_after_lowering_is_explained(interp, store, tmp_path, monkeypatch):
    bindir = tmp_path / "hostbin"
    bindir.mkdir()
    prog = bindir / "schemy-test-tool"
    prog.write_text("#!/bin/sh\nexit 0\n")
    prog.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ.get('PATH', '')}")
    pkg = ev(interp, """(package (inherit my-hello)
      (programs '(("bin/schemy-test-tool" "schemy-test-tool" "test-deb"))))""")
    item = lower_object(pkg, store)
    assert os.readlink(f"{item}/bin/schemy-test-tool") == str(prog)
    prog.unlink()
    assert P.explain_missing(f"{item}/bin/schemy-test-tool") == (
        f"schemy-test-tool is no longer installed on this host ({prog} is gone) (Debian package: test-deb)")


def test_same_host_programs_give_the_same_item_and_others_differ(interp, store, tmp_path, monkeypatch):
    pkg = ev(interp, """(package (inherit my-hello)
      (programs '(("bin/schemy-test-tool2" "schemy-test-tool2"))))""")
    before = lower_object(pkg, store)
    bindir = tmp_path / "hostbin2"
    bindir.mkdir()
    (bindir / "schemy-test-tool2").write_text("#!/bin/sh\n")
    (bindir / "schemy-test-tool2").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ.get('PATH', '')}")
    after = lower_object(pkg, store)
    assert after != before and lower_object(pkg, store) == after
    assert not P.missing_programs(after) and P.missing_programs(before)


def test_program_entry_forms(interp):
    pkg = ev(interp, """(package (inherit my-hello)
      (programs '("bin/ls" ("bin/l2" . "ls") ("bin/l3" "ls") ("bin/l4" ("nope-xyz" "ls") "deb")
                  ("share/data" "/etc/hostname"))))""")
    specs = P.program_specs(pkg)
    assert [(s.name, s.candidates, s.debian) for s in specs] == [
        ("bin/ls", ("ls",), "hello"), ("bin/l2", ("ls",), "hello"), ("bin/l3", ("ls",), "hello"),
        ("bin/l4", ("nope-xyz", "ls"), "deb"), ("share/data", ("/etc/hostname",), "hello")]


def test_data_entries_only_need_to_exist(interp, store):
    pkg = ev(interp, """(package (inherit my-hello) (programs '(("share/hostname" "/etc/hosts"))))""")
    item = lower_object(pkg, store)
    assert os.readlink(f"{item}/share/hostname") == "/etc/hosts"


def test_package_program_path_primitive(interp):
    assert ev(interp, '(%package-program-path my-hello "bin/ls")') == shutil.which("ls")
    assert ev(interp, '(%package-program-path my-hello "sbin/schemy-no-such-daemon")') is False
    assert write_string(ev(interp, "(package-missing-programs my-hello)")) == \
        '(("sbin/schemy-no-such-daemon" "schemy-no-such-daemon" "hello"))'


def test_host_search_path_skips_store_items(tmp_path, monkeypatch):
    fake = tmp_path / "store" / ("a" * 32 + "-profile") / "bin"
    fake.mkdir(parents=True)
    monkeypatch.setenv("PATH", f"{fake}:relative/bin:/usr/bin")
    path = P.host_search_path()
    assert str(fake) not in path and "relative/bin" not in path
    assert path[0] == "/usr/bin" and "/usr/sbin" in path


def test_packages_in_file_append_and_gexps(interp, store):
    g = ev(interp, "(use-modules (gnu packages base))"
                   " #~(list #$(file-append coreutils \"/bin/ls\") #$coreutils)")
    lowered = list_to_python(lower_gexp(g, store))
    ls, item = lowered[1], lowered[2]
    assert ls == item + "/bin/ls" and item.startswith(str(store.directory))
    assert os.path.exists(ls)


def test_gexp_to_string_with_packages(interp):
    text = ev(interp, "(gexp->string #~(system* #$(file-append (@ (gnu packages virtualization) libvirt)"
                      " \"/sbin/libvirtd\") \"-f\" \"x\"))")
    assert text.startswith('(system* "/schemy/store/') and '-libvirt-11.5.0/sbin/libvirtd" "-f" "x")' in text


def test_package_lists_lower_into_a_profile(interp, store):
    from schemy.system.build import realize_profile

    pkgs = ev(interp, """(use-modules (gnu packages base) (gnu packages bash) (gnu packages linux))
      (append (map specification->package '("qemu-minimal" "lvm2"))
              (specifications->packages '("grep"))
              (list coreutils bash util-linux))""")
    profile, items = realize_profile(pkgs, store)
    assert len(items) == 6
    assert (Path(profile) / "bin" / "ls").exists() and (Path(profile) / "bin" / "grep").exists()
    assert isinstance(list_to_python(pkgs)[2], Pair)


def test_every_package_with_host_programs_lowers(interp, store):
    from schemy.guix import catalogue

    mapped = " ".join("(" + " ".join(m) + ")" for m, es in catalogue.catalogue().items()
                      if any(e.programs is not NIL for e in es))
    pkgs = list_to_python(ev(interp, f"(fold-packages cons '() (map resolve-module '({mapped})))"))
    assert len(pkgs) > 1000
    for pkg in pkgs:
        item = lower_object(pkg, store)
        assert os.path.isdir(item)
        for m in P.missing_programs(item):
            assert P.explain_missing(os.path.join(item, m.name)).endswith(
                "is not installed on this host" + (f" (Debian package: {m.debian})" if m.debian else ""))


def test_ganeti_links_its_daemons_and_helpers_where_installed(interp, store):
    item = Path(lower_object(ev(interp, "(@ (gnu packages virtualization) ganeti)"), store))
    for name in ("sbin/ganeti-noded", "sbin/gnt-cluster", "lib/ganeti/daemon-util"):
        host = {"sbin/ganeti-noded": "/usr/sbin/ganeti-noded", "sbin/gnt-cluster": "/usr/sbin/gnt-cluster",
                "lib/ganeti/daemon-util": "/usr/lib/ganeti/daemon-util"}[name]
        if os.path.exists(host):
            assert os.path.samefile(item / name, host)
        else:
            assert "(Debian package: ganeti" in P.explain_missing(str(item / name))


def test_base32_decodes_nix_hashes(interp):
    bv = ev(interp, '(base32 "0ssi1wpaf7plaswqqjwigppsg5fyh99vdlb9kzl7c9lng89ndq1i")')
    assert len(bv) == 32
    with pytest.raises(SchemeError):
        ev(interp, '(base32 "not-base32!")')


def test_origin_record(interp):
    v = ev(interp, """(origin (method 'url-fetch) (uri "https://example.org/x.tar.gz")
                        (sha256 (base32 "0ssi1wpaf7plaswqqjwigppsg5fyh99vdlb9kzl7c9lng89ndq1i")))""")
    assert ev(interp, "(origin? (origin (method 'url-fetch) (uri \"u\")))") is True
    assert write_string(v) == '#<origin "https://example.org/x.tar.gz">'


def test_version_compare_is_numeric():
    from schemy.lang.datum import Symbol

    assert P.version_compare("6.10", "6.9.6") is Symbol(">")
    assert P.version_compare("1.0", "1.0") is Symbol("=")
    assert P.version_prefix("8", "8.2.2") and not P.version_prefix("8.2.2", "8.2.20")
