"""The compiler: core nodes -> Python source -> Python functions.

Each top-level form becomes one Python function.  Scheme lambdas become
nested ``def``s, Scheme locals become Python locals (so lexical addressing
is what CPython already does), globals are one attribute load from a
``Cell``.  Tail calls:

* a self tail call of a loop-like procedure becomes ``continue`` in a
  ``while True`` loop;
* any other call in tail position returns a ``TailCall``; a procedure whose
  body can do that gets a small *entry* function that runs the trampoline,
  and its body is stored as ``entry._body`` so trampolines skip the entry.

Every Python function any caller can see therefore returns a final value;
primitives can call Scheme procedures like Python functions.  Each emitted
line remembers the Scheme source location it came from (``LINE_LOCS``), which
is how errors and backtraces find FILE:LINE:COL without any run-time cost.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

from schemy.compile import pyerrors  # noqa: F401  (installs the Python-error translator)
from schemy.compile.code_cache import compile_source
from schemy.compile.tables import EXPR_LOCS, LINE_LOCS, PENDING_INFO, SOURCES
from schemy.lang import core
from schemy.lang.datum import NIL, UNDEFINED, UNSPECIFIED, Pair, SourceLocation, Values
from schemy.lang.procinfo import LAMBDA_DOCS, LAMBDA_INFO
from schemy.runtime.control import (
    TailCall,
    apply_tail,
    call_with_values,
    make_case_lambda,
    parse_keywords,
    procedure_arity,
    run_tail,
)
from schemy.runtime.modules import Cell

_unit_ids = itertools.count(1)
_def_ids = itertools.count(1)
_ATOMIC = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|-?\d+|True|False|None|'[^'\\]*')$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INT_LITERAL = re.compile(r"^\(?-?\d+\)?$")
MAX_EXPR_DEPTH = 24
_DEBUG_SOURCE = bool(os.environ.get("SCHEMY_DEBUG_SOURCE"))


def _pyname(name: str, kind: str, uid: int) -> str:
    """A Python name for a Scheme variable (``kind`` "v") or procedure ("f", its trampolined
    body "b"): unique by construction, because it ends with ``_KIND_N`` where N is a number no
    other name of that kind has, and the compiler's own names (``_t1``, ``_k2_3``, ``_h_4``)
    never end that way.  (Counters come last, after ``_``, so fingerprints can drop them.)"""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", name)[:40] or "x"
    return f"{clean}_{kind}_{uid}"


class FunctionBuilder:
    """The Python function being generated for one Scheme lambda (or a top-level form)."""

    def __init__(self, parent: FunctionBuilder | None, lam: core.Lambda | None) -> None:
        self.parent = parent
        self.lam = lam
        self.lines: list[tuple[int, str, Any]] = []
        self.indent = 1
        self.nonlocals: set[str] = set()
        self.loop_var: Any = None  # Var naming this lambda when self tail calls become loops
        self.loop_params: list[str] = []
        self.returns_tail = False  # body may return a TailCall
        self.temps = itertools.count(1)


class Compiler:
    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self.const_ids: dict[int, str] = {}
        self.fn: FunctionBuilder = None  # type: ignore[assignment]
        self.loc: SourceLocation | None = None
        self.depth = 0
        self.def_ids = _def_ids
        self.namespace.update(_RUNTIME_NAMES)
        self.module: Any = None  # the module whose top-level form is being compiled
        self.late_refs: dict[tuple[Any, Any], str] = {}

    def counter_state(self) -> str:
        """The counters that number generated names, as text (see schemy.compile.code_cache)."""
        from schemy.lang.syntax import Var

        return f"{_unit_ids!r} {_def_ids!r} {Var._ids!r} {len(self.const_ids)}"

    # ================================================================ entry point
    def compile_toplevel(self, node: core.Node, name: str = "toplevel", module: Any = None) -> Any:
        """Compile one top-level node, read in ``module``, into a Python function of no arguments."""
        unit = f"<schemy-{next(_unit_ids)}>"
        self.module = module
        self.expr_locs: dict[str, SourceLocation] = {}
        top = FunctionBuilder(None, None)
        self.fn = top
        self.loc = node.loc
        self.compile_tail(node)
        out: list[str] = []
        locs: list[Any] = [None]
        self.render("_toplevel", "", top, out, locs, 0)
        source = "\n".join(out) + "\n"
        if _DEBUG_SOURCE:
            print(source, file=sys.stderr)
        code = compile_source(source, unit)
        LINE_LOCS[unit] = locs
        SOURCES[unit] = out
        EXPR_LOCS[unit] = self.expr_locs
        ns = self.namespace
        exec(code, ns)
        fn = ns.pop("_toplevel")
        LAMBDA_INFO[fn.__code__] = (name, "", node.loc)
        self._register_nested(code)
        return fn

    def _register_nested(self, code: Any) -> None:
        for const in code.co_consts:
            if hasattr(const, "co_code"):
                info = self.pending_info.get(const.co_name)
                if info is not None:
                    LAMBDA_INFO[const] = info[:3]
                    if len(info) > 3 and info[3]:
                        LAMBDA_DOCS[const] = info[3]
                self._register_nested(const)

    pending_info = PENDING_INFO

    def render(self, name: str, params: str, fb: FunctionBuilder, out: list, locs: list, level: int) -> None:
        pad = "    " * level
        out.append(f"{pad}def {name}({params}):")
        locs.append(fb.lines[0][2] if fb.lines else None)
        if fb.nonlocals:
            out.append(f"{pad}    nonlocal {', '.join(sorted(fb.nonlocals))}")
            locs.append(None)
        for indent, text, loc in fb.lines:
            if isinstance(text, tuple):  # a nested function, rendered in place
                _, nname, nparams, nfb, extra = text
                self.render(nname, nparams, nfb, out, locs, level + indent)
                for line, lloc in extra:
                    out.append("    " * (level + indent) + line)
                    locs.append(lloc)
                continue
            out.append("    " * (level + indent) + text)
            locs.append(loc)
        if not fb.lines:
            out.append(f"{pad}    return None")
            locs.append(None)

    # ================================================================ emission helpers
    def emit(self, text: str) -> None:
        self.fn.lines.append((self.fn.indent, text, self.loc))

    @contextmanager
    def indented(self) -> Iterator[None]:
        self.fn.indent += 1
        try:
            yield
        finally:
            self.fn.indent -= 1

    @contextmanager
    def capture(self) -> Iterator[list]:
        """Collect the lines emitted inside the block instead of appending them."""
        saved = self.fn.lines
        buf: list = []
        self.fn.lines = buf
        try:
            yield buf
        finally:
            self.fn.lines = saved

    def temp(self) -> str:
        return f"_t{next(self.fn.temps)}"

    def const(self, value: Any) -> str:
        cls = value.__class__
        if cls is bool:
            return "True" if value else "False"
        if cls is int and -(10**15) < value < 10**15:
            return repr(value) if value >= 0 else f"({value})"
        if cls is str and len(value) < 200:
            return repr(value)
        if cls is float and math.isfinite(value) and value != 0.0:
            return f"({value!r})"
        key = id(value)
        name = self.const_ids.get(key)
        if name is None or self.namespace.get(name) is not value:
            name = f"_k{len(self.const_ids) + 1}_{next(self.def_ids)}"
            self.const_ids[key] = name
            self.namespace[name] = value
        return name

    def var_name(self, var: Any) -> str:
        if var.pyname is None:
            var.pyname = _pyname(var.name.name, "v", var.uid)
        return var.pyname

    def bind_var(self, var: Any) -> str:
        var.owner = self.fn
        return self.var_name(var)

    @contextmanager
    def at(self, node: core.Node) -> Iterator[None]:
        saved = self.loc
        if node.loc is not None:
            self.loc = node.loc
        try:
            yield
        finally:
            self.loc = saved

    # ================================================================ contexts
    def compile_tail(self, node: core.Node) -> None:
        """Emit statements that return the node's value (or continue a self loop)."""
        cls = node.__class__
        with self.at(node):
            if cls is core.If:
                # The then-branch always returns (or continues a loop), so the else-branch
                # needs no `else:` block: long cond chains stay flat (CPython limits nesting).
                cond = self.compile_test(node.test)
                self.emit(f"if {cond}:")
                with self.indented():
                    self.compile_tail(node.then)
                self.compile_tail(node.else_)
            elif cls is core.Seq:
                for n in node.nodes[:-1]:
                    self.compile_stmt(n)
                self.compile_tail(node.nodes[-1])
            elif cls is core.Let or cls is core.Letrec:
                self.compile_bindings(node)
                self.compile_tail(node.body)
            elif cls is core.Call and _is_call_with_values(node):
                self.compile_tail_values_call(node)
            elif cls is core.Call and _is_case_lambda(node):
                self.emit(f"return {self.compile_value(node)}")
            elif cls is core.Call:
                self.compile_tail_call(node)
            elif cls is core.PrimCall and _is_call_with_values(node):
                self.compile_tail_values_call(node)
            elif cls is core.PrimCall and node.name == "apply" and len(node.args) >= 1:
                args = self.compile_args(node.args)
                self.fn.returns_tail = True
                self.emit(f"return _apply_tail({', '.join(args)})")
            else:
                self.emit(f"return {self.compile_value(node)}")

    def compile_stmt(self, node: core.Node) -> None:
        """Emit statements for the node's effects; its value is discarded."""
        cls = node.__class__
        with self.at(node):
            if cls is core.Const or cls is core.LRef:
                return
            if cls is core.If:
                if _if_chain_length(node) > 12:
                    self.emit(self.hoist(node))
                    return
                cond = self.compile_test(node.test)
                with self.capture() as then_lines:
                    with self.indented():
                        self.compile_stmt(node.then)
                with self.capture() as else_lines:
                    with self.indented():
                        self.compile_stmt(node.else_)
                if not then_lines and not else_lines:
                    self.emit(cond)
                    return
                self.emit(f"if {cond}:")
                self.fn.lines.extend(then_lines or [(self.fn.indent + 1, "pass", self.loc)])
                if else_lines:
                    self.emit("else:")
                    self.fn.lines.extend(else_lines)
            elif cls is core.Seq:
                for n in node.nodes:
                    self.compile_stmt(n)
            elif cls is core.Let or cls is core.Letrec:
                self.compile_bindings(node)
                self.compile_stmt(node.body)
            elif cls is core.LSet:
                self.compile_lset(node)
            elif cls is core.GSet:
                self.compile_gset(node)
            else:
                self.emit(self.compile_value(node))

    def compile_value(self, node: core.Node) -> str:
        """A Python expression for the node's value; may emit statements first."""
        cls = node.__class__
        if cls is core.Const:
            return self.const(node.value)
        if cls is core.LRef:
            return self.ref_local(node.var)
        if cls is core.GRef:
            expr = f"{self.global_ref(node.cell)}.value"
            if node.loc is not None:
                self.expr_locs[expr] = node.loc
            return expr
        # `with self.at(node):` written out: this is the compiler's hottest path and a
        # generator-based context manager costs about a tenth of its time.
        saved_loc = self.loc
        if node.loc is not None:
            self.loc = node.loc
        try:
            self.depth += 1
            try:
                expr = self._compile_value(node, cls)
            finally:
                self.depth -= 1
            if node.loc is not None and (cls is core.Call or cls is core.PrimCall):
                self.expr_locs[expr] = node.loc
            if self.depth > MAX_EXPR_DEPTH and not _ATOMIC.match(expr):
                t = self.temp()
                self.emit(f"{t} = {expr}")
                return t
            return expr
        finally:
            self.loc = saved_loc

    def _compile_value(self, node: core.Node, cls: type) -> str:
        if cls is core.Call and _is_case_lambda(node):
            return f"_case_lambda({', '.join(self.compile_args(node.args))})"
        if cls is core.Call:
            fn = self.compile_value(node.fn)
            args = self.compile_args(node.args, [fn])
            fn = args.pop(0)
            if not _ATOMIC.match(fn) and not fn.endswith(".value"):
                fn = f"({fn})"
            return f"{fn}({', '.join(args)})"
        if cls is core.PrimCall:
            return self.compile_primcall(node)
        if cls is core.If:
            if _if_chain_length(node) > 12:
                return self.hoist(node)
            cond = self.compile_test(node.test)
            with self.capture() as then_lines:
                then = self.compile_value(node.then)
            with self.capture() as else_lines:
                else_ = self.compile_value(node.else_)
            if not then_lines and not else_lines:
                return f"({then} if {cond} else {else_})"
            t = self.temp()
            self.emit(f"if {cond}:")
            with self.indented():
                self._splice(then_lines)
                self.emit(f"{t} = {then}")
            self.emit("else:")
            with self.indented():
                self._splice(else_lines)
                self.emit(f"{t} = {else_}")
            return t
        if cls is core.Seq:
            for n in node.nodes[:-1]:
                self.compile_stmt(n)
            return self.compile_value(node.nodes[-1])
        if cls is core.Let or cls is core.Letrec:
            self.compile_bindings(node)
            return self.compile_value(node.body)
        if cls is core.LSet:
            self.compile_lset(node)
            return "_UNSPEC"
        if cls is core.GSet:
            self.compile_gset(node)
            return "_UNSPEC"
        if cls is core.Lambda:
            return self.compile_lambda(node)
        raise TypeError(f"cannot compile {cls.__name__}")

    def hoist(self, node: core.Node) -> str:
        """Compute ``node`` in a local function of its own, compiled in tail position (which
        keeps long if-chains flat); the call runs any tail call it returns."""
        parent = self.fn
        fb = FunctionBuilder(parent, None)
        self.fn = fb
        saved_depth = self.depth
        self.depth = 0
        try:
            self.compile_tail(node)
        finally:
            self.fn = parent
            self.depth = saved_depth
        name = f"_h_{next(self.def_ids)}"
        parent.lines.append((parent.indent, ("def", name, "", fb, []), self.loc))
        return f"_run_tail({name}())"

    def _splice(self, lines: list) -> None:
        """Re-emit captured lines one level deeper (they were captured at the outer indent)."""
        for indent, text, loc in lines:
            self.fn.lines.append((indent + 1, text, loc))

    def compile_args(self, nodes: list, prefix: list | None = None) -> list[str]:
        """Compile arguments left to right, keeping that order when a later one needs statements."""
        out = list(prefix or [])
        fn = self.fn
        for n in nodes:
            # `with self.capture() as lines:` written out (hot path, see compile_value)
            saved, lines = fn.lines, []
            fn.lines = lines
            try:
                expr = self.compile_value(n)
                if _may_be_multi(n):
                    expr = self.first_value(expr)
            finally:
                fn.lines = saved
            if lines:
                for i, prev in enumerate(out):
                    if not _ATOMIC.match(prev):
                        t = self.temp()
                        self.emit(f"{t} = {prev}")
                        out[i] = t
                self.fn.lines.extend(lines)
            out.append(expr)
        return out

    def first_value(self, expr: str) -> str:
        """``expr`` where one value is expected: several values give their first (as in Guile),
        none is an error."""
        t = self.temp()
        return f"({t} if ({t} := {expr}).__class__ is not _Values else _first_value({t}))"

    def compile_one(self, node: core.Node) -> str:
        """The node's value in a context that takes exactly one value."""
        expr = self.compile_value(node)
        return self.first_value(expr) if _may_be_multi(node) else expr

    def compile_test(self, node: core.Node) -> str:
        """A Python condition that is true when the node's value is not #f."""
        if node.__class__ is core.PrimCall and node.name in _BOOLEAN_PRIMS:
            if node.name == "not" and len(node.args) == 1:
                inner = node.args[0]
                if inner.__class__ is core.PrimCall and inner.name in _BOOLEAN_PRIMS:
                    return f"not {self.compile_test(inner)}"
            return self.compile_value(node)
        if node.__class__ is core.Const:
            return "False" if node.value is False else "True"
        expr = self.compile_one(node)
        if not _ATOMIC.match(expr) and not expr.endswith(".value"):
            expr = f"({expr})"
        return f"{expr} is not False"

    # ================================================================ variables
    def global_ref(self, cell: Any) -> str:
        """The Python name whose ``.value`` reads the global ``cell``.

        A top-level reference means the binding its module has when the code runs (Guile looks
        it up at the first execution).  A name the module imports can still be defined by the
        module afterwards (a file's own ``fold`` written after the procedures that call it), so
        such a reference goes through a ``_LateRef`` that looks the name up at its first
        execution and then replaces itself by the cell it found: later executions read the cell
        directly, at no extra cost."""
        module = self.module
        if module is None or cell.module is None:
            return self.const(cell)
        name = cell.name
        if cell.module is module:
            # The module's own binding, made by a `define` not run yet (`(define delete (wrap
            # delete))`): until it runs, the name still means what the module imports.
            if hasattr(cell, "value"):
                return self.const(cell)
            if module.table.get(name) is not cell:
                return self.const(cell)  # a hygienically renamed definition
            imported = _imported(module, name)
            if imported is None:
                return self.const(cell)
            cell = imported
        elif name in module.table or module.lookup(name) is not cell:
            return self.const(cell)  # a binding of the module itself, or one imported under another name
        key = (module, cell)
        pyname = self.late_refs.get(key)
        if pyname is None or self.namespace.get(pyname) is None:
            pyname = f"_kL_{next(self.def_ids)}"
            self.late_refs[key] = pyname
            self.namespace[pyname] = _LateRef(self.namespace, pyname, module, cell)
        return pyname

    def ref_local(self, var: Any) -> str:
        return self.var_name(var)

    def compile_lset(self, node: core.LSet) -> None:
        value = self.compile_one(node.value)
        name = self.var_name(node.var)
        if node.var.owner is not self.fn:
            self.fn.nonlocals.add(name)
        self.emit(f"{name} = {value}")

    def compile_gset(self, node: core.GSet) -> None:
        if node.define and node.value.__class__ is core.Lambda:
            # A top-level procedure's self tail calls become a loop, as Guile does for
            # declarative definitions.
            value = self.compile_lambda(node.value, self_var=node.cell)
        else:
            value = self.compile_one(node.value)
        cell = self.const(node.cell)
        if node.define:
            self.emit(f"{cell}.value = {value}")
        else:
            self.emit(f"_check_bound({cell}); {cell}.value = {value}")

    def compile_bindings(self, node: core.Node) -> None:
        if node.__class__ is core.Let:
            values = self.compile_args(node.inits)
            for var, value in zip(node.vars, values):
                self.emit(f"{self.bind_var(var)} = {value}")
            return
        for var in node.vars:
            self.bind_var(var)
        for var, init in zip(node.vars, node.inits):
            if init.__class__ is core.Lambda and not var.mutated:
                value = self.compile_lambda(init, self_var=var)
            else:
                value = self.compile_one(init)
            self.emit(f"{self.var_name(var)} = {value}")

    # ================================================================ calls
    def compile_tail_call(self, node: core.Call) -> None:
        fb = self.fn
        if fb.loop_var is not None and _is_ref_to(node.fn, fb.loop_var) \
                and len(node.args) == len(fb.loop_params):
            args = self.compile_args(node.args)
            targets = fb.loop_params
            if targets:
                self.emit(f"{', '.join(targets)} = {', '.join(args)}")
            self.emit("continue")
            return
        fn = self.compile_value(node.fn)
        args = self.compile_args(node.args, [fn])
        fn = args.pop(0)
        if fb.parent is None:
            # A top-level form calls directly: its frame then stays in tracebacks, so an error
            # in the last call of a file is located in that file.
            self.emit(f"return {fn}({', '.join(args)})")
            return
        fb.returns_tail = True
        tup = ", ".join(args) + ("," if len(args) == 1 else "")
        self.emit(f"return _TC({fn}, ({tup}))")

    def compile_tail_values_call(self, node: core.Node) -> None:
        """``(call-with-values producer consumer)`` in tail position: the consumer is called in
        tail position too (``receive``, ``let-values`` loops run in constant stack)."""
        producer, consumer = node.args
        if producer.__class__ is core.Lambda and not (producer.params or producer.optionals or producer.rest
                                                      or producer.keys):
            vals = self.compile_value(producer.body)  # the thunk's body, run here
        else:
            vals = f"{self.compile_value(producer)}()"
        t = self.temp()
        self.emit(f"{t} = {vals}")
        fn = self.compile_value(consumer)
        args = f"{t} if {t}.__class__ is _Values else ({t},)"
        if self.fn.parent is None:
            self.emit(f"return {fn}(*({args}))")
            return
        self.fn.returns_tail = True
        self.emit(f"return _TC({fn}, {args})")

    def compile_primcall(self, node: core.PrimCall) -> str:
        inline = _INLINE.get(node.name)
        if inline is not None:
            result = inline(self, node)
            if result is not None:
                return result
        fn = self.compile_value(node.fn_node)
        args = self.compile_args(node.args)
        return f"{fn}({', '.join(args)})"

    def atomic_args(self, node: core.PrimCall, names_only: bool = False) -> list[str]:
        """Arguments as names or literals that can be evaluated twice (``names_only``: names)."""
        args = self.compile_args(node.args)
        out = []
        for a in args:
            if (_IDENT if names_only else _ATOMIC).match(a) and a not in ("True", "False", "None"):
                out.append(a)
            else:
                t = self.temp()
                self.emit(f"{t} = {a}")
                out.append(t)
        return out

    # ================================================================ lambda
    def compile_lambda(self, lam: core.Lambda, self_var: Any = None) -> str:
        parent = self.fn
        fb = FunctionBuilder(parent, lam)
        self.fn = fb
        saved_depth = self.depth
        self.depth = 0
        try:
            params = [self.bind_var(v) for v in lam.params]
            sig = list(params)
            for v, _ in lam.optionals:
                sig.append(f"{self.bind_var(v)}=_UNDEF")
            rest_name = None
            if lam.rest is not None or lam.keys:
                rest_name = self.bind_var(lam.rest) if lam.rest is not None else f"_rest_{next(self.def_ids)}"
                sig.append("*" + rest_name)
            with self.at(lam):
                for v, default in lam.optionals:
                    name = self.var_name(v)
                    self.emit(f"if {name} is _UNDEF:")
                    with self.indented():
                        self.emit(f"{name} = {self.compile_value(default) if default is not None else 'False'}")
                if lam.keys:
                    knames = [self.bind_var(v) for _, v, _ in lam.keys]
                    kws = self.const(tuple(k for k, _, _ in lam.keys))
                    origin = repr(lam.name or "lambda*")
                    self.emit(f"{', '.join(knames)}{',' if len(knames) == 1 else ''} = _parse_kw({origin}, "
                              f"{rest_name}, {kws}, {lam.allow_other_keys}, {lam.rest is not None})")
                    for (_, _var, default), name in zip(lam.keys, knames):
                        self.emit(f"if {name} is _UNDEF:")
                        with self.indented():
                            self.emit(f"{name} = {self.compile_value(default) if default is not None else 'False'}")
                if lam.rest is not None:
                    self.emit(f"{rest_name} = _mklist({rest_name})")
            loopable = (self_var is not None and not lam.optionals and not lam.keys and lam.rest is None
                        and not _captures_locals(lam))
            if loopable and _has_self_tail_call(lam.body, self_var):
                fb.loop_var = self_var
                fb.loop_params = params
                self.emit("while True:")
                with self.indented():
                    self.compile_tail(lam.body)
            else:
                self.compile_tail(lam.body)
        finally:
            self.fn = parent
            self.depth = saved_depth
        name = lam.name or "lambda"
        did = next(self.def_ids)
        pyname = _pyname(name, "f", did)
        formals = _formals_text(lam)
        params_text = ", ".join(sig)
        extra: list = []
        if fb.returns_tail:
            body_name = _pyname(name, "b", did)
            call_args = ", ".join(_forward_args(sig))
            Compiler.pending_info[body_name] = (name, formals, lam.loc)
            parent.lines.append((parent.indent, ("def", body_name, params_text, fb, []), self.loc))
            entry = FunctionBuilder(parent, None)
            entry.lines = [(1, f"r = {body_name}({call_args})", lam.loc),
                           (1, "while r.__class__ is _TC:", lam.loc),
                           (2, "f = r.fn; r = getattr(f, '_body', f)(*r.args)", lam.loc),
                           (1, "return r", lam.loc)]
            extra = [(f"{pyname}._body = {body_name}", self.loc)]
            Compiler.pending_info[pyname] = (name, formals, lam.loc, lam.doc)
            parent.lines.append((parent.indent, ("def", pyname, params_text, entry, extra), self.loc))
        else:
            Compiler.pending_info[pyname] = (name, formals, lam.loc, lam.doc)
            parent.lines.append((parent.indent, ("def", pyname, params_text, fb, extra), self.loc))
        return pyname


