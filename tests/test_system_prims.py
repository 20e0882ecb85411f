"""POSIX, process and (guix build utils) procedures, through the PRIMITIVES table."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemy.guix import build_utils
from schemy.lang.datum import EOF_OBJECT, Keyword, MString, Symbol, list_to_python, make_list, make_pair
from schemy.lang.errors import Condition, SchemeError
from schemy.runtime import ports
from schemy.runtime import posix as system_prims
from schemy.runtime.control import condition_key_args
from schemy.runtime.parameters import parameterized

S = system_prims.PRIMITIVES
U = build_utils.PRIMITIVES
P = ports.PRIMITIVES


def condition(err: pytest.ExceptionInfo[SchemeError]) -> Condition:
    cond = err.value.condition
    assert cond is not None
    return cond


@pytest.fixture
def cwd_restored() -> Iterator[None]:
    old = os.getcwd()
    yield
    os.chdir(old)


# ----------------------------------------------------------------- environment


def test_getenv_unset_is_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCHEMY_TEST_VAR", raising=False)
    assert S["getenv"]("SCHEMY_TEST_VAR") is False


def test_setenv_then_getenv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCHEMY_TEST_VAR", raising=False)
    S["setenv"]("SCHEMY_TEST_VAR", "v1")
    assert S["getenv"]("SCHEMY_TEST_VAR") == "v1"
    S["unsetenv"]("SCHEMY_TEST_VAR")
    assert S["getenv"]("SCHEMY_TEST_VAR") is False


def test_environ_lists_name_value_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMY_TEST_VAR", "x=y")
    assert "SCHEMY_TEST_VAR=x=y" in list_to_python(S["environ"]())


def test_getenv_rejects_non_string() -> None:
    with pytest.raises(SchemeError) as err:
        S["getenv"](5)
    assert condition(err).kind == "wrong-type-arg"


# ----------------------------------------------------------------- files and directories


def test_chdir_and_getcwd(tmp_path: Path, cwd_restored: None) -> None:
    S["chdir"](str(tmp_path))
    assert S["getcwd"]() == os.path.realpath(tmp_path)


def test_mkdir_existing_is_system_error(tmp_path: Path) -> None:
    with pytest.raises(SchemeError) as err:
        S["mkdir"](str(tmp_path))
    cond = condition(err)
    assert cond.kind == "system-error"
    assert cond.fields["errno"] == 17
    assert err.value.message() == "In procedure mkdir: File exists"


def test_mkdir_with_mode_and_rmdir(tmp_path: Path) -> None:
    d = str(tmp_path / "d")
    S["mkdir"](d, 0o700)
    assert S["file-is-directory?"](d) is True
    assert S["stat:perms"](S["stat"](d)) & 0o077 == 0
    S["rmdir"](d)
    assert S["file-exists?"](d) is False


def test_delete_missing_file_error_matches_guile() -> None:
    with pytest.raises(SchemeError) as err:
        S["delete-file"]("/nonexistent")
    key, args = condition_key_args(err.value.payload)
    assert key is Symbol("system-error")
    items = list_to_python(args)
    assert items[0] == "delete-file" and items[1] == "~A"
    assert list_to_python(items[2]) == ["No such file or directory"]
    assert list_to_python(items[3]) == [2]


def test_system_error_errno_reads_catch_arguments() -> None:
    with pytest.raises(SchemeError) as err:
        S["delete-file"]("/nonexistent")
    key, args = condition_key_args(err.value.payload)
    assert S["system-error-errno"](make_pair(key, args)) == S["ENOENT"]


def test_rename_file(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x")
    S["rename-file"](str(tmp_path / "a"), str(tmp_path / "b"))
    assert (tmp_path / "b").read_text() == "x" and not (tmp_path / "a").exists()


def test_copy_file_keeps_contents_and_mode(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.write_text("data")
    src.chmod(0o750)
    S["copy-file"](str(src), str(tmp_path / "dst"))
    assert (tmp_path / "dst").read_text() == "data"
    assert (tmp_path / "dst").stat().st_mode & 0o777 == 0o750 & ~S["umask"]()


def test_symlink_readlink_and_lstat_type(tmp_path: Path) -> None:
    link = str(tmp_path / "l")
    S["symlink"]("target", link)
    assert S["readlink"](link) == "target"
    assert S["stat:type"](S["lstat"](link)) is Symbol("symlink")


def test_link_increments_nlink(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    S["link"](str(tmp_path / "f"), str(tmp_path / "g"))
    assert S["stat:nlink"](S["stat"](str(tmp_path / "f"))) == 2


def test_chmod_changes_perms(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("")
    S["chmod"](str(f), 0o640)
    assert S["stat:perms"](S["stat"](str(f))) == 0o640


def test_chown_minus_one_leaves_owner(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("")
    before = f.stat()
    S["chown"](str(f), -1, -1)
    assert (f.stat().st_uid, f.stat().st_gid) == (before.st_uid, before.st_gid)


def test_utime_sets_times(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("")
    S["utime"](str(f), 1000, 2000)
    st = S["stat"](str(f))
    assert (S["stat:atime"](st), S["stat:mtime"](st)) == (1000, 2000)


def test_stat_fields(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("12345")
    st = S["stat"](str(f))
    assert len(st) == 18
    assert S["stat:size"](st) == 5
    assert S["stat:type"](st) is Symbol("regular")
    assert S["stat:uid"](st) == os.getuid()
    assert S["stat:ino"](st) == f.stat().st_ino
    assert S["stat:mode"](st) == f.stat().st_mode
    assert S["stat:type"](S["stat"](str(tmp_path))) is Symbol("directory")


def test_stat_missing_file_error_names_it() -> None:
    with pytest.raises(SchemeError) as err:
        S["stat"]("/nx")
    assert err.value.message() == 'In procedure stat: No such file or directory: "/nx"'


def test_stat_with_false_returns_false_for_missing() -> None:
    assert S["stat"]("/nx", False) is False


def test_access_with_constants(tmp_path: Path) -> None:
    assert S["access?"](str(tmp_path), S["R_OK"]) is True
    assert S["access?"]("/nonexistent", S["F_OK"]) is False


def test_umask_returns_previous_mask() -> None:
    old = S["umask"](0o027)
    try:
        assert S["umask"]() == 0o027
    finally:
        S["umask"](old)


def test_canonicalize_path_resolves_symlinks(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert S["canonicalize-path"](str(tmp_path / "alias")) == os.path.realpath(tmp_path / "real")
    with pytest.raises(SchemeError) as err:
        S["canonicalize-path"](str(tmp_path / "missing"))
    assert condition(err).kind == "system-error"


# Outputs of Guile 3.0.8.
@pytest.mark.parametrize("args, expected", [
    (("/a/b.scm", ".scm"), "b"), (("/a/b/",), "b/"), (("/a/b//",), "b//"), (("a",), "a"), (("/",), "/"),
    (("//",), "/"), (("",), ""), (("b.scm", "b.scm"), ""), (("a.scm", ".scm"), "a"), (("a/b", "c"), "b"),
])
def test_basename_matches_guile(args: tuple, expected: str) -> None:
    assert S["basename"](*args) == expected


@pytest.mark.parametrize("arg, expected", [
    ("/a/b/", "/a"), ("/a/b//", "/a"), ("a", "."), ("/", "/"), ("//", "/"), ("", "."), ("a/", "."),
    ("/a", "/"), ("//a//b", "//a"), ("a//b", "a"),
])
def test_dirname_matches_guile(arg: str, expected: str) -> None:
    assert S["dirname"](arg) == expected


def test_scandir_sorted_with_dot_entries(tmp_path: Path) -> None:
    for name in ("b", "a", "c"):
        (tmp_path / name).write_text("")
    assert list_to_python(S["scandir"](str(tmp_path))) == [".", "..", "a", "b", "c"]


def test_scandir_select_and_order(tmp_path: Path) -> None:
    for name in ("b", "a", "c"):
        (tmp_path / name).write_text("")
    names = S["scandir"](str(tmp_path), lambda n: not n.startswith("."), lambda x, y: x > y)
    assert list_to_python(names) == ["c", "b", "a"]


def test_scandir_missing_directory_is_false() -> None:
    assert S["scandir"]("/nonexistent") is False


def test_opendir_readdir_closedir(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    d = S["opendir"](str(tmp_path))
    names = []
    while (entry := S["readdir"](d)) is not EOF_OBJECT:
        names.append(entry)
    S["closedir"](d)
    assert sorted(names) == [".", "..", "x"]


# ----------------------------------------------------------------- users, groups, host, time


def test_process_ids() -> None:
    assert S["getpid"]() == os.getpid()
    assert S["getppid"]() == os.getppid()
    assert S["getuid"]() == os.getuid() and S["geteuid"]() == os.geteuid()
    assert S["getgid"]() == os.getgid() and S["getegid"]() == os.getegid()


def test_getpwnam_and_getpwuid() -> None:
    pw = S["getpwnam"]("root")
    assert S["passwd:uid"](pw) == 0 and S["passwd:name"](pw) == "root"
    assert isinstance(S["passwd:dir"](pw), str) and isinstance(S["passwd:shell"](pw), str)
    assert S["passwd:name"](S["getpwuid"](0)) == "root"


def test_getpwnam_missing_is_entry_not_found() -> None:
    with pytest.raises(SchemeError) as err:
        S["getpwnam"]("no-such-user-schemy")
    assert condition(err).kind == "misc-error"
    assert err.value.message() == "In procedure getpw: entry not found"


def test_getgrnam_and_group_accessors() -> None:
    gr = S["getgrnam"]("root")
    assert S["group:gid"](gr) == 0 and S["group:name"](gr) == "root"
    assert S["group:name"](S["getgrgid"](0)) == "root"


def test_getgrnam_missing_is_system_error() -> None:
    with pytest.raises(SchemeError) as err:
        S["getgrnam"]("no-such-group-schemy")
    assert condition(err).kind == "system-error"


def test_gethostname_is_string() -> None:
    assert isinstance(S["gethostname"](), str)


def test_current_time_and_gettimeofday() -> None:
    assert abs(S["current-time"]() - time.time()) < 5
    tv = S["gettimeofday"]()
    assert isinstance(tv.car, int) and 0 <= tv.cdr < 10**6


def test_sleep_and_usleep_return_zero() -> None:
    assert S["sleep"](0) == 0
    assert S["usleep"](10) == 0


# ----------------------------------------------------------------- processes


def test_system_returns_raw_status() -> None:
    status = S["system"]("exit 3")
    assert status == 768
    assert S["status:exit-val"](status) == 3
    assert S["status:term-sig"](status) is False


def test_system_without_argument_reports_shell() -> None:
    assert S["system"]() is True


def test_system_star_passes_separate_arguments() -> None:
    assert S["system*"]("sh", "-c", 'test "$1" = "a b"', "sh", "a b") == 0
    assert S["system*"]("sh", "-c", "exit 2") == 512


def test_system_star_missing_program_is_127() -> None:
    assert S["system*"]("/nonexistent/program") == 127 * 256


def test_system_star_killed_by_signal() -> None:
    status = S["system*"]("sh", "-c", "kill -9 $$")
    assert S["status:term-sig"](status) == 9
    assert S["status:exit-val"](status) is False


def test_system_output_goes_to_redirected_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    S["system*"]("echo", "hi")
    assert capsys.readouterr().out == "hi\n"


def test_system_star_output_is_dropped_for_string_port() -> None:
    # Guile gives the child /dev/null when the current output is a string port.
    out = P["with-output-to-string"](lambda: S["system*"]("echo", "hidden"))
    assert out == ""


def test_system_ignores_current_port(capsys: pytest.CaptureFixture[str]) -> None:
    # Guile's `system` runs the shell on the process's own standard streams.
    assert P["with-output-to-string"](lambda: S["system"]("echo shown")) == ""
    assert capsys.readouterr().out == "shown\n"


def test_system_star_output_goes_to_file_port(tmp_path: Path) -> None:
    name = str(tmp_path / "o.txt")
    P["with-output-to-file"](name, lambda: (P["display"]("a\n"), S["system*"]("echo", "b")))
    assert Path(name).read_text() == "a\nb\n"


def test_kill_signal_zero_on_self() -> None:
    assert S["kill"](os.getpid(), 0) is not False


def test_kill_missing_process_is_system_error() -> None:
    with pytest.raises(SchemeError) as err:
        S["kill"](2**22 + 12345, S["SIGTERM"])
    assert condition(err).fields["errno"] == 3


def test_waitpid_without_children_is_system_error() -> None:
    with pytest.raises(SchemeError) as err:
        S["waitpid"](-1, S["WNOHANG"])
    assert condition(err).kind == "system-error"


def test_signal_constants() -> None:
    assert (S["SIGTERM"], S["SIGKILL"], S["SIGHUP"], S["SIGINT"]) == (15, 9, 1, 2)
    assert S["WNOHANG"] == 1


def test_strerror() -> None:
    assert S["strerror"](2) == "No such file or directory"


# ----------------------------------------------------------------- (guix build utils)


def test_mkdir_p_creates_parents_and_accepts_existing(tmp_path: Path) -> None:
    d = tmp_path / "a" / "b" / "c"
    U["mkdir-p"](str(d))
    U["mkdir-p"](str(d))
    assert d.is_dir()


def test_mkdir_p_relative(tmp_path: Path, cwd_restored: None) -> None:
    os.chdir(tmp_path)
    U["mkdir-p"]("x/y")
    assert (tmp_path / "x" / "y").is_dir()


def test_mkdir_p_below_a_file_is_system_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(SchemeError) as err:
        U["mkdir-p"](str(tmp_path / "f" / "sub"))
    assert condition(err).kind == "system-error"


def test_delete_file_recursively_does_not_follow_symlinks(tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious").write_text("")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "f").write_text("")
    os.symlink(keep, tree / "link")
    U["delete-file-recursively"](str(tree))
    assert not tree.exists()
    assert (keep / "precious").exists()


def test_delete_file_recursively_missing_is_system_error(tmp_path: Path) -> None:
    with pytest.raises(SchemeError) as err:
        U["delete-file-recursively"](str(tmp_path / "missing"))
    assert condition(err).kind == "system-error"


def test_which_finds_programs_on_path() -> None:
    found = U["which"]("sh")
    assert isinstance(found, str) and found.endswith("/sh")
    assert U["which"]("no-such-program-schemy") is False


def test_invoke_success_returns_true() -> None:
    assert U["invoke"]("true") is True


def test_invoke_failure_raises_invoke_error() -> None:
    with pytest.raises(SchemeError) as err:
        U["invoke"]("sh", "-c", "exit 4")
    cond = condition(err)
    assert U["invoke-error?"](cond) is True
    assert "program exited with non-zero code" in err.value.message()
    assert U["invoke-error-exit-status"](cond) == 4
    assert U["invoke-error-program"](cond) == "sh"
    assert list_to_python(U["invoke-error-arguments"](cond)) == ["-c", "exit 4"]


def test_report_invoke_error_format() -> None:
    with pytest.raises(SchemeError) as err:
        U["invoke"]("false")
    port = P["open-output-string"]()
    U["report-invoke-error"](err.value.payload, port)
    assert P["get-output-string"](port) == 'command "false" failed with status 1\n'


def test_copy_recursively_copies_tree_and_logs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    (src / "d" / "f").write_text("F")
    os.symlink("d/f", src / "l")
    log = P["open-output-string"]()
    U["copy-recursively"](str(src), str(tmp_path / "dst"), Keyword("log"), log)
    assert (tmp_path / "dst" / "d" / "f").read_text() == "F"
    assert os.readlink(tmp_path / "dst" / "l") == "d/f"
    assert f"`{src}/d/f' -> `{tmp_path}/dst/d/f'\n" in P["get-output-string"](log)


def test_find_files_with_regexp_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for rel in ("b/x.scm", "a.scm", "c.txt"):
        (tmp_path / rel).write_text("")
    found = list_to_python(U["find-files"](str(tmp_path), r"\.scm$"))
    assert found == [f"{tmp_path}/a.scm", f"{tmp_path}/b/x.scm"]


def test_find_files_all_and_directories(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_text("")
    assert list_to_python(U["find-files"](str(tmp_path))) == [f"{tmp_path}/d/f"]
    with_dirs = U["find-files"](str(tmp_path), Keyword("directories?"), True)
    assert list_to_python(with_dirs) == [str(tmp_path), f"{tmp_path}/d", f"{tmp_path}/d/f"]


def test_find_files_with_predicate(tmp_path: Path) -> None:
    (tmp_path / "small").write_text("1")
    (tmp_path / "big").write_text("12345")
    found = U["find-files"](str(tmp_path), lambda f, st: S["stat:size"](st) > 2)
    assert list_to_python(found) == [f"{tmp_path}/big"]


def test_find_files_missing_directory_warns(tmp_path: Path) -> None:
    err = P["open-output-string"]()
    with parameterized([(ports.CURRENT_ERROR, err)]):
        assert list_to_python(U["find-files"](str(tmp_path / "nope"))) == []
    assert "No such file or directory" in P["get-output-string"](err)


def test_file_predicates(tmp_path: Path) -> None:
    exe = tmp_path / "exe"
    exe.write_text("")
    exe.chmod(0o755)
    (tmp_path / "plain").write_text("")
    os.symlink(exe, tmp_path / "lnk")
    assert U["executable-file?"](str(exe)) is True
    assert U["executable-file?"](str(tmp_path / "plain")) is False
    assert U["directory-exists?"](str(tmp_path)) is True
    assert U["directory-exists?"](str(exe)) is False
    assert U["symbolic-link?"](str(tmp_path / "lnk")) is True


def test_call_with_directory_excursion_restores_cwd(tmp_path: Path, cwd_restored: None) -> None:
    before = os.getcwd()
    assert build_utils.call_with_directory_excursion(str(tmp_path), os.getcwd) == os.path.realpath(tmp_path)
    assert os.getcwd() == before


def test_mkstemp_updates_mutable_template(tmp_path: Path) -> None:
    template = MString(str(tmp_path / "tmp-XXXXXX"))
    port = S["mkstemp!"](template)
    P["display"]("x", port)
    P["close-port"](port)
    name = str(template)
    assert not name.endswith("XXXXXX")
    assert Path(name).read_text() == "x"
    assert P["port-filename"](port) == name


def test_uname_vector() -> None:
    assert S["utsname:sysname"](S["uname"]()) == os.uname().sysname


def test_environ_replacement(monkeypatch: pytest.MonkeyPatch) -> None:
    saved = dict(os.environ)
    try:
        S["environ"](make_list(["ONLY=1"]))
        assert dict(os.environ) == {"ONLY": "1"}
    finally:
        os.environ.clear()
        os.environ.update(saved)


# ----------------------------------------------------------------- fork and exec (as Guix's activation uses them)


def _schemy_and_guile(program: str) -> tuple[str, str]:
    import shutil
    import subprocess
    import sys

    if shutil.which("guile") is None:
        pytest.skip("guile is not installed: apt-get install guile-3.0")
    ours = subprocess.run([sys.executable, "-m", "schemy", "eval", "-e", program],
                          capture_output=True, text=True, timeout=60)
    guile = subprocess.run(["guile", "-c", f"(write {program})"], capture_output=True, text=True, timeout=60)
    return ours.stdout.strip(), guile.stdout.strip()


FORK_EXEC = """(let ((pid (primitive-fork)))
  (if (= pid 0)
      (dynamic-wind (const #t)
                    (lambda () (execl "/bin/sh" "sh" "-c" "exit $0" "7"))
                    (lambda () (primitive-exit 1)))
      (status:exit-val (cdr (waitpid pid)))))"""


def test_primitive_fork_then_execl_runs_the_program_in_the_child_as_guile_does() -> None:
    assert _schemy_and_guile(FORK_EXEC) == ("7", "7")


def test_a_child_whose_execl_fails_exits_through_the_dynamic_wind_as_guile_does() -> None:
    program = FORK_EXEC.replace('"/bin/sh"', '"/nonexistent/program"')
    assert _schemy_and_guile(program) == ("1", "1")


def test_execlp_searches_path_and_primitive_exit_takes_booleans() -> None:
    program = """(let ((a (primitive-fork)))
  (if (= a 0) (execlp "sh" "sh" "-c" "exit 3")
      (let ((b (primitive-fork)))
        (if (= b 0) (primitive-exit #f)
            (list (status:exit-val (cdr (waitpid a))) (status:exit-val (cdr (waitpid b))))))))"""
    assert _schemy_and_guile(program) == ("(3 1)", "(3 1)")


def test_signal_constants_are_those_of_pythons_signal_enum():
    import signal

    from schemy.runtime.posix import SIGNAL_CONSTANTS

    assert SIGNAL_CONSTANTS == {s.name: int(s) for s in signal.Signals}
