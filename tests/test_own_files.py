"""Configs that need their own repository's files (issue 15): their own modules found with
``-L`` (on every verb), ``GUIX_PACKAGE_PATH``/``GUILE_LOAD_PATH``, ``add-to-load-path`` or
``(set! %load-path ...)``; ``local-file``/``load``/``include`` relative to the file that holds
them; a missing file or module is a located error with a hint, and ``system check`` reports
every one at once.

Each test writes a small fake repository of its own under tmp_path: a config, a
``modules/`` directory with its own ``define-module`` packages and services, and local files.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemy.cli.main import main

ROOT = Path(__file__).resolve().parent.parent

OS_TAIL = """
(operating-system
  (host-name "own")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services (cons* {services} %base-services)))
"""

SERVICES_MODULE = """(define-module (mychannel services motd)
  #:use-module (gnu services)
  #:use-module (guix gexp)
  #:export (motd-service))

;; A local file next to this module, as Guix resolves it.
(define motd-service
  (simple-service 'own-motd etc-service-type
                  (list (list "own-motd" (local-file "motd.txt"))
                        (list "own-tree" (local-file "tree" "own-tree" #:recursive? #t)))))
"""


def write_repo(root: Path, config_head: str, services: str = "motd-service",
               config_name: str = "config.scm") -> Path:
    """A repository: modules/mychannel/services/motd.scm (+ motd.txt and a tree next to
    it) and a config that starts with ``config_head``; the config's path."""
    module_dir = root / "modules" / "mychannel" / "services"
    module_dir.mkdir(parents=True)
    (module_dir / "motd.scm").write_text(SERVICES_MODULE)
    (module_dir / "motd.txt").write_text("Welcome to own.\n")
    tree = module_dir / "tree"
    (tree / "bin").mkdir(parents=True)
    (tree / "bin" / "hello").write_text("#!/bin/sh\necho hello\n")
    (tree / "bin" / "hello").chmod(0o755)
    (tree / "README").write_text("a tree\n")
    config = root / config_name
    config.write_text(config_head + OS_TAIL.replace("{services}", services))
    return config


USES = "(use-modules (gnu) (mychannel services motd))\n"


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """schemy as its own process (``system check`` turns a sandbox on for the whole process)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    for name in ("GUIX_PACKAGE_PATH", "GUILE_LOAD_PATH", "SCHEMY_LOAD_PATH"):
        if env is None or name not in env:
            full_env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "schemy.cli.main", *args], capture_output=True, text=True,
                          timeout=180, check=False, cwd=str(cwd) if cwd else None, env=full_env)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def built_etc(store_path: str) -> Path:
    """The /etc directory of a built system."""
    return Path(store_path.strip()) / "etc"


# ------------------------------------------------------------------ -L on the verbs


def test_system_check_takes_load_path_after_the_verb(tmp_path):
    config = write_repo(tmp_path / "repo", USES)
    r = run("system", "check", "-L", str(tmp_path / "repo" / "modules"), str(config), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "no problems found" in r.stdout


def test_system_build_takes_relative_load_path_and_copies_module_local_files(tmp_path):
    repo = tmp_path / "repo"
    write_repo(repo, USES)
    old = os.getcwd()
    os.chdir(repo)
    try:
        code, out, err = invoke("system", "build", "--load-path=modules", "config.scm",
                                "--root", str(tmp_path / "state"))
    finally:
        os.chdir(old)
    assert code == 0, err
    etc = built_etc(out)
    motd = etc / "own-motd"
    assert motd.read_text() == "Welcome to own.\n"
    assert stat.S_IMODE(motd.stat().st_mode) == 0o444  # read-only in the store, like Guix's
    hello = etc / "own-tree" / "bin" / "hello"
    assert hello.read_text() == "#!/bin/sh\necho hello\n"
    assert stat.S_IMODE(hello.stat().st_mode) == 0o555  # #:recursive? keeps the executable bit
    assert (etc / "own-tree" / "README").read_text() == "a tree\n"


def two_versions(tmp_path: Path) -> tuple[Path, Path]:
    """Two directories that both have module (which) with a different service name."""
    dirs = []
    for label in ("first", "second"):
        d = tmp_path / label
        d.mkdir()
        (d / "which.scm").write_text(f"""(define-module (which) #:use-module (gnu services) #:export (which-service))
(define which-service (simple-service '{label}-ext etc-service-type '()))
""")
        dirs.append(d)
    return dirs[0], dirs[1]


def test_system_verbs_search_the_last_load_path_first_as_guix(tmp_path):
    first, second = two_versions(tmp_path)
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (which))\n" + OS_TAIL.replace("{services}", "which-service"))
    code, out, err = invoke("system", "extension-graph", "-L", str(first), "-L", str(second), str(config))
    assert code == 0, err
    assert "second-ext" in out and "first-ext" not in out


def test_eval_searches_load_paths_in_order_as_guile(tmp_path):
    first, second = two_versions(tmp_path)
    code, out, err = invoke("eval", "-L", str(first), "-L", str(second), "-e", "(list-head %load-path 2)")
    assert code == 0, err
    assert out.strip() == f'("{first}" "{second}")'


def test_run_takes_load_path_before_the_script(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "greet.scm").write_text("(define-module (greet) #:export (greeting))\n(define greeting \"hi\")\n")
    script = tmp_path / "s.scm"
    script.write_text("(use-modules (greet))\n(display greeting)\n")
    r = run("run", "-L", str(lib), str(script), "-L", "not-mine")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hi"


# ------------------------------------------------------------------ environment variables


def test_guix_package_path_finds_own_modules(tmp_path):
    config = write_repo(tmp_path / "repo", USES)
    r = run("system", "check", str(config), env={"GUIX_PACKAGE_PATH": f"/nonexistent:{tmp_path}/repo/modules"})
    assert r.returncode == 0, r.stderr


def test_guile_load_path_finds_own_modules(tmp_path):
    config = write_repo(tmp_path / "repo", USES)
    r = run("system", "check", str(config), env={"GUILE_LOAD_PATH": f"{tmp_path}/repo/modules"})
    assert r.returncode == 0, r.stderr


def test_environment_load_paths_order_and_guix_installations_last(tmp_path):
    from schemy.eval.load_path import initial_load_path

    guix_tree = tmp_path / "profile"
    (guix_tree / "guix").mkdir(parents=True)
    (guix_tree / "guix" / "gexp.scm").write_text("")
    env = {"GUIX_PACKAGE_PATH": "/channel:", "GUILE_LOAD_PATH": f"/lib:{guix_tree}", "SCHEMY_LOAD_PATH": "/extra"}
    assert initial_load_path(["/given"], "/stdlib", env) == [
        "/given", "/channel", "/lib", "/extra", "/stdlib", str(guix_tree)]


# ------------------------------------------------------------------ the sandbox of system check


def test_check_reads_private_modules_of_a_load_path_directory(tmp_path):
    config = write_repo(tmp_path / "repo", USES)
    module = tmp_path / "repo" / "modules" / "mychannel" / "services" / "motd.scm"
    module.chmod(0o600)  # a checkout made with umask 077
    r = run("-L", str(tmp_path / "repo" / "modules"), "system", "check", str(config))
    assert r.returncode == 0, r.stderr


# ------------------------------------------------------------------ the config finds its own modules


def test_add_to_load_path_of_the_config_directory_through_a_symlink(tmp_path):
    head = ('(add-to-load-path (string-append (dirname (current-filename)) "/modules"))\n' + USES)
    write_repo(tmp_path / "repo", head)
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "system.scm"
    link.symlink_to(tmp_path / "repo" / "config.scm")  # ~/.config/guix/system.scm -> the checkout
    r = run("system", "check", str(link), cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_set_load_path_in_eval_when_finds_own_modules(tmp_path):
    head = ("(eval-when (compile load eval)\n"
            "  (set! %load-path (cons (string-append (dirname (current-filename)) \"/modules\") %load-path)))\n"
            + USES)
    config = write_repo(tmp_path / "repo", head)
    r = run("system", "check", str(config), cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_load_is_relative_to_the_loading_file(tmp_path):
    repo = tmp_path / "repo"
    (repo / "parts").mkdir(parents=True)
    (repo / "parts" / "users.scm").write_text("(define my-users '(\"alice\"))\n(load \"more.scm\")\n")
    (repo / "parts" / "more.scm").write_text("(define my-more 2)\n")
    (repo / "main.scm").write_text('(load "parts/users.scm")\n(write (list my-users my-more))\n')
    code, out, err = invoke("run", str(repo / "main.scm"))  # from another directory
    assert code == 0, err
    assert out == '(("alice") 2)'


def test_load_in_vicinity_and_primitive_load(tmp_path):
    (tmp_path / "a.scm").write_text("(define from-a 1)\n")
    code, out, err = invoke("eval", "-e", f'(load-in-vicinity "{tmp_path}" "a.scm")', "-e", "from-a")
    assert (code, out.strip()) == (0, "1"), err


def test_include_is_relative_to_the_including_module(tmp_path):
    lib = tmp_path / "lib" / "mine"
    lib.mkdir(parents=True)
    (lib / "parts.scm").write_text("(define-module (mine parts) #:export (part))\n(include \"part.scm\")\n")
    (lib / "part.scm").write_text("(define part 'included)\n")
    code, out, err = invoke("eval", "-L", str(tmp_path / "lib"), "-e", "(use-modules (mine parts))", "-e", "part")
    assert (code, out.strip()) == (0, "included"), err


# ------------------------------------------------------------------ local-file


def test_local_file_of_a_non_literal_name_is_relative_to_the_current_directory_with_a_warning(tmp_path):
    (tmp_path / "here.pub").write_text("key\n")
    script = tmp_path / "sub" / "s.scm"
    script.parent.mkdir()
    script.write_text('(use-modules (guix gexp))\n(define n "here.pub")\n(define f (local-file n))\n(display "ok")\n')
    r = run("run", str(script), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"{script}:3:10: warning: resolving 'here.pub' relative to current directory" in r.stderr


def test_assume_source_relative_file_name(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "k.pub").write_text("key\n")
    script = tmp_path / "sub" / "s.scm"
    script.write_text('(use-modules (guix gexp))\n(define n "k.pub")\n'
                      "(define f (local-file (assume-source-relative-file-name n)))\n(display \"ok\")\n")
    r = run("run", str(script), cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (0, "ok", "")


def test_missing_local_file_names_the_path_looked_for(tmp_path):
    config = write_repo(tmp_path / "repo", USES + '(define key (local-file "keys/signing.pub"))\n')
    code, _, err = invoke("system", "build", "-L", str(tmp_path / "repo" / "modules"), str(config),
                          "--root", str(tmp_path / "state"))
    assert code == 1
    first, hint = err.splitlines()[:2]
    assert first == (f"{config}:2:12: error: file 'keys/signing.pub' not found "
                     f"(no {tmp_path}/repo/keys/signing.pub)")
    assert hint.startswith(f"hint: local-file looks a relative name up next to the file that holds this "
                           f"local-file form, in {tmp_path}/repo")


def test_check_reports_every_missing_local_file_and_module_at_once(tmp_path):
    head = ("(use-modules (gnu) (mychannel services motd) (mychannel packages nowhere))\n"
            '(define key (local-file "signing.pub"))\n')
    config = write_repo(tmp_path / "repo", head, services='(simple-service \'k etc-service-type '
                                                          '(list (list "k" (local-file "other.key")))) motd-service')
    (tmp_path / "repo" / "modules" / "mychannel" / "services" / "motd.txt").unlink()
    r = run("system", "check", "-L", str(tmp_path / "repo" / "modules"), str(config))
    assert r.returncode == 1
    errors = [line for line in r.stderr.splitlines() if ": error: " in line]
    module_file = tmp_path / "repo" / "modules" / "mychannel" / "services" / "motd.scm"
    assert errors == [
        f"{config}:1:45: error: no code for module (mychannel packages nowhere)",
        f"{config}:2:12: error: file 'signing.pub' not found (no {tmp_path}/repo/signing.pub)",
        f"{config}:9:71: error: file 'other.key' not found (no {tmp_path}/repo/other.key)",
        f"{module_file}:9:41: error: file 'motd.txt' not found (no {module_file.parent}/motd.txt)",
    ]
    assert ("hint: neither Guix nor nonguix has (mychannel packages nowhere): if it is a module of your own, "
            "pass its directory with -L (the one that holds mychannel/packages/nowhere.scm") in r.stderr
    assert r.stderr.rstrip().endswith("4 errors found")


def test_missing_own_module_without_load_path_is_one_located_error(tmp_path):
    config = write_repo(tmp_path / "repo", USES)
    code, _, err = invoke("system", "build", str(config), "--root", str(tmp_path / "state"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"{config}:1:19: error: no code for module (mychannel services motd)"
    assert lines[1].startswith("hint: neither Guix nor nonguix has (mychannel services motd): if it is a "
                               "module of your own, pass its directory with -L (the one that holds "
                               "mychannel/services/motd.scm")
    assert len([line for line in lines if "error:" in line]) == 1


def test_check_reports_problems_inside_own_modules_where_they_are(tmp_path):
    config = write_repo(tmp_path / "repo", USES)
    module = tmp_path / "repo" / "modules" / "mychannel" / "services" / "motd.scm"
    text = module.read_text().replace("(guix gexp)\n", "(guix gexp)\n  #:use-module (gnu services frobnicate)\n")
    module.write_text(text + "(define other (frobnicate-service 1))\n")
    r = run("system", "check", "-L", str(tmp_path / "repo" / "modules"), str(config))
    assert r.returncode == 1
    errors = [line for line in r.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{module}:4:15: error: no code for module (gnu services frobnicate)",
                      f"{module}:12:15: error: frobnicate-service: unbound variable"]


@pytest.mark.parametrize("verb", [("system", "check"), ("system", "build"), ("system", "reconfigure"),
                                  ("reconfigure",), ("system", "container"), ("system", "extension-graph"),
                                  ("system", "shepherd-graph"), ("system", "search"), ("system", "edit"),
                                  ("deploy",), ("repl",), ("run",), ("eval",)])
def test_every_verb_that_reads_a_file_has_load_path(verb):
    code, out, _ = invoke(*verb, "--help")
    assert code == 0 and "-L, --load-path DIR" in out


def test_a_channel_rust_package_names_its_crate_origin():
    code, out, err = invoke("eval", "-e", "(use-modules (guix build-system cargo))",
                            "-e", '(list (crate-uri "xremap" "0.8.1") (crate-name->package-name "Owning_Ref.rs") '
                                  '(crate-url? "https://crates.io/api/v1/crates/x"))')
    assert code == 0, err
    assert out.strip() == ('("https://crates.io/api/v1/crates/xremap/0.8.1/download" "rust-owning-ref-rs" #t)')


def test_own_module_on_the_load_path_wins_over_the_package_catalogue_and_the_library(tmp_path):
    (tmp_path / "gnu" / "packages").mkdir(parents=True)
    (tmp_path / "gnu" / "packages" / "emacs.scm").write_text(
        "(define-module (gnu packages emacs) #:export (emacs))\n(define emacs 'my-emacs)\n")
    (tmp_path / "gnu" / "services").mkdir()
    (tmp_path / "gnu" / "services" / "ssh.scm").write_text(
        "(define-module (gnu services ssh) #:export (openssh-service-type))\n(define openssh-service-type 'mine)\n")
    code, out, err = invoke("eval", "-L", str(tmp_path), "-e", "(use-modules (gnu packages emacs) (gnu services ssh))",
                            "-e", "(list emacs openssh-service-type)")
    assert (code, out.strip()) == (0, "(my-emacs mine)"), err


def test_load_from_a_file_run_under_a_relative_name_keeps_relative_locations(tmp_path):
    # schemy deploy runs the target's entry file this way: its locations are part of the
    # system and must not name the directory it was run from.
    (tmp_path / "main.scm").write_text('(load "part.scm")\n')
    (tmp_path / "part.scm").write_text("(car '())\n")
    r = run("run", "main.scm", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("part.scm:1:0: error:"), r.stderr