def _forward_args(sig: list[str]) -> list[str]:
    out = []
    for s in sig:
        if s.startswith("*"):
            out.append(s)
        else:
            out.append(s.split("=")[0])
    return out


def _formals_text(lam: core.Lambda) -> str:
    parts = [v.name.name for v in lam.params]
    if lam.optionals:
        parts.append("#:optional")
        parts += [v.name.name for v, _ in lam.optionals]
    if lam.keys:
        parts.append("#:key")
        parts += [v.name.name for _, v, _ in lam.keys]
    text = " ".join(parts)
    if lam.rest is not None:
        return f"({text} . {lam.rest.name.name})" if parts else lam.rest.name.name
    return f"({text})"


# ---------------------------------------------------------------- analyses for loop conversion


def _children(node: core.Node) -> list:
    cls = node.__class__
    if cls is core.If:
        return [node.test, node.then, node.else_]
    if cls is core.Seq:
        return node.nodes
    if cls is core.Call:
        return [node.fn, *node.args]
    if cls is core.PrimCall:
        return list(node.args)
    if cls is core.Let or cls is core.Letrec:
        return [*node.inits, node.body]
    if cls is core.LSet or cls is core.GSet:
        return [node.value]
    if cls is core.Lambda:
        return [d for _, d in node.optionals if d is not None] + [d for _, _, d in node.keys if d is not None] \
            + [node.body]
    return []


