"""The layers of schemy/ and the composition root, as the architecture asks:

- every module imports only from its own layer and the layers below it (import-linter's
  layers contract in pyproject.toml, run by ``make lint``), imports inside functions included;
- no import cycle among schemy's modules;
- Guile's core module holds only Guile's bindings: Guix, Shepherd and mcron procedures are
  visible only through their modules.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)}, timeout=300)


def test_the_layers_contract_holds_on_this_tree():
    r = _lint_imports(REPO)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 kept, 0 broken" in r.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "schemy", copy / "schemy", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    datum = copy / "schemy" / "lang" / "datum.py"
    datum.write_text(datum.read_text() + "\n\ndef _upward():\n    from schemy.shepherd import herd\n\n"
                     "    return herd\n")
    r = _lint_imports(copy)
    assert r.returncode != 0
    assert "schemy.lang is not allowed to import schemy.shepherd" in r.stdout
    assert "schemy.lang.datum -> schemy.shepherd.herd" in r.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    adj = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in adj:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on_stack.add(v)
            if i < len(adj[v]):
                work.append((v, i + 1))
                w = adj[v][i]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            for w in adj[v]:
                if w in on_stack:
                    low[v] = min(low[v], low[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_no_import_cycle_among_schemys_modules_counting_imports_inside_functions():
    graph = grimp.build_graph("schemy", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for m in ("p.a", "p.b", "p.c"):
        graph.add_module(m)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.b", imported="p.c")
    assert _cycles(graph) == [["p.a", "p.b"]]


# ---------------------------------------------------------------- what the core module holds


@pytest.mark.parametrize("name", ["service", "job", "action", "register-services", "make-forkexec-constructor",
                                  "plain-file", "gexp->string", "%package-program-path", "mkdir-p", "invoke",
                                  "which", "copy-recursively", "find-files", "delete-file-recursively",
                                  "invoke-error?", "directory-exists?", "with-directory-excursion",
                                  "call-with-directory-excursion"])
def test_guix_shepherd_and_mcron_names_are_not_in_guiles_core(name):
    with pytest.raises(SchemeError, match=re.escape(f"{name}: unbound variable")):
        Interpreter().eval_string(name, "test.scm")


def test_search_path_stays_in_guiles_core():
    assert Interpreter().eval_string('(search-path (list "/bin" "/usr/bin") "sh")', "test.scm") is not False


def test_guix_build_utils_procedures_are_bound_after_importing_it(tmp_path):
    i = Interpreter()
    i.eval_string("(use-modules (guix build utils))", "test.scm")
    i.eval_string(f'(mkdir-p "{tmp_path}/a/b")', "test.scm")
    assert (tmp_path / "a" / "b").is_dir()
    assert i.eval_string('(string? (which "sh"))', "test.scm") is True


def test_with_directory_excursion_is_syntax_of_guix_build_utils(tmp_path):
    i = Interpreter()
    i.eval_string("(use-modules ((guix build utils) #:select (with-directory-excursion)))", "test.scm")
    assert i.eval_string(f'(with-directory-excursion "{tmp_path}" (getcwd))', "test.scm") == str(tmp_path)


def test_service_code_sees_guix_build_utils():
    from schemy.shepherd.manager import scheme_config_module, service_interpreter

    interp = service_interpreter()
    module = scheme_config_module(interp)
    assert interp.eval_string("(procedure? mkdir-p)", "start.scm", module) is True


def test_activation_gexps_see_guix_build_utils(tmp_path):
    from schemy.guix.store import DRY_STORE
    from schemy.lang.datum import make_list
    from schemy.system.build import activation_text
    from schemy.system.reconfigure import run_activation

    i = Interpreter()
    i.eval_string("(use-modules (guix gexp))", "test.scm")
    g = i.eval_string(f'#~(mkdir-p "{tmp_path}/made")', "test.scm")
    script = tmp_path / "activate.scm"
    script.write_text(activation_text(make_list([g]), DRY_STORE))
    run_activation(Interpreter(), str(script))
    assert (tmp_path / "made").is_dir()


def test_schemy_eval_of_service_is_an_unbound_variable_as_in_guile():
    schemy = Path(sys.executable).with_name("schemy")
    r = subprocess.run([str(schemy), "eval", "-e", "service"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "service: unbound variable" in r.stderr and "Traceback" not in r.stderr


def test_use_modules_gnu_makes_service_the_guix_procedure():
    i = Interpreter()
    i.eval_string("(use-modules (gnu))", "test.scm")
    assert i.eval_string("(service? (service (service-type (name 'x) (extensions '())) 1))", "test.scm") is True


def test_gexps_come_from_guix_gexp_and_through_gnu():
    i = Interpreter()
    i.eval_string("(use-modules (guix gexp))", "test.scm")
    assert write_string(i.eval_string("(gexp->string #~(display 1))", "test.scm")) == '"(display 1)"'
    j = Interpreter()
    j.eval_string("(use-modules (gnu))", "test.scm")
    assert j.eval_string("(file-like? (plain-file \"a\" \"b\"))", "test.scm") is True


def test_shepherd_start_code_sees_make_forkexec_constructor(tmp_path):
    from schemy.shepherd.configs import scheme_config_module, service_interpreter

    interp = service_interpreter()
    module = scheme_config_module(interp)
    value = interp.eval_string("(procedure? make-forkexec-constructor)", "start.scm", module)
    assert value is True
    assert interp.eval_string("(procedure? job)", "job.scm", module) is True


def test_shepherd_service_module_can_be_imported_by_name():
    i = Interpreter()
    i.eval_string("(use-modules (shepherd service))", "test.scm")
    assert i.eval_string("(procedure? make-kill-destructor)", "test.scm") is True
