"""(guix build utils): the file and process helpers that Guix's build and activation code uses.

``mkdir-p``, ``invoke``, ``copy-recursively``, ``find-files``, ``which``, ``with-directory-excursion``...
are not in Guile's core: code sees them after ``(use-modules (guix build utils))``, and service
code (which Guix runs with that module imported) sees them without asking.
"""

from __future__ import annotations

import os
import re
import stat as _stat
from typing import Any

from schemy.expand.expander import Expander
from schemy.expand.forms import form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import UNSPECIFIED, Keyword, Pair, make_list
from schemy.lang.errors import Condition, SchemeError, scheme_error, string_arg, wrong_type
from schemy.lang.syntax import Scope
from schemy.runtime.ports import CURRENT_ERROR, CURRENT_OUTPUT, Port, os_error
from schemy.runtime.posix import (
    basename,
    chdir,
    chmod,
    copy_file,
    getcwd,
    int_arg,
    search_path,
    stat_vector,
    status_exit_val,
    status_stop_sig,
    status_term_sig,
    system_star,
)

SPECIAL_FORMS: dict[str, Any] = {}


def mkdir_p(path: Any, mode: Any = None) -> Any:
    """Create PATH and its missing ancestors; existing ones are fine."""
    p = string_arg(path, "mkdir-p")
    m = 0o777 if mode is None else int_arg(mode, "mkdir-p", 2)
    root = "" if p.startswith("/") else "."
    for part in (c for c in p.split("/") if c):
        root = f"{root}/{part}"
        try:
            os.mkdir(root, m)
        except FileExistsError:
            continue
        except OSError as e:
            raise os_error("mkdir", e) from None
    return UNSPECIFIED


def _warn(text: str) -> None:
    CURRENT_ERROR.value.put(text)


def _keywords(origin: str, rest: tuple, allowed: set[str]) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    i = 0
    while i < len(rest):
        k = rest[i]
        if not isinstance(k, Keyword) or k.name not in allowed:
            from schemy.lang.printer import write_string

            raise scheme_error(f"Invalid keyword: {write_string(k)}" if not isinstance(k, Keyword)
                               else f"Unrecognized keyword: #:{k.name}", kind="keyword-argument-error",
                               origin=origin)
        if i + 1 >= len(rest):
            raise scheme_error(f"Keyword argument has no value: #:{k.name}", kind="keyword-argument-error",
                               origin=origin)
        opts[k.name] = rest[i + 1]
        i += 2
    return opts


def delete_file_recursively(path: Any, *rest: Any) -> Any:
    """Like ``rm -rf`` without following symlinks or (by default) mount points; errors are warnings."""
    opts = _keywords("delete-file-recursively", rest, {"follow-mounts?"})
    follow_mounts = opts.get("follow-mounts?", False) is not False
    top = string_arg(path, "delete-file-recursively")
    try:
        dev = os.lstat(top).st_dev
    except OSError as e:
        raise os_error("lstat", e, path) from None

    def remove(p: str, is_dir: bool) -> None:
        try:
            os.rmdir(p) if is_dir else os.unlink(p)
        except OSError as e:
            _warn(f"warning: failed to delete {p}: {os.strerror(e.errno or 0)}\n")

    def walk(p: str) -> None:
        try:
            st = os.lstat(p)
        except OSError as e:
            _warn(f"warning: failed to delete {p}: {os.strerror(e.errno or 0)}\n")
            return
        if not _stat.S_ISDIR(st.st_mode):
            remove(p, False)
            return
        if follow_mounts or st.st_dev == dev:
            try:
                names = os.listdir(p)
            except OSError as e:
                _warn(f"warning: failed to delete {p}: {os.strerror(e.errno or 0)}\n")
                return
            for name in names:
                walk(f"{p}/{name}")
            remove(p, True)

    walk(top)
    return UNSPECIFIED


def which(program: Any) -> Any:
    name = string_arg(program, "which")
    path = os.environ.get("PATH")
    if path is None:
        return False
    return search_path(make_list([d for d in path.split(":") if d]), name)


def is_directory_exists(path: Any) -> bool:
    return os.path.isdir(string_arg(path, "directory-exists?"))


def is_executable_file(path: Any) -> bool:
    try:
        return bool(os.stat(string_arg(path, "executable-file?")).st_mode & 0o100)
    except OSError:
        return False