def _bound_here(lam: core.Lambda) -> set:
    """Variables bound by ``lam`` itself (params and lets in its body, not in nested lambdas)."""
    out = set(lam.params)
    stack = [lam.body]
    while stack:
        n = stack.pop()
        if n.__class__ is core.Lambda:
            continue
        if n.__class__ is core.Let or n.__class__ is core.Letrec:
            out.update(n.vars)
        stack.extend(_children(n))
    return out


def _captures_locals(lam: core.Lambda) -> bool:
    """True when a nested lambda refers to a variable bound by ``lam`` (loops would share it)."""
    mine = _bound_here(lam)
    stack = list(_children(lam.body)) + [lam.body]
    nested = []
    while stack:
        n = stack.pop()
        if n.__class__ is core.Lambda:
            nested.append(n)
            continue
        stack.extend(_children(n))
    for nl in nested:
        inner = [nl]
        while inner:
            n = inner.pop()
            if (n.__class__ is core.LRef or n.__class__ is core.LSet) and n.var in mine:
                return True
            inner.extend(_children(n))
    return False


def _is_call_with_values(node: core.Node) -> bool:
    if len(node.args) != 2:
        return False
    if node.__class__ is core.PrimCall:
        return node.name == "call-with-values"
    return node.fn.__class__ is core.Const and node.fn.value is call_with_values


