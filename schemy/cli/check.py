"""``schemy system check FILE``: evaluate a configuration and fold its services in a sandbox,
and report every problem.  Click-free, so that a plain ``schemy system check FILE`` runs
without importing click (schemy.cli.quick); the click verb (schemy.cli.system) runs the same
``check``."""

from __future__ import annotations

import re
import sys
from typing import Any

from schemy.cli.common import Context, cache_dirs, echo, report_errors

HOSTFWD_RE = re.compile(r"hostfwd=tcp:([0-9.]*):(\d+)-")


def _requirement_hint(interp: Any, requirement: str) -> str:
    from schemy.system.build import requirement_hint

    hint = requirement_hint(interp, requirement)
    return f"\nhint: {hint}" if hint else ""


def _forward_conflicts(file: str, forwards: list[tuple[str, str, int]]) -> list[str]:
    """Warnings for host ports that two virtual machines (QEMU user networking) both forward:
    the second one to start cannot bind it.  An empty address means every address."""
    warnings = []
    seen: list[tuple[str, str, int]] = []
    for service, addr, port in forwards:
        for other, other_addr, other_port in seen:
            if other != service and other_port == port and (addr == other_addr or not addr or not other_addr):
                shown = addr or other_addr or "*"
                warnings.append(f"{file}: warning: host port {shown}:{port} is forwarded both by shepherd "
                                f"service '{other}' and by '{service}': they cannot run at the same time")
                break
        seen.append((service, addr, port))
    return warnings


def check_system(interp: Any, file: str) -> list[str]:
    """Every problem found in FILE's system, as `FILE:LINE:COL: error: ...` texts."""
    from schemy.eval.check_all import CheckRecorder
    from schemy.guix.store import Store
    from schemy.lang.datum import NIL, Symbol, list_to_python
    from schemy.lang.errors import SchemeError, cap, render_error
    from schemy.runtime.records import record_ref
    from schemy.system.build import accounts_of, check_etc_name, check_etc_nesting, fold_operating_system, lower_text
    from schemy.system.config import is_home_environment, load_system_or_home
    from schemy.system.generations import accounts_database

    problems: list[str] = []
    recorder = interp.check_recorder = CheckRecorder(file)
    try:
        os_record = load_system_or_home(interp, file)
    except SchemeError as e:
        if recorder.has_errors():  # the operating-system form was skipped: its causes are reported
            return recorder.report(interp)
        if e.loc is None:
            from schemy.compile.pyerrors import locate

            locate(e, e.__traceback__)
        interp.add_hints(e)
        return [*recorder.report(interp), render_error(e)]
    finally:
        interp.check_recorder = None
    problems += recorder.report(interp)
    if is_home_environment(os_record):
        return problems + check_home(interp, os_record)
    try:
        _all, values, _ = fold_operating_system(interp, os_record)
    except SchemeError as e:
        if e.loc is None:
            from schemy.compile.pyerrors import locate

            locate(e, e.__traceback__)
        interp.add_hints(e)
        return [*problems, render_error(e)]
    dry = Store(None)
    services = list_to_python(values.get("shepherd-root", NIL))
    from schemy.system.build import missing_requirements

    for name, req, loc in missing_requirements(interp, services):
        where = f"{loc}: " if loc not in (False, None) else f"{file}: "
        problems.append(f"{where}error: shepherd service '{name}' requires '{req}', "
                        "which no service provides" + _requirement_hint(interp, req))
    forwards: list[tuple[str, str, int]] = []  # (service, address, host port) of QEMU hostfwd=
    for s in services:
        prov = [p.name for p in list_to_python(record_ref(s, Symbol("provision")))]
        loc = record_ref(s, Symbol("location"))
        where = f"{loc}: " if loc not in (False, None) else f"{file}: "
        for field in ("start", "stop"):
            try:
                value = record_ref(s, Symbol(field))
                if value is not False:
                    text = lower_text(value, dry)
                    if field == "start":
                        forwards += [(prov[0], addr, int(port)) for addr, port in HOSTFWD_RE.findall(text)]
            except SchemeError as e:
                problems.append(f"{where}error: shepherd service '{prov[0]}': {field}: {cap(e.message())}")
    problems += _forward_conflicts(file, forwards)
    etc_names = []
    for entry in list_to_python(values.get("etc", NIL)):
        try:
            etc_names.append(check_etc_name(str(entry.car)))
        except SchemeError as e:
            problems.append(f"{file}: error: {cap(e.message())}")
    try:
        check_etc_nesting(etc_names)
    except SchemeError as e:
        problems.append(f"{file}: error: {cap(e.message())}")
    try:
        from pathlib import Path

        accounts_database(accounts_of(values.get("account", NIL)), Path("/nonexistent/account-ids.json"),
                          persist=False)
    except SchemeError as e:
        problems.append(f"{file}: error: {cap(e.message())}")
    except OSError:
        pass
    return problems


def check_home(interp: Any, home: Any) -> list[str]:
    """The problems of a home-environment: folding its services and naming (not building)
    every file of its generation, as `FILE:LINE:COL: error: ...` texts."""
    from schemy.guix.gexp import CURRENT_STORE, lower_object
    from schemy.guix.store import Store
    from schemy.lang.datum import Symbol
    from schemy.lang.errors import SchemeError, render_error
    from schemy.runtime.parameters import parameterized
    from schemy.runtime.records import record_ref
    from schemy.system.home import fold_home_environment

    dry = Store(None)
    try:
        with parameterized([(CURRENT_STORE, dry)]):
            _all, root, _ = fold_home_environment(interp, home)
            lower_object(record_ref(root, Symbol("value")), dry)
    except SchemeError as e:
        if e.loc is None:
            from schemy.compile.pyerrors import locate

            locate(e, e.__traceback__)
        interp.add_hints(e)
        return [render_error(e)]
    return []


def check(ctx: Context, file: str, time_limit: float, memory_limit: float) -> None:
    """Check FILE in a sandbox with these budgets, print what is wrong; exit 1 if anything
    is an error, else 0."""
    from schemy.runtime import sandbox

    def action() -> int:
        interp = ctx.interpreter()
        sandbox.allow_read(file)
        # The directories the user named (-L, GUIX_PACKAGE_PATH, GUILE_LOAD_PATH): their own
        # modules, which may be private to them as the configuration may; not those the
        # configuration itself adds (add-to-load-path), whose files must be readable by all.
        for directory in interp.load_path:
            sandbox.allow_read_tree(directory)
        for cache in cache_dirs():
            sandbox.allow_read_tree(str(cache))
        seen = len(sandbox.VIOLATIONS)
        with sandbox.budget(time_limit, memory_limit):
            sandbox.enable()
            problems = interp.run_protected(lambda: check_system(interp, file))
        for v in dict.fromkeys(sandbox.VIOLATIONS[seen:]):  # also those the config caught
            if not any(v in p for p in problems):
                problems.append(f"{file}: error: {v} (the configuration caught the error and went on)")
        for p in problems:
            echo(p, err=True)
        errors = sum(1 for p in problems if ": warning: " not in p)
        if errors:
            echo(f"{file}: {errors} error{'s' if errors != 1 else ''} found", err=True)
            return 1
        echo(f"{file}: no problems found" if not problems else f"{file}: no errors found")
        return 0

    sys.exit(report_errors(ctx, action) or 0)