def is_symbolic_link(path: Any) -> bool:
    p = string_arg(path, "symbolic-link?")
    try:
        return _stat.S_ISLNK(os.lstat(p).st_mode)
    except OSError as e:
        raise os_error("lstat", e, path) from None


def call_with_directory_excursion(directory: Any, thunk: Any) -> Any:
    """What ``with-directory-excursion`` runs (Guix binds no procedure of this name)."""
    init = getcwd()
    chdir(directory)
    try:
        return thunk()
    finally:
        os.chdir(init)


def invoke(program: Any, *args: Any) -> bool:
    """Run PROGRAM with ARGS; #t on success, else raise an ``invoke-error`` condition."""
    status = system_star(program, *args)
    if status == 0:
        return True
    exit_val = status_exit_val(status)
    term = status_term_sig(status)
    stop = status_stop_sig(status)
    raise SchemeError(Condition(
        "invoke-error", "program exited with non-zero code",
        (program, exit_val if exit_val is not False else status),
        origin="invoke",
        fields={"program": program, "arguments": make_list(args), "exit-status": exit_val,
                "term-signal": term, "stop-signal": stop}))


def _invoke_condition(c: Any, origin: str) -> Condition:
    if not (isinstance(c, Condition) and c.kind == "invoke-error"):
        raise wrong_type(origin, 1, c, "invoke-error condition")
    return c


def is_invoke_error(c: Any) -> bool:
    return isinstance(c, Condition) and c.kind == "invoke-error"


def _invoke_field(field: str) -> Any:
    name = f"invoke-error-{field}"

    def accessor(c: Any) -> Any:
        return _invoke_condition(c, name).fields[field]

    accessor.__name__ = name
    return accessor


def report_invoke_error(c: Any, port: Any = None) -> Any:
    """Guix's one-line report: ``command "false" "x" failed with status 1``."""
    from schemy.lang.printer import write_string

    cond = _invoke_condition(c, "report-invoke-error")
    f = cond.fields
    words = " ".join(write_string(x) for x in [f["program"], *list(f["arguments"])])
    status = f["exit-status"]
    if status is not False:
        how, value = "status", status
    else:
        how, value = "signal", f["term-signal"] if f["term-signal"] is not False else f["stop-signal"]
    out = CURRENT_ERROR.value if port is None else port
    if not isinstance(out, Port):
        raise wrong_type("report-invoke-error", 2, port, "output port")
    out.put(f"command {words} failed with {how} {write_string(value)}\n")
    return UNSPECIFIED


def copy_recursively(source: Any, destination: Any, *rest: Any) -> Any:
    """Copy SOURCE's tree to DESTINATION, logging "`src' -> `dst'" for each file."""
    opts = _keywords("copy-recursively", rest,
                     {"log", "follow-symlinks?", "copy-file", "keep-mtime?", "keep-permissions?", "select?"})
    src = string_arg(source, "copy-recursively")
    dst = string_arg(destination, "copy-recursively", 2)
    log = opts.get("log", CURRENT_OUTPUT.value)
    follow = opts.get("follow-symlinks?", False) is not False
    copier = opts.get("copy-file", copy_file)
    keep_mtime = opts.get("keep-mtime?", False) is not False
    keep_perms = opts.get("keep-permissions?", False) is not False
    select = opts.get("select?", False)
    stat_fn = os.stat if follow else os.lstat

    def set_time(path: str, st: os.stat_result) -> None:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)

    def visit(file: str) -> None:
        try:
            st = stat_fn(file)
        except OSError as e:
            _warn(f"i/o error: {file}: {os.strerror(e.errno or 0)}\n")
            return
        if select is not False and select(file, stat_vector(st)) is False:
            return
        target = dst + file[len(src):]
        if _stat.S_ISDIR(st.st_mode):
            mkdir_p(target)
            try:
                names = sorted(os.listdir(file))
            except OSError as e:
                _warn(f"i/o error: {file}: {os.strerror(e.errno or 0)}\n")
                return
            for name in names:
                visit(f"{file}/{name}")
            try:
                if keep_mtime:
                    set_time(target, st)
                if keep_perms:
                    os.chmod(target, st.st_mode & 0o7777)
            except OSError as e:
                raise os_error("copy-recursively", e) from None
            return
        if isinstance(log, Port):
            log.put(f"`{file}' -> `{target}'\n")
        if _stat.S_ISLNK(st.st_mode):
            try:
                os.symlink(os.readlink(file), target)
            except OSError as e:
                raise os_error("symlink", e) from None
        else:
            copier(file, target)
            if keep_perms:
                chmod(target, st.st_mode & 0o7777)
        if keep_mtime:
            set_time(target, st)

    visit(src)
    return UNSPECIFIED