def _is_case_lambda(node: core.Call) -> bool:
    return node.fn.__class__ is core.Const and node.fn.value is make_case_lambda


def _may_be_multi(node: core.Node) -> bool:
    """Can the node's value be several values (which a one-value context must cut to one)?"""
    cls = node.__class__
    if cls is core.Call:
        return not _is_case_lambda(node)
    if cls is core.PrimCall:
        return node.name not in _SINGLE_VALUED
    if cls is core.If:
        return _may_be_multi(node.then) or _may_be_multi(node.else_)
    if cls is core.Seq:
        return _may_be_multi(node.nodes[-1])
    if cls is core.Let or cls is core.Letrec:
        return _may_be_multi(node.body)
    return False


def _is_ref_to(fn: core.Node, target: Any) -> bool:
    """Is ``fn`` a reference to ``target`` (a local Var or a global Cell)?"""
    cls = fn.__class__
    return (cls is core.LRef and fn.var is target) or (cls is core.GRef and fn.cell is target)


def _if_chain_length(node: core.Node) -> int:
    n = 0
    while node.__class__ is core.If:
        n += 1
        node = node.else_
        while node.__class__ in (core.Let, core.Letrec):
            node = node.body
    return n


def _has_self_tail_call(node: core.Node, var: Any) -> bool:
    cls = node.__class__
    if cls is core.Call:
        return _is_ref_to(node.fn, var)
    if cls is core.If:
        return _has_self_tail_call(node.then, var) or _has_self_tail_call(node.else_, var)
    if cls is core.Seq:
        return _has_self_tail_call(node.nodes[-1], var)
    if cls is core.Let or cls is core.Letrec:
        return _has_self_tail_call(node.body, var)
    return False


# ---------------------------------------------------------------- inline primitives


def _int_binop(op: str, prim: str) -> Any:
    def inline(c: Compiler, node: core.PrimCall) -> str | None:
        if len(node.args) != 2:
            return None
        a, b = c.atomic_args(node)
        p = c.const(c.prim_fn(prim))
        checks = [f"{x}.__class__ is int" for x in (a, b) if not _INT_LITERAL.match(x)]
        if not checks:
            return f"({a} {op} {b})"
        return f"({a} {op} {b} if {' and '.join(checks)} else {p}({a}, {b}))"

    return inline


def _type_test(test: str) -> Any:
    def inline(c: Compiler, node: core.PrimCall) -> str | None:
        if len(node.args) != 1:
            return None
        (a,) = c.atomic_args(node, names_only=True)
        return "(" + test.format(x=a) + ")"

    return inline


def _accessor(field: str, prim: str) -> Any:
    def inline(c: Compiler, node: core.PrimCall) -> str | None:
        if len(node.args) != 1:
            return None
        (a,) = c.atomic_args(node, names_only=True)
        p = c.const(c.prim_fn(prim))
        return f"({a}.{field} if {a}.__class__ is _Pair else {p}({a}))"

    return inline


def _cons_inline(c: Compiler, node: core.PrimCall) -> str | None:
    if len(node.args) != 2:
        return None
    a, b = c.compile_args(node.args)
    return f"_Pair({a}, {b})"