def find_files(directory: Any, pred: Any = None, *rest: Any) -> Any:
    """Sorted list of files under DIRECTORY whose base name matches PRED (a regexp string)
    or for which PRED (a procedure of file name and stat) returns true."""
    if isinstance(pred, Keyword):
        rest = (pred, *rest)
        pred = None
    opts = _keywords("find-files", rest, {"stat", "directories?", "fail-on-error?"})
    top = string_arg(directory, "find-files")
    directories = opts.get("directories?", False) is not False
    fail = opts.get("fail-on-error?", False) is not False
    stat_opt = opts.get("stat", False)
    follow = stat_opt is not False and getattr(stat_opt, "__name__", "") == "stat"

    if pred is None or pred is False:
        def test(file: str, st: os.stat_result) -> bool:
            return True
    elif callable(pred):
        def test(file: str, st: os.stat_result) -> bool:
            return pred(file, stat_vector(st)) is not False
    else:
        rx = _compile_regexp(pred)

        def test(file: str, st: os.stat_result) -> bool:
            return rx.search(basename(file)) is not None

    found: list[str] = []

    def error(file: str, e: OSError) -> None:
        _warn(f"find-files: {file}: {os.strerror(e.errno or 0)}\n")
        if fail:
            raise scheme_error("find-files failed")

    def visit(file: str) -> None:
        try:
            st = os.stat(file) if follow else os.lstat(file)
        except OSError as e:
            error(file, e)
            return
        if _stat.S_ISDIR(st.st_mode):
            if directories and test(file, st):
                found.append(file)
            try:
                names = os.listdir(file)
            except OSError as e:
                error(file, e)
                return
            for name in names:
                visit(f"{file}/{name}")
        elif test(file, st):
            found.append(file)

    visit(top)
    found.sort()
    return make_list(found)


_POSIX_CLASSES = {
    "[:alpha:]": "a-zA-Z", "[:digit:]": "0-9", "[:alnum:]": "a-zA-Z0-9", "[:upper:]": "A-Z",
    "[:lower:]": "a-z", "[:space:]": r" \t\n\r\f\v", "[:blank:]": r" \t", "[:punct:]": r"!-/:-@\[-`{-~",
    "[:xdigit:]": "0-9A-Fa-f", "[:graph:]": "!-~", "[:print:]": " -~", "[:cntrl:]": r"\x00-\x1f\x7f",
}


def _compile_regexp(rx: Any) -> Any:
    """A POSIX extended regexp string (or an already compiled regexp object) as a Python pattern."""
    if hasattr(rx, "search"):
        return rx
    inner = getattr(rx, "pattern", None)
    if hasattr(inner, "search"):
        return inner
    text = string_arg(rx, "find-files", 2)
    for cls, repl in _POSIX_CLASSES.items():
        text = text.replace(cls, repl)
    try:
        return re.compile(text)
    except re.error as e:
        raise scheme_error(f"{e}", kind="regular-expression-syntax", origin="make-regexp") from None


@special("with-directory-excursion", table=SPECIAL_FORMS)
def _with_directory_excursion(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """``(with-directory-excursion DIR BODY ...)``: BODY with DIR as the current directory."""
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad with-directory-excursion", form)
    thunk = core.Lambda([], None, ex.expand_body(parts[2:], Scope(env), form.loc), None, loc=form.loc)
    return core.Call(core.Const(call_with_directory_excursion), [ex.expand(parts[1], env), thunk], form.loc)


PRIMITIVES: dict[str, Any] = {
    "mkdir-p": mkdir_p,
    "delete-file-recursively": delete_file_recursively,
    "which": which,
    "invoke": invoke,
    "invoke-error?": is_invoke_error,
    "invoke-error-program": _invoke_field("program"),
    "invoke-error-arguments": _invoke_field("arguments"),
    "invoke-error-exit-status": _invoke_field("exit-status"),
    "invoke-error-term-signal": _invoke_field("term-signal"),
    "invoke-error-stop-signal": _invoke_field("stop-signal"),
    "report-invoke-error": report_invoke_error,
    "copy-recursively": copy_recursively,
    "find-files": find_files,
    "directory-exists?": is_directory_exists,
    "executable-file?": is_executable_file,
    "symbolic-link?": is_symbolic_link,
}