def _eq_inline(c: Compiler, node: core.PrimCall) -> str | None:
    if len(node.args) != 2:
        return None
    # Only when one side is a constant that is never a number: identity is exactly eq?.
    consts = [n for n in node.args if n.__class__ is core.Const]
    if not consts or isinstance(consts[0].value, (int, float, Fraction, complex)):
        return None
    a, b = c.compile_args(node.args)
    return f"({a} is {b})"


_INLINE: dict[str, Any] = {
    "+": _int_binop("+", "+"),
    "-": _int_binop("-", "-"),
    "*": _int_binop("*", "*"),
    "<": _int_binop("<", "<"),
    ">": _int_binop(">", ">"),
    "<=": _int_binop("<=", "<="),
    ">=": _int_binop(">=", ">="),
    "=": _int_binop("==", "="),
    "null?": _type_test("{x} is _NIL"),
    "pair?": _type_test("{x}.__class__ is _Pair"),
    "not": _type_test("{x} is False"),
    "car": _accessor("car", "car"),
    "cdr": _accessor("cdr", "cdr"),
    "cons": _cons_inline,
    "eq?": _eq_inline,
}

_BOOLEAN_PRIMS = {"<", ">", "<=", ">=", "=", "not", "null?", "pair?", "eq?", "eqv?", "equal?", "zero?",
                  "symbol?", "string?", "number?", "integer?", "procedure?", "boolean?", "list?", "vector?",
                  "char?", "keyword?", "positive?", "negative?", "odd?", "even?", "exact?", "inexact?",
                  "string=?", "char=?", "memq?"}


# Primitives that never return several values (first-order ones: they call no procedure
# argument in tail position).  A call to any other procedure is checked where one value is
# expected.
_SINGLE_VALUED = _BOOLEAN_PRIMS | set(_INLINE) | {
    "list", "cons*", "vector", "append", "append!", "length", "reverse", "list-copy", "list-ref", "list-tail",
    "last-pair", "cadr", "cddr", "caar", "cdar", "caddr", "cdddr", "memq", "memv", "member", "assq", "assv",
    "assoc", "string-append", "string-length", "string-ref", "substring", "string", "make-string",
    "string->symbol", "symbol->string", "string->number", "number->string", "string->list", "list->string",
    "symbol-append", "string-join", "string-split", "string-prefix?", "string-suffix?", "string-contains",
    "vector-ref", "vector-set!", "vector-length", "make-vector", "vector->list", "list->vector",
    "char->integer", "integer->char", "quotient", "remainder", "modulo", "abs", "min", "max", "expt", "1+",
    "1-", "exact->inexact", "inexact->exact", "exact", "inexact", "set-car!", "set-cdr!", "hash-ref",
    "hashq-ref", "hash-set!", "hashq-set!", "display", "write", "newline", "format", "keyword->symbol",
    "symbol->keyword", "list?", "null-list?", "iota", "last", "first", "second", "third", "delete",
    "assoc-ref", "assq-ref", "string-upcase", "string-downcase", "string-trim", "string-trim-both",
    "string-trim-right", "string-null?",
}


def _first_value(vals: Values) -> Any:
    if not vals:
        from schemy.lang.errors import scheme_error

        raise scheme_error("Zero values returned to single-valued continuation", kind="wrong-number-of-args")
    return vals[0]


def _case_lambda(*clauses: Any) -> Any:
    """``case-lambda``: control's dispatcher, plus a ``_body`` that trampolines call in tail
    position, so a clause's tail calls (a loop through the clauses) run in constant stack."""
    dispatch = make_case_lambda(*clauses)
    table = []
    for c in clauses:
        req, opt, rest = procedure_arity(c)
        table.append((req, None if rest else req + opt, getattr(c, "_body", c)))

    def body(*args: Any) -> Any:
        n = len(args)
        for lo, hi, c in table:
            if n >= lo and (hi is None or n <= hi):
                return c(*args)
        return dispatch(*args)  # raises Guile's error

    dispatch._body = body  # type: ignore[attr-defined]
    return dispatch


def _prim_fn(self: Compiler, name: str) -> Any:
    from schemy.runtime.world import primitive

    return primitive(name)


Compiler.prim_fn = _prim_fn  # type: ignore[attr-defined]


class _LateRef(Cell):
    """A reference to an imported global that the module may still define itself (see
    ``Compiler.global_ref``): reading ``value`` finds the module's binding of the name, and
    once that is settled puts its cell in the generated code's namespace in place of this.
    (A Cell, so what describes the globals a procedure uses sees the binding it means.)"""

    __slots__ = ("namespace", "key", "cell")

    def __init__(self, namespace: dict, key: str, module: Any, cell: Any) -> None:
        super().__init__(cell.name, module)
        self.namespace = namespace
        self.key = key
        self.cell = cell

    @property
    def value(self) -> Any:
        own = self.module.table.get(self.cell.name)
        if own is None:
            self.namespace[self.key] = self.cell
            return self.cell.value
        if hasattr(own, "value") and own.__class__ is self.cell.__class__:
            self.namespace[self.key] = own
            return own.value
        # Being defined right now (`(define fold (wrap fold))` reads the import): not settled.
        return self.cell.value


def _imported(module: Any, name: Any) -> Any:
    """The cell ``module`` imports as ``name``, or None."""
    for iface in reversed(module.imports):
        b = iface.mapping().get(name)
        if b is not None:
            return b if b.__class__ is Cell else None
    return None


def _check_bound(cell: Any) -> None:
    if not hasattr(cell, "value"):
        from schemy.lang.errors import scheme_error

        raise scheme_error(f"{cell.name.name}: unbound variable (set! before define)", kind="unbound-variable")


def _mklist(items: tuple) -> Any:
    result: Any = NIL
    for x in reversed(items):
        result = Pair(x, result)
    return result


_RUNTIME_NAMES = {
    "_TC": TailCall,
    "_Pair": Pair,
    "_NIL": NIL,
    "_UNSPEC": UNSPECIFIED,
    "_UNDEF": UNDEFINED,
    "_mklist": _mklist,
    "_parse_kw": parse_keywords,
    "_apply_tail": apply_tail,
    "_run_tail": run_tail,
    "_check_bound": _check_bound,
    "_Values": Values,
    "_first_value": _first_value,
    "_case_lambda": _case_lambda,
}
