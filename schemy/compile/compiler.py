"""The compiler: core nodes -> Python syntax trees -> Python functions.

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
primitives can call Scheme procedures like Python functions.

No source text is involved: the compiler builds the Python syntax tree itself, every node
stamped with the line and column of the Scheme form it computes, and compiles it under the
Scheme file's name.  So Python's own positions (``co_positions()``, tracebacks) are Scheme
positions, and errors and backtraces read them (schemy.compile.pyerrors, .tables).  The
tree is built as nested tuples (schemy.compile.pytree: cheap to make, and their marshalled
bytes are the compiled-code cache's exact key) and turned into ``ast`` nodes for
``compile()`` only when the cache does not already hold the code.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

from schemy.compile import pyerrors  # noqa: F401  (installs the Python-error translator)
from schemy.compile.code_cache import compile_tree
from schemy.compile.pytree import NOWHERE, unparse
from schemy.compile.tables import FOREIGN_BASE, TOP_PREFIX, register_unit
from schemy.lang import core
from schemy.lang.datum import (
    EOF_OBJECT,
    NIL,
    UNDEFINED,
    UNSPECIFIED,
    Char,
    Keyword,
    Pair,
    SourceLocation,
    Symbol,
    Values,
    make_pair,
)
from schemy.runtime.control import (
    TAIL_CALL,
    TailCall,
    apply_tail,
    call_with_values,
    case_match,
    make_case_lambda,
    parse_keywords,
    procedure_arity,
    run_tail,
)
from schemy.runtime.modules import Cell, LazyCell

_unit_ids = itertools.count(1)
_def_ids = itertools.count(1)
MAX_EXPR_DEPTH = 24
_DEBUG_SOURCE = bool(os.environ.get("SCHEMY_DEBUG_SOURCE"))


def _pyname(name: str, kind: str, uid: int) -> str:
    """A Python name for a Scheme variable (``kind`` "v") or procedure ("f", its trampolined
    body "b"): unique by construction, because it ends with ``_KIND_N`` where N is a number no
    other name of that kind has, and the compiler's own names (``_t1``, ``_k2``, ``_h_4``,
    ``_top_5``) never end that way.  (Counters come last, after ``_``, so fingerprints of
    procedures can drop them.)"""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", name)[:40] or "x"
    return f"{clean}_{kind}_{uid}"


def _is_atomic(e: tuple) -> bool:
    """Can ``e`` be evaluated twice (a name or a literal)?"""
    return e[0] == "N" or e[0] == "C"


def _is_int_literal(e: tuple) -> bool:
    return e[0] == "C" and e[2].__class__ is int


class FunctionBuilder:
    """The Python function being generated for one Scheme lambda (or a top-level form)."""

    def __init__(self, parent: FunctionBuilder | None, lam: core.Lambda | None) -> None:
        self.parent = parent
        self.lam = lam
        self.body: list[tuple] = []  # where statements go now (swapped by Compiler.capture)
        self.nonlocals: set[str] = set()
        # The Python `while True` loops whose body is being compiled, innermost last: the
        # function's own self-tail-call loop, and named lets contified into it (see _Loop).
        self.loops: list[_Loop] = []
        self.returns_tail = False  # body may return a TailCall
        self.temps = itertools.count(1)


# How a loop's tail positions end (see _Loop): return from the function, assign a target
# variable then leave the loop, or leave the loop (the value is not used).
RET, INTO, STMT = 0, 1, 2


class _Loop:
    """A `while True` loop of the function being generated: ``var`` (a local Var, or a global
    Cell for a top-level procedure) names it, and a tail call of it with as many arguments as
    ``params`` assigns them and jumps to the loop's start.

    A named let whose name never escapes (every reference a call from a tail position of its
    own body, or of a contified named let right in such a position) is *contified*: compiled
    into the enclosing function as such a loop rather than made a closure each time it is
    entered.  Its tail positions end as ``mode`` says.  ``parent_tail``: the loop sits in a
    tail position of the loop below it on the stack, so its tail calls of that loop are jumps
    too (``break`` out of this loop, then ``continue`` the other; when this loop's own leaves
    also ``break`` (modes INTO and STMT), the flag ``flag`` tells the two apart)."""

    __slots__ = ("var", "params", "mode", "target", "parent_tail", "flag", "jumps_out")

    def __init__(self, var: Any, params: list[str], mode: int, target: str | None, parent_tail: bool,
                 flag: str | None = None) -> None:
        self.var, self.params, self.mode, self.target = var, params, mode, target
        self.parent_tail, self.flag = parent_tail, flag
        self.jumps_out = False  # a tail call of the loop below was compiled as a jump


class Compiler:
    def __init__(self) -> None:
        self.fn: FunctionBuilder = None  # type: ignore[assignment]
        self.loc: SourceLocation | None = None
        self.P: tuple = NOWHERE  # position of the nodes made now (from self.loc)
        self.depth = 0
        self.def_ids = _def_ids
        self.module: Any = None  # the module whose top-level form is being compiled
        # (module, cell) -> (number of the module's imports, whether it sees the cell by its name)
        self.import_cache: dict[tuple[Any, Any], tuple[int, bool]] = {}
        self.direct_vars: set = set()  # local procedures that never return a TailCall
        # Names the file being loaded defines at its top level: a call to a primitive of that
        # name is not inlined, so procedures written before the file's own definition call it
        # once it exists (as in Guile, which resolves the name when the call first runs).
        self.file_defines: frozenset = frozenset()
        # For the module cache (schemy.eval.module_cache): how many units were compiled, and
        # the code object of the last one.
        self.units_compiled = 0
        self.last_code: Any = None
        self._unit_setup("<schemy>")

    def counter_state(self) -> str:
        """The counters that number generated names, as text (see schemy.compile.code_cache)."""
        from schemy.lang.syntax import Var

        return f"{_unit_ids!r} {_def_ids!r} {Var._ids!r}"

    # -- module cache support (schemy.eval.module_cache): names in code made by an earlier run
    def counter_values(self) -> tuple[int, int, int]:
        """The next numbers of the name counters (units, procedures, variables)."""
        from schemy.lang.syntax import Var

        return tuple(int(repr(c)[6:-1]) for c in (_unit_ids, _def_ids, Var._ids))  # type: ignore[return-value]

    def advance_counters(self, values: Any) -> None:
        """Move the name counters at least to ``values`` (from ``counter_values`` of the run
        that compiled code now replayed), so names generated from now on differ from its."""
        from collections import deque

        from schemy.lang.syntax import Var

        for counter, now, target in zip((_unit_ids, _def_ids, Var._ids), self.counter_values(), values):
            if isinstance(target, int) and target > now:
                deque(itertools.islice(counter, target - now), maxlen=0)

    def _unit_setup(self, filename: str) -> None:
        # Per unit: its globals (runtime helpers + constants), positions and procedure facts.
        self.namespace: dict[str, Any] = dict(_RUNTIME_NAMES)
        self.const_ids: dict[int, str] = {}
        self.late_refs: dict[tuple[Any, Any], str] = {}
        self.filename = filename
        self.foreign: list[SourceLocation] = []
        self.positions: dict[int, tuple] = {}
        self.fn_info: dict[str, tuple] = {}
        self.scheme_names: dict[str, str] = {}  # Python local -> Scheme variable (for ,locals)

    # ================================================================ entry point
    def compile_toplevel(self, node: core.Node, name: str = "toplevel", module: Any = None) -> Any:
        """Compile one top-level node, read in ``module``, into a Python function of no arguments."""
        unit = next(_unit_ids)
        self._unit_setup(_unit_filename(node))
        self.module = module
        top = FunctionBuilder(None, None)
        self.fn = top
        self.set_loc(node.loc)
        try:
            self.compile_tail(node)
        finally:
            _CONTIFIED.clear()
        fname = f"{TOP_PREFIX}{unit}"
        self.set_loc(node.loc)
        tree = self.make_def(fname, [], [], None, top)
        if _DEBUG_SOURCE:
            print(unparse(tree), file=sys.stderr)
        code = compile_tree(tree, self.filename)
        self.units_compiled += 1
        self.last_code = code
        ns = self.namespace
        exec(code, ns)
        fn = ns.pop(fname)
        self.fn_info[fname] = (name, "", node.loc, None)
        register_unit(code, self.fn_info, self.foreign, self.scheme_names)
        self.fn = None  # type: ignore[assignment]
        self.positions = {}
        self.direct_vars = set()  # locals of this form only
        return fn

    def make_def(self, name: str, params: list[str], optionals: list[str], rest: str | None,
                 fb: FunctionBuilder) -> tuple:
        body = fb.body
        if fb.nonlocals:
            body = [("Nonlocal", self.P, sorted(fb.nonlocals)), *body]
        if not fb.body:
            body.append(("Ret", self.P, ("C", self.P, None)))
        return ("Def", self.P, name, params, optionals, rest, body)

    # ================================================================ positions
    def set_loc(self, loc: SourceLocation | None) -> None:
        self.loc = loc
        self.P = self.position(loc)

    def position(self, loc: SourceLocation | None, callee: bool = False) -> tuple:
        """The position that stands for ``loc``: its line and column when it is in the unit's
        file, else an index into the unit's table of other files' locations; one with an end
        column marks the callee of the call at ``loc`` (see pyerrors)."""
        if loc is None:
            return NOWHERE
        key = id(loc) * 2 + callee
        pos = self.positions.get(key)
        if pos is None:
            if loc.filename == self.filename and loc.line < FOREIGN_BASE:
                line, col = loc.line, loc.column
            else:
                self.foreign.append(loc)
                line, col = FOREIGN_BASE + len(self.foreign) - 1, 0
            pos = (line, col, col + 1) if callee else (line, col)
            self.positions[key] = pos
        return pos

    @contextmanager
    def at(self, node: core.Node) -> Iterator[None]:
        saved, saved_p = self.loc, self.P
        if node.loc is not None:
            self.loc = node.loc
            self.P = self.position(node.loc)
        try:
            yield
        finally:
            self.loc, self.P = saved, saved_p

    # ================================================================ node helpers
    def name(self, ident: str) -> tuple:
        return ("N", self.P, ident)

    def call(self, fn: tuple, args: list[tuple]) -> tuple:
        return ("Call", self.P, fn, args)

    def call_named(self, fn: str, *args: tuple) -> tuple:
        return ("Call", self.P, ("N", self.P, fn), list(args))

    def attr(self, value: tuple, attr: str) -> tuple:
        return ("A", self.P, value, attr)

    def is_(self, a: tuple, b: tuple, negate: bool = False) -> tuple:
        return ("Cmp", self.P, a, "isnot" if negate else "is", b)

    def class_is(self, a: tuple, cls_name: str) -> tuple:
        return ("Cls", self.P, a, cls_name)

    def assign(self, target: str, value: tuple) -> tuple:
        return ("=", self.P, ("S", self.P, target), value)

    def ret(self, value: tuple) -> tuple:
        return ("Ret", self.P, value)

    # ================================================================ emission helpers
    def emit(self, stmt: tuple) -> None:
        self.fn.body.append(stmt)

    @contextmanager
    def capture(self) -> Iterator[list]:
        """Collect the statements emitted inside the block instead of appending them."""
        fn = self.fn
        saved = fn.body
        buf: list = []
        fn.body = buf
        try:
            yield buf
        finally:
            fn.body = saved

    def temp(self) -> str:
        return f"_t{next(self.fn.temps)}"

    def const(self, value: Any) -> tuple:
        cls = value.__class__
        if cls is bool or cls is str or (cls is int and -(10**15) < value < 10**15) \
                or (cls is float and math.isfinite(value) and value != 0.0):
            return ("C", self.P, value)
        return ("N", self.P, self.const_name(value))

    def const_name(self, value: Any) -> str:
        """The unit global holding ``value`` (the unit's globals die with its code)."""
        key = id(value)
        name = self.const_ids.get(key)
        if name is None:
            name = f"_k{len(self.const_ids) + 1}"
            self.const_ids[key] = name
            self.namespace[name] = value
        return name

    def var_name(self, var: Any) -> str:
        if var.pyname is None:
            var.pyname = _pyname(var.name.name, "v", var.uid)
        self.scheme_names[var.pyname] = var.name.name
        return var.pyname

    def bind_var(self, var: Any) -> str:
        var.owner = self.fn
        return self.var_name(var)

    # ================================================================ contexts
    def compile_tail(self, node: core.Node) -> None:
        """Emit statements that return the node's value (or continue a self loop)."""
        cls = node.__class__
        with self.at(node):
            if cls is core.If:
                # The then-branch always returns (or continues a loop), so the else-branch
                # needs no `else:` block: long cond chains stay flat (CPython limits nesting).
                cond = self.compile_test(node.test)
                P = self.P
                with self.capture() as then_body:
                    self.compile_tail(node.then)
                self.emit(("If", P, cond, then_body, []))
                self.compile_tail(node.else_)
            elif cls is core.Seq:
                for n in node.nodes[:-1]:
                    self.compile_stmt(n)
                self.compile_tail(node.nodes[-1])
            elif cls is core.Letrec and (named := _contifiable(node)) is not None:
                loops = self.fn.loops
                if loops:
                    self.compile_loop(named, loops[-1].mode, loops[-1].target, True)
                else:
                    self.compile_loop(named, RET, None, False)
            elif cls is core.Letrec and self.fn.parent is not None and not self.fn.loops \
                    and _closure_cycle(node):
                # Internal procedures that call each other (or themselves) form a cycle of
                # closures, which keeps everything they refer to (the enclosing procedure's
                # variables) alive until the cyclic collector finds it: mperm's permutation
                # lists, megabytes, until a full collection.  None of them escapes, so the
                # cycle is broken when the body is left (notes/performance.md, perf3).
                self.compile_bindings(node)
                P = self.P
                with self.capture() as body:
                    self.compile_tail(node.body)
                self.emit(("TryFinally", P, body,
                           [self.assign(self.var_name(v), ("C", P, None)) for v in node.vars]))
            elif cls is core.Let or cls is core.Letrec:
                self.compile_bindings(node)
                self.compile_tail(node.body)
            elif self.fn.loops and self.fn.loops[-1].mode != RET:
                # A tail position of a loop whose value goes to a variable or nowhere.
                if cls is core.Call and self.compile_jump(node):
                    return
                loop = self.fn.loops[-1]
                if loop.mode == INTO:
                    self.emit(self.assign(loop.target, self.compile_value(node)))
                else:
                    self.compile_stmt(node)
                self.emit(("Break", self.P))
            elif cls is core.Call and _is_call_with_values(node):
                self.compile_tail_values_call(node)
            elif cls is core.Call and _is_case_lambda(node):
                self.emit(self.ret(self.compile_value(node)))
            elif cls is core.Call:
                self.compile_tail_call(node)
            elif cls is core.PrimCall and _is_call_with_values(node):
                self.compile_tail_values_call(node)
            elif cls is core.PrimCall and node.name == "apply" and len(node.args) >= 1:
                args = self.compile_args(node.args)
                self.fn.returns_tail = True
                self.emit(self.ret(self.call_named("_apply_tail", *args)))
            else:
                value = self.compile_value(node)
                self.emit(self.ret(value))

    def compile_stmt(self, node: core.Node) -> None:
        """Emit statements for the node's effects; its value is discarded."""
        cls = node.__class__
        with self.at(node):
            if cls is core.Const or cls is core.LRef:
                return
            if cls is core.If:
                if _if_chain_length(node) > 12:
                    self.emit(("Expr", self.P, self.hoist(node)))
                    return
                cond = self.compile_test(node.test)
                P = self.P
                with self.capture() as then_body:
                    self.compile_stmt(node.then)
                with self.capture() as else_body:
                    self.compile_stmt(node.else_)
                if not then_body and not else_body:
                    self.emit(("Expr", P, cond))
                    return
                self.emit(("If", P, cond, then_body or [("Pass", P)], else_body))
            elif cls is core.Seq:
                for n in node.nodes:
                    self.compile_stmt(n)
            elif cls is core.Letrec and (named := _contifiable(node)) is not None:
                self.compile_loop(named, STMT, None, False)
            elif cls is core.Let or cls is core.Letrec:
                self.compile_bindings(node)
                self.compile_stmt(node.body)
            elif cls is core.LSet:
                self.compile_lset(node)
            elif cls is core.GSet:
                self.compile_gset(node)
            else:
                value = self.compile_value(node)
                self.emit(("Expr", self.P, value))

    def compile_value(self, node: core.Node) -> tuple:
        """A Python expression for the node's value; may emit statements first."""
        cls = node.__class__
        if cls is core.Const:
            return self.const(node.value)
        if cls is core.LRef:
            return self.name(self.var_name(node.var))
        if cls is core.GRef:
            if node.loc is None:
                return self.attr(self.name(self.global_ref(node.cell)), "value")
            saved = self.P
            self.P = self.position(node.loc)
            expr = self.attr(self.name(self.global_ref(node.cell)), "value")
            self.P = saved
            return expr
        # `with self.at(node):` written out: this is the compiler's hottest path and a
        # generator-based context manager costs about a tenth of its time.
        saved_loc, saved_p = self.loc, self.P
        if node.loc is not None:
            self.loc = node.loc
            self.P = self.position(node.loc)
        try:
            self.depth += 1
            try:
                expr = self._compile_value(node, cls)
            finally:
                self.depth -= 1
            if self.depth > MAX_EXPR_DEPTH and not _is_atomic(expr):
                t = self.temp()
                self.emit(self.assign(t, expr))
                return self.name(t)
            return expr
        finally:
            self.loc, self.P = saved_loc, saved_p

    def _compile_value(self, node: core.Node, cls: type) -> tuple:
        if cls is core.Call:
            if _is_case_lambda(node):
                return self.call_named("_case_lambda", *self.compile_args(node.args))
            fn = self.compile_callee(node.fn)
            args = self.compile_args(node.args, [fn])
            fn = args.pop(0)
            return self.call(fn, args)
        if cls is core.PrimCall:
            return self.compile_primcall(node)
        if cls is core.If:
            chain = _if_chain_length(node)
            if chain > 12:
                if chain > 60:
                    return self.hoist(node)
                # A long cond/case as a value: nested if-statements that assign one temporary
                # (no nested function made and called at every evaluation, no TailCalls).
                t = self.temp()
                self.compile_into(node, t)
                return self.name(t)
            cond = self.compile_test(node.test)
            with self.capture() as then_body:
                then = self.compile_value(node.then)
            with self.capture() as else_body:
                else_ = self.compile_value(node.else_)
            P = self.P
            if not then_body and not else_body:
                return ("IfE", P, cond, then, else_)
            t = self.temp()
            then_body.append(self.assign(t, then))
            else_body.append(self.assign(t, else_))
            self.emit(("If", P, cond, then_body, else_body))
            return self.name(t)
        if cls is core.Seq:
            for n in node.nodes[:-1]:
                self.compile_stmt(n)
            return self.compile_value(node.nodes[-1])
        if cls is core.Letrec and (named := _contifiable(node)) is not None:
            t = self.temp()
            self.compile_loop(named, INTO, t, False)
            return self.name(t)
        if cls is core.Let or cls is core.Letrec:
            self.compile_bindings(node)
            return self.compile_value(node.body)
        if cls is core.LSet:
            self.compile_lset(node)
            return self.name("_UNSPEC")
        if cls is core.GSet:
            self.compile_gset(node)
            return self.name("_UNSPEC")
        if cls is core.Lambda:
            return self.name(self.compile_lambda(node))
        raise TypeError(f"cannot compile {cls.__name__}")

    def compile_into(self, node: core.Node, target: str) -> None:
        """Emit statements that assign the node's value to the local ``target``."""
        cls = node.__class__
        with self.at(node):
            if cls is core.If:
                cond = self.compile_test(node.test)
                P = self.P
                with self.capture() as then_body:
                    self.compile_into(node.then, target)
                with self.capture() as else_body:
                    self.compile_into(node.else_, target)
                self.emit(("If", P, cond, then_body, else_body))
            elif cls is core.Seq:
                for n in node.nodes[:-1]:
                    self.compile_stmt(n)
                self.compile_into(node.nodes[-1], target)
            elif cls is core.Letrec and (named := _contifiable(node)) is not None:
                self.compile_loop(named, INTO, target, False)
            elif cls is core.Let or cls is core.Letrec:
                self.compile_bindings(node)
                self.compile_into(node.body, target)
            else:
                self.emit(self.assign(target, self.compile_value(node)))

    def compile_callee(self, node: core.Node) -> tuple:
        """The procedure of a call.  A variable or literal there is marked with a position
        at the call that has an end column, so an error report can tell which value was applied."""
        cls = node.__class__
        if cls is core.LRef or cls is core.GRef or cls is core.Const:
            saved = self.P
            self.P = self.position(self.loc, callee=True)
            try:
                if cls is core.GRef:
                    return self.attr(self.name(self.global_ref(node.cell)), "value")
                return self.compile_value(node)
            finally:
                self.P = saved
        return self.compile_value(node)

    def hoist(self, node: core.Node) -> tuple:
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
        parent.body.append(self.make_def(name, [], [], None, fb))
        return self.call_named("_run_tail", self.call_named(name))

    def compile_args(self, nodes: list, prefix: list | None = None, one: bool = True) -> list[tuple]:
        """Compile arguments left to right, keeping that order when a later one needs statements;
        with ``one``, each gives one value (the first of several)."""
        out = list(prefix or [])
        fn = self.fn
        for n in nodes:
            # `with self.capture() as lines:` written out (hot path, see compile_value)
            saved, lines = fn.body, []
            fn.body = lines
            try:
                expr = self.compile_value(n)
                if one and _may_be_multi(n):
                    expr = self.first_value(expr)
            finally:
                fn.body = saved
            if lines:
                # The statements run before the call: earlier arguments are computed first (a
                # Scheme variable too, which they may assign: `(cons (begin (set! n 1) n) (begin
                # (set! n 10) n))` is (1 . 10)).
                for i, prev in enumerate(out):
                    if not _is_atomic(prev) or (prev[0] == "N" and prev[2] in self.scheme_names):
                        t = self.temp()
                        self.emit(self.assign(t, prev))
                        out[i] = self.name(t)
                fn.body.extend(lines)
            out.append(expr)
        return out

    def first_value(self, expr: tuple) -> tuple:
        """``expr`` where one value is expected: several values give their first (as in Guile),
        none is an error."""
        return ("1", self.P, self.temp(), expr)

    def compile_one(self, node: core.Node) -> tuple:
        """The node's value in a context that takes exactly one value."""
        expr = self.compile_value(node)
        return self.first_value(expr) if _may_be_multi(node) else expr

    def compile_test(self, node: core.Node) -> tuple:
        """A Python condition that is true when the node's value is not #f."""
        if node.__class__ is core.PrimCall and node.name in _BOOLEAN_PRIMS:
            if node.name == "not" and len(node.args) == 1:
                inner = node.args[0]
                if inner.__class__ is core.PrimCall and inner.name in _BOOLEAN_PRIMS:
                    return ("Not", self.P, self.compile_test(inner))
            return self.compile_value(node)
        if node.__class__ is core.Const:
            return ("C", self.P, node.value is not False)
        if node.__class__ is core.Call and node.fn.__class__ is core.Const and node.fn.value is case_match \
                and len(node.args) == 2 and node.args[1].__class__ is core.Const \
                and node.args[0].__class__ is core.LRef:
            return self.case_test(self.compile_value(node.args[0]), node.args[1].value)
        expr = self.compile_one(node)
        return self.is_(expr, ("C", self.P, False), negate=True)

    def case_test(self, key: tuple, data: tuple) -> tuple:
        """The test of a ``case`` clause (eqv? of the key and one of the literal ``data``) without
        a call: identity for a few interned data (symbols, characters, keywords, booleans, '()),
        class check plus set membership for many, class check plus ``==`` for fixnums; other
        data (strings, flonums, ...) keep the generic matcher."""
        P = self.P
        tests: list[tuple] = []
        rest = []
        groups: dict[type, list] = {}
        for d in data:
            cls = d.__class__
            if d is True or d is False or d is NIL:
                tests.append(self.is_(key, self.const(d) if cls is bool else self.name("_NIL")))
            elif cls is Symbol or cls is Char or cls is Keyword or cls is int:
                groups.setdefault(cls, []).append(d)
            else:
                rest.append(d)
        for cls, items in groups.items():
            if cls is not int and len(items) <= 3:
                tests.extend(self.is_(key, self.const(d)) for d in items)
                continue
            cls_name = self.const_name(cls)
            if len(items) == 1:
                member = ("Cmp", P, key, "==", self.const(items[0]))
            else:
                member = ("Cmp", P, key, "in", self.name(self.const_name(frozenset(items))))
            tests.append(("And", P, [self.class_is(key, cls_name), member]))
        if rest:
            tests.append(self.call(self.const(case_match), [key, self.const(tuple(rest))]))
        if not tests:
            return ("C", P, False)
        return tests[0] if len(tests) == 1 else ("Or", P, tests)

    # ================================================================ variables
    def global_ref(self, cell: Any) -> str:
        """The name of the unit global whose ``.value`` reads the global ``cell``.

        A top-level reference means the binding its module has when the code runs (Guile looks
        it up at the first execution).  A name the module imports can still be defined by the
        module afterwards (a file's own ``fold`` written after the procedures that call it), so
        such a reference goes through a ``_LateRef`` that looks the name up at its first
        execution and then replaces itself by the cell it found: later executions read the cell
        directly, at no extra cost."""
        module = self.module
        if module is None or cell.module is None:
            return self.const_name(cell)
        name = cell.name
        if cell.module is module:
            # The module's own binding, made by a `define` not run yet (`(define delete (wrap
            # delete))`): until it runs, the name still means what the module imports.
            if hasattr(cell, "value"):
                return self.const_name(cell)
            if module.table.get(name) is not cell:
                return self.const_name(cell)  # a hygienically renamed definition
            imported = _imported(module, name)
            if imported is None:
                return self.const_name(cell)
            cell = imported
        elif name in module.table or not self.imports_as_named(module, cell):
            return self.const_name(cell)  # a binding of the module itself, or one imported under another name
        key = (module, cell)
        pyname = self.late_refs.get(key)
        if pyname is None:
            ref = _LateRef(self.namespace, module, cell)
            pyname = ref.key = self.const_name(ref)
            self.late_refs[key] = pyname
        return pyname

    def imports_as_named(self, module: Any, cell: Any) -> bool:
        """Does ``module`` see ``cell`` under the cell's own name (through its imports)?  Cached
        while the module's imports stay the same."""
        key = (module, cell)
        known = self.import_cache.get(key)
        if known is not None and known[0] == len(module.imports):
            return known[1]
        answer = module.lookup(cell.name) is cell
        self.import_cache[key] = (len(module.imports), answer)
        return answer

    def compile_lset(self, node: core.LSet) -> None:
        value = self.compile_one(node.value)
        name = self.var_name(node.var)
        if node.var.owner is not self.fn:
            self.fn.nonlocals.add(name)
        self.emit(self.assign(name, value))

    def compile_gset(self, node: core.GSet) -> None:
        if node.define and node.value.__class__ is core.Lambda:
            # A top-level procedure's self tail calls become a loop, as Guile does for
            # declarative definitions.
            value = self.name(self.compile_lambda(node.value, self_var=node.cell))
        else:
            value = self.compile_one(node.value)
        cell = self.const_name(node.cell)
        P = self.P
        if not node.define:
            self.emit(("Expr", P, self.call_named("_check_bound", self.name(cell))))
        self.emit(("=", P, ("AS", P, self.name(cell), "value"), value))

    def compile_bindings(self, node: core.Node) -> None:
        if node.__class__ is core.Let:
            values = self.compile_args(node.inits)
            for var, value in zip(node.vars, values):
                self.emit(self.assign(self.bind_var(var), value))
            return
        for var in node.vars:
            self.bind_var(var)
        # Procedures that never return a TailCall, to a fixed point: one whose tail calls go
        # only to procedures already known to be such is one too (the chain of direct calls
        # this makes is as long as the group at most, since a cycle never gets in).
        candidates = [(var, init) for var, init in zip(node.vars, node.inits)
                      if init.__class__ is core.Lambda and not var.mutated]
        while candidates:
            found = [(var, init) for var, init in candidates
                     if not _may_return_tail(init, var, self.direct_vars)]
            if not found:
                break
            self.direct_vars.update(var for var, _ in found)
            candidates = [c for c in candidates if c[0] not in self.direct_vars]
        for var, init in zip(node.vars, node.inits):
            if init.__class__ is core.Lambda and not var.mutated:
                value = self.name(self.compile_lambda(init, self_var=var))
            else:
                value = self.compile_one(init)
            self.emit(self.assign(self.var_name(var), value))

    # ================================================================ calls
    def compile_loop(self, named: tuple, mode: int, target: str | None, parent_tail: bool) -> None:
        """A contified named let (see _Loop): its parameters become locals of this function
        and its body the body of a `while True` loop."""
        var, lam, entry = named
        args = self.compile_args(entry.args)
        params = [self.bind_var(v) for v in lam.params]
        P = self.P
        self.assign_params(params, args)
        loop = _Loop(var, params, mode, target, parent_tail,
                     self.temp() if parent_tail and mode != RET else None)
        loops = self.fn.loops
        loops.append(loop)
        try:
            with self.capture() as body:
                with self.at(lam):
                    self.compile_tail(lam.body)
        finally:
            loops.pop()
        if loop.jumps_out and loop.flag is not None:
            self.emit(self.assign(loop.flag, ("C", P, False)))
        self.emit(("While", P, ("C", P, True), body))
        if parent_tail:
            # The loop was left by `break`: a jump to the loop below (continue it), or, in
            # modes INTO and STMT, the end of this loop's value (leave the loop below too).
            if mode == RET:
                if loop.jumps_out:
                    self.emit(("Continue", P))
            else:
                if loop.jumps_out:
                    self.emit(("If", P, self.name(loop.flag), [("Continue", P)], []))
                self.emit(("Break", P))

    def assign_params(self, params: list[str], args: list[tuple]) -> None:
        P = self.P
        if len(params) == 1:
            self.emit(self.assign(params[0], args[0]))
        elif params:
            self.emit(("=", P, ("TS", P, params), ("T", P, args)))

    def compile_jump(self, node: core.Call) -> bool:
        """A tail call of a loop being compiled (see _Loop): assign its parameters and jump.
        False, emitting nothing, when the callee is not such a loop."""
        loops = self.fn.loops
        if not loops:
            return False
        top = loops[-1]
        n = len(node.args)
        if _is_ref_to(node.fn, top.var) and n == len(top.params):
            target = top
        elif len(loops) > 1 and top.parent_tail and _is_ref_to(node.fn, loops[-2].var) \
                and n == len(loops[-2].params):
            target = loops[-2]
        else:
            return False
        self.assign_params(target.params, self.compile_args(node.args))
        P = self.P
        if target is top:
            self.emit(("Continue", P))
        else:
            top.jumps_out = True
            if top.flag is not None:
                self.emit(self.assign(top.flag, ("C", P, True)))
            self.emit(("Break", P))
        return True

    def compile_tail_call(self, node: core.Call) -> None:
        fb = self.fn
        if self.compile_jump(node):
            return
        fn = self.compile_callee(node.fn)
        args = self.compile_args(node.args, [fn])
        fn = args.pop(0)
        if fb.parent is None or (node.fn.__class__ is core.LRef and node.fn.var in self.direct_vars):
            # A callee known never to return a tail call (a local procedure whose tail
            # positions hold no calls but its own loop) is called directly: the frame it adds
            # is gone when it returns, so the stack stays bounded without a TailCall object.
            # A top-level form calls directly: its frame then stays in tracebacks, so an error
            # in the last call of a file is located in that file.
            self.emit(self.ret(self.call(fn, args)))
            return
        fb.returns_tail = True
        if node.fn.__class__ is core.GRef:
            self.compile_global_tail_call(fn, args)
            return
        self.emit(self.ret(self.tail_call(fn, args)))

    def tail_call(self, fn: tuple, args: list[tuple] | tuple) -> tuple:
        """A TailCall of ``fn`` (``args``: a list of argument expressions, or one expression
        giving their tuple): ``(_TCM, fn, (args...))``, see runtime.control.TailCall."""
        P = self.P
        return ("T", P, [self.name("_TCM"), fn, ("T", P, args) if isinstance(args, list) else args])

    def compile_global_tail_call(self, fn: tuple, args: list[tuple]) -> None:
        """A tail call of a global variable's procedure: called directly when it is one that
        never returns a TailCall (no trampoline of its own: its frame is gone when it returns,
        so the stack stays bounded), else returned as a TailCall.  Which it is, is found at the
        first call and kept per call site with the procedure it was found for, so a
        redefinition of the variable is seen at once (the identity test fails)::

            if f is SITE.fn: return f(args)
            if f is SITE.tc: return (_TCM, f, (args))
            return _tail_site(SITE, f, (args))
        """
        P = self.P
        f = self.temp()
        self.emit(self.assign(f, fn))
        vals = []
        for a in args:
            if _is_atomic(a):
                vals.append(a)
            else:
                t = self.temp()
                self.emit(self.assign(t, a))
                vals.append(self.name(t))
        site = self.name(self.const_name(_TailSite()))
        fname = self.name(f)
        self.emit(("If", P, self.is_(fname, self.attr(site, "fn")), [self.ret(self.call(fname, vals))], []))
        self.emit(("If", P, self.is_(fname, self.attr(site, "tc")),
                   [self.ret(self.tail_call(fname, vals))], []))
        self.emit(self.ret(self.call_named("_tail_site", site, fname, ("T", P, vals))))

    def compile_tail_values_call(self, node: core.Node) -> None:
        """``(call-with-values producer consumer)`` in tail position: the consumer is called in
        tail position too (``receive``, ``let-values`` loops run in constant stack)."""
        producer, consumer = node.args
        if producer.__class__ is core.Lambda and not (producer.params or producer.optionals or producer.rest
                                                      or producer.keys):
            vals = self.compile_value(producer.body)  # the thunk's body, run here
        else:
            vals = self.call(self.compile_value(producer), [])
        t = self.temp()
        self.emit(self.assign(t, vals))
        fn = self.compile_value(consumer)
        P = self.P
        args = ("IfE", P, self.class_is(self.name(t), "_Values"), self.name(t), ("T", P, [self.name(t)]))
        if self.fn.parent is None:
            self.emit(self.ret(self.call(fn, [("*", P, args)])))
            return
        self.fn.returns_tail = True
        self.emit(self.ret(self.tail_call(fn, args)))

    def compile_primcall(self, node: core.PrimCall) -> tuple:
        inline = _INLINE.get(node.name)
        if inline is not None and self.file_defines and node.fn_node.__class__ is core.GRef \
                and node.fn_node.cell.name in self.file_defines:
            inline = None
        if inline is not None:
            result = inline(self, node)
            if result is not None:
                return result
        fn = self.compile_value(node.fn_node)
        args = self.compile_args(node.args)
        return self.call(fn, args)

    def atomic_args(self, node: core.PrimCall, one: bool = True) -> list[tuple]:
        """Arguments as names or literals that can be evaluated twice (``one``: see compile_args)."""
        out = []
        for a in self.compile_args(node.args, one=one):
            if _is_atomic(a):
                out.append(a)
            else:
                t = self.temp()
                self.emit(self.assign(t, a))
                out.append(self.name(t))
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
            optionals = [self.bind_var(v) for v, _ in lam.optionals]
            rest_name = None
            if lam.rest is not None or lam.keys:
                rest_name = self.bind_var(lam.rest) if lam.rest is not None else f"_rest_{next(self.def_ids)}"
            with self.at(lam):
                for (_v, default), name in zip(lam.optionals, optionals):
                    self.compile_default(name, default)
                if lam.keys:
                    knames = [self.bind_var(v) for _, v, _ in lam.keys]
                    kws = self.const(tuple(k for k, _, _ in lam.keys))
                    P = self.P
                    parse = self.call_named("_parse_kw", ("C", P, lam.name or "lambda*"), self.name(rest_name),
                                            kws, ("C", P, bool(lam.allow_other_keys)), ("C", P, lam.rest is not None))
                    self.emit(("=", P, ("TS", P, knames), parse))
                    for (_, _var, default), name in zip(lam.keys, knames):
                        self.compile_default(name, default)
                if lam.rest is not None:
                    self.emit(self.assign(rest_name, self.call_named("_mklist", self.name(rest_name))))
            loopable = (self_var is not None and not lam.optionals and not lam.keys and lam.rest is None
                        and not _captures_locals(lam))
            if loopable and _has_self_tail_call(lam.body, self_var, len(params)):
                fb.loops.append(_Loop(self_var, params, RET, None, False))
                P = self.P
                with self.capture() as loop_body:
                    self.compile_tail(lam.body)
                self.emit(("While", P, ("C", P, True), loop_body))
            else:
                self.compile_tail(lam.body)
        finally:
            self.fn = parent
            self.depth = saved_depth
        name = lam.name or "lambda"
        did = next(self.def_ids)
        pyname = _pyname(name, "f", did)
        formals = _formals_text(lam)
        with self.at(lam):
            if fb.returns_tail:
                body_name = _pyname(name, "b", did)
                self.fn_info[body_name] = (name, formals, lam.loc, None)
                parent.body.append(self.make_def(body_name, params, optionals, rest_name, fb))
                entry = FunctionBuilder(parent, None)
                entry.body = self.trampoline(body_name, [*params, *optionals], rest_name)
                parent.body.append(self.make_def(pyname, params, optionals, rest_name, entry))
                P = self.P
                parent.body.append(("=", P, ("AS", P, self.name(pyname), "_body"), self.name(body_name)))
            else:
                parent.body.append(self.make_def(pyname, params, optionals, rest_name, fb))
        self.fn_info[pyname] = (name, formals, lam.loc, lam.doc)
        return pyname

    def compile_default(self, name: str, default: core.Node | None) -> None:
        """``if NAME is _UNDEF: NAME = DEFAULT`` (an optional or keyword argument not given)."""
        P = self.P
        with self.capture() as body:
            value = self.compile_one(default) if default is not None else ("C", P, False)
            body.append(self.assign(name, value))
        self.emit(("If", P, self.is_(self.name(name), self.name("_UNDEF")), body, []))

    def trampoline(self, body_name: str, params: list[str], rest: str | None) -> list[tuple]:
        """The entry of a procedure whose body returns tail calls: run them until a value comes.

            r = BODY(params...)
            while r.__class__ is tuple and r and r[0] is _TCM:
                f = r[1]; r = getattr(f, '_body', f)(*r[2])
            return r
        """
        return [("Tramp", self.P, body_name, params, rest)]


def _unit_filename(node: core.Node) -> str:
    """The file a top-level form comes from: where its first located node is."""
    stack = [node]
    while stack:
        n = stack.pop()
        loc = getattr(n, "loc", None)
        if loc is not None:
            return str(loc.filename)
        stack.extend(reversed(_children(n)))
    return "<schemy>"


def _formals_text(lam: core.Lambda) -> str:
    if lam.formals is not None:
        return lam.formals
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
    """Variables bound by ``lam`` itself (params and lets in its body, not in nested lambdas;
    those of named lets contified into it included)."""
    out = set(lam.params)
    stack = [lam.body]
    while stack:
        n = stack.pop()
        cls = n.__class__
        if cls is core.Lambda:
            continue
        if cls is core.Let or cls is core.Letrec:
            out.update(n.vars)
            if cls is core.Letrec and (named := _contifiable(n)) is not None:
                out.update(named[1].params)
                stack.append(named[1].body)
                stack.extend(named[2].args)
                continue
        stack.extend(_children(n))
    return out


def _nested_lambdas(lam: core.Lambda) -> list:
    """The lambdas in ``lam``'s body that become Python functions of their own (not those of
    contified named lets, whose bodies are part of ``lam``'s function), outermost only."""
    stack = [lam.body]
    nested = []
    while stack:
        n = stack.pop()
        cls = n.__class__
        if cls is core.Lambda:
            nested.append(n)
            continue
        if cls is core.Letrec and (named := _contifiable(n)) is not None:
            stack.append(named[1].body)
            stack.extend(named[2].args)
            continue
        stack.extend(_children(n))
    return nested


def _closure_cycle(node: core.Letrec) -> bool:
    """True when ``node`` binds only procedures, at least one of which calls one of them (a
    cycle of closures through their cells), and none of them can run once the body is left:
    every reference to them is a call, from the body or from their own bodies, never from
    another lambda (which might be kept and called later) and never in a tail position of
    the body (a trampolined tail call runs after the body's frame is gone)."""
    mine = set(node.vars)
    if any(v.mutated for v in node.vars) or any(i.__class__ is not core.Lambda for i in node.inits):
        return False

    def calls_only(root: core.Node, top: core.Lambda | None) -> bool | None:
        """Whether ``root`` calls one of ``mine``; None when it refers to one otherwise."""
        found = False
        stack = [root]
        while stack:
            n = stack.pop()
            cls = n.__class__
            if cls is core.Call and n.fn.__class__ is core.LRef and n.fn.var in mine:
                found = True
                stack.extend(n.args)
                continue
            if cls is core.LRef and n.var in mine:
                return None
            if cls is core.Letrec and (named := _contifiable(n)) is not None:
                stack.append(named[1].body)  # a loop compiled inline, not a closure
                stack.extend(n.inits[1:])
                stack.append(n.body)
                continue
            if cls is core.Lambda and n is not top:
                inner = [n]
                while inner:
                    m = inner.pop()
                    if m.__class__ is core.LRef and m.var in mine:
                        return None
                    inner.extend(_children(m))
                continue
            stack.extend(_children(n))
        return found

    cyclic = False
    for init in node.inits:
        r = calls_only(init, init)
        if r is None:
            return False
        cyclic = cyclic or r
    if not cyclic or calls_only(node.body, None) is None:
        return False
    for leaf, _ in _tail_leaves(node.body, []):
        if leaf.__class__ is core.Call and leaf.fn.__class__ is core.LRef and leaf.fn.var in mine:
            return False
    return True


def _captures_locals(lam: core.Lambda) -> bool:
    """True when a nested lambda refers to a variable bound by ``lam`` (loops would share it)."""
    mine = _bound_here(lam)
    for nl in _nested_lambdas(lam):
        inner = [nl]
        while inner:
            n = inner.pop()
            if (n.__class__ is core.LRef or n.__class__ is core.LSet) and n.var in mine:
                return True
            inner.extend(_children(n))
    return False


# ---------------------------------------------------------------- contification of named lets

def _named_let(node: core.Letrec) -> tuple | None:
    """``(var, lambda, entry call)`` when ``node`` is a named let: ``(letrec ((v (lambda (p ...)
    body))) (v arg ...))`` with fixed parameters, as many arguments, and ``v`` never assigned."""
    if len(node.vars) != 1:
        return None
    var, lam, entry = node.vars[0], node.inits[0], node.body
    if lam.__class__ is not core.Lambda or var.mutated or entry.__class__ is not core.Call \
            or entry.fn.__class__ is not core.LRef or entry.fn.var is not var:
        return None
    if lam.optionals or lam.keys or lam.rest is not None or len(entry.args) != len(lam.params):
        return None
    return var, lam, entry


# id(Letrec node) -> (node, its named-let triple or None); reset per top-level form
_CONTIFIED: dict[int, tuple] = {}


def _contifiable(node: core.Letrec) -> tuple | None:
    """The named-let triple of ``node`` when it can be compiled as a loop of the enclosing
    function (see _Loop): every reference to its name is a call that becomes a jump (from a
    tail position of its body, or of a contified named let right in such a position), and no
    nested lambda refers to a variable its body binds (a Python loop reuses its locals, where
    each Scheme iteration binds new ones)."""
    known = _CONTIFIED.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    named = _named_let(node)
    if named is not None:
        var, lam, entry = named
        arity = len(lam.params)
        jumps = sum(1 for leaf, loops in _tail_leaves(lam.body, [(var, arity)])
                    if leaf.__class__ is core.Call and _jump_target(leaf, loops) is var)
        if jumps != _count_refs(lam.body, var) or any(_count_refs(a, var) for a in entry.args) \
                or _captures_locals(lam):
            named = None
    _CONTIFIED[id(node)] = (node, named)
    return named


def _tail_leaves(node: core.Node, loops: list) -> Iterator[tuple]:
    """The tail positions of ``node`` as the compiler reaches them (through if, begin, let and
    the bodies of contified named lets), each with the loops it is in: ``(var, arity)`` pairs,
    innermost last, each in a tail position of the one before."""
    stack = [(node, loops)]
    while stack:
        n, ls = stack.pop()
        cls = n.__class__
        if cls is core.If:
            stack.append((n.then, ls))
            stack.append((n.else_, ls))
        elif cls is core.Seq:
            stack.append((n.nodes[-1], ls))
        elif cls is core.Letrec and (named := _contifiable(n)) is not None:
            stack.append((named[1].body, [*ls, (named[0], len(named[1].params))]))
        elif cls is core.Let or cls is core.Letrec:
            stack.append((n.body, ls))
        else:
            yield n, ls


def _jump_target(call: core.Call, loops: list) -> Any:
    """The loop variable a tail call in ``loops`` jumps to (the innermost loop, or the one
    below it), as Compiler.compile_jump decides; None for an ordinary call."""
    fn, n = call.fn, len(call.args)
    if loops:
        var, arity = loops[-1]
        if var is not None and _is_ref_to(fn, var) and n == arity:
            return var
        if len(loops) > 1:
            var, arity = loops[-2]
            if var is not None and _is_ref_to(fn, var) and n == arity:
                return var
    return None


def _count_refs(node: core.Node, var: Any) -> int:
    """How many times ``node`` refers to the local ``var`` (nested lambdas included)."""
    count = 0
    stack = [node]
    while stack:
        n = stack.pop()
        cls = n.__class__
        if (cls is core.LRef or cls is core.LSet) and n.var is var:
            count += 1
        stack.extend(_children(n))
    return count


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


def _may_return_tail(lam: core.Lambda, var: Any, direct: set | frozenset = frozenset()) -> bool:
    """Can the compiled ``lam`` (bound to ``var``) return a TailCall?  Conservative: any call in
    tail position but a jump of a loop (a self call, a call of a contified named let), a call
    of a local procedure in ``direct`` (known never to return one), ``apply`` or
    ``call-with-values`` there."""
    loopable = (not lam.optionals and not lam.keys and lam.rest is None and not _captures_locals(lam))
    base = [(var, len(lam.params))] if loopable else []
    for node, loops in _tail_leaves(lam.body, base):
        cls = node.__class__
        if cls is core.Call:
            if _is_case_lambda(node):
                continue
            if node.fn.__class__ is core.LRef and node.fn.var in direct and node.fn.var is not var:
                continue
            if _jump_target(node, loops) is None or _is_call_with_values(node):
                return True
        elif cls is core.PrimCall:
            if _is_call_with_values(node) or node.name == "apply":
                return True
    return False


def _has_self_tail_call(node: core.Node, var: Any, arity: int) -> bool:
    """Does ``node`` (a procedure's body) call ``var`` (the procedure) from a tail position
    that becomes a jump of its loop?"""
    return any(leaf.__class__ is core.Call and _jump_target(leaf, loops) is var
               for leaf, loops in _tail_leaves(node, [(var, arity)]))


# ---------------------------------------------------------------- inline primitives


def _num_tests(c: Compiler, args: list[tuple], classes: tuple[str, ...]) -> list[tuple] | None:
    """Tests that every non-literal of ``args`` is an instance of one of ``classes`` (exactly,
    by ``__class__``: bool is not int); None when a literal is of another class."""
    tests = []
    for x in args:
        if x[0] == "C":
            if x[2].__class__.__name__ not in classes:
                return None
            continue
        checks = [c.class_is(x, cls) for cls in classes]
        tests.append(checks[0] if len(checks) == 1 else ("Or", c.P, checks))
    return tests


def _guarded(c: Compiler, tests: list[tuple], fast: tuple, slow: tuple) -> tuple:
    if not tests:
        return fast
    return ("IfE", c.P, tests[0] if len(tests) == 1 else ("And", c.P, tests), fast, slow)


def _num_binop(op: str, prim: str, kind: str = "mixed") -> Any:
    """Inline a two-argument arithmetic operation or comparison on Python numbers.

    ``kind`` says when Python's operator computes what Scheme's does: "mixed" for any mix of
    ints and floats (comparisons are exact in Python, and ``+``/``-`` of an int and a float is
    inexact in both), "same" when both are ints or both are floats (a bignum times a float
    overflows in Python where Scheme gives an infinity), "float" for two floats with a non-zero
    divisor.  Anything else (rationals, wrong types) takes the primitive."""
    def inline(c: Compiler, node: core.PrimCall) -> tuple | None:
        args = node.args
        if len(args) > 2 and prim in ("+", "-", "*"):  # (+ a b c) = (+ (+ a b) c)
            node = core.PrimCall(node.name, [core.PrimCall(node.name, args[:-1], node.fn_node, node.loc), args[-1]],
                                 node.fn_node, node.loc)
        elif len(args) == 1 and prim == "-":
            multi = _may_be_multi(args[0])
            (a,) = c.atomic_args(node, one=not multi)
            fn = _one_value_args(c.prim_fn(prim)) if multi else c.prim_fn(prim)
            tests = _num_tests(c, [a], ("int", "float"))
            if tests is None:
                return None
            return _guarded(c, tests, ("Neg", c.P, a), c.call(c.const(fn), [a]))
        if len(node.args) != 2:
            return None
        # Several values from an argument are not numbers: the general path cuts them to one.
        multi = any(_may_be_multi(n) for n in node.args)
        a, b = c.atomic_args(node, one=not multi)
        P = c.P
        fast = ("Cmp" if op in _COMPARISONS else "Bin", P, a, op, b)
        fn = _one_value_args(c.prim_fn(prim)) if multi else c.prim_fn(prim)
        slow = c.call(c.const(fn), [a, b])
        if kind == "mixed":
            tests = _num_tests(c, [a, b], ("int", "float"))
            return None if tests is None else _guarded(c, tests, fast, slow)
        expr = slow
        for cls in (("float",) if kind == "float" else ("float", "int")):
            tests = _num_tests(c, [a, b], (cls,))
            if tests is None:
                continue
            if kind == "float":
                tests.append(("Cmp", P, b, "!=", ("C", P, 0.0)))
            expr = _guarded(c, tests, fast, expr)
        return expr

    return inline


def _int_division(op: str, prim: str) -> Any:
    """quotient/remainder/modulo of two ints where Python's ``//``/``%`` agree with Scheme's:
    a non-negative dividend (any for modulo) and a positive divisor."""
    def inline(c: Compiler, node: core.PrimCall) -> tuple | None:
        if len(node.args) != 2:
            return None
        multi = any(_may_be_multi(n) for n in node.args)
        a, b = c.atomic_args(node, one=not multi)
        tests = _num_tests(c, [a, b], ("int",))
        if tests is None:
            return None
        P = c.P
        tests.append(("Cmp", P, b, ">", ("C", P, 0)))
        if prim != "modulo":
            tests.append(("Cmp", P, a, ">=", ("C", P, 0)))
        fn = _one_value_args(c.prim_fn(prim)) if multi else c.prim_fn(prim)
        return _guarded(c, tests, ("Bin", P, a, op, b), c.call(c.const(fn), [a, b]))

    return inline


def _num_predicate(prim: str, build: Any, classes: tuple[str, ...] = ("int", "float")) -> Any:
    def inline(c: Compiler, node: core.PrimCall) -> tuple | None:
        if len(node.args) != 1:
            return None
        multi = _may_be_multi(node.args[0])
        (a,) = c.atomic_args(node, one=not multi)
        tests = _num_tests(c, [a], classes)
        if tests is None:
            return None
        fn = _one_value_args(c.prim_fn(prim)) if multi else c.prim_fn(prim)
        return _guarded(c, tests, build(c.P, a), c.call(c.const(fn), [a]))

    return inline


def _vector_ref(c: Compiler, node: core.PrimCall) -> tuple | None:
    if len(node.args) != 2:
        return None
    multi = any(_may_be_multi(n) for n in node.args)
    v, i = c.atomic_args(node, one=not multi)
    P = c.P
    tests = [c.class_is(v, "list"), c.class_is(i, "int"), ("Cmp", P, i, ">=", ("C", P, 0)),
             ("Cmp", P, i, "<", c.call_named("len", v))]
    fn = _one_value_args(c.prim_fn("vector-ref")) if multi else c.prim_fn("vector-ref")
    return _guarded(c, tests, ("Sub", P, v, i), c.call(c.const(fn), [v, i]))


def _vector_set(c: Compiler, node: core.PrimCall) -> tuple | None:
    if len(node.args) != 3:
        return None
    multi = any(_may_be_multi(n) for n in node.args)
    v, i, x = c.atomic_args(node, one=not multi)
    P = c.P
    tests = [c.class_is(v, "list"), c.class_is(i, "int"), ("Cmp", P, i, ">=", ("C", P, 0)),
             ("Cmp", P, i, "<", c.call_named("len", v))]
    fn = _one_value_args(c.prim_fn("vector-set!")) if multi else c.prim_fn("vector-set!")
    # `v.__setitem__(i, x)` is None, so `... or _UNSPEC` is the value vector-set! returns.
    store = ("Or", P, [c.call(c.attr(v, "__setitem__"), [i, x]), c.name("_UNSPEC")])
    return _guarded(c, tests, store, c.call(c.const(fn), [v, i, x]))


def _vector_length(c: Compiler, node: core.PrimCall) -> tuple | None:
    if len(node.args) != 1:
        return None
    multi = _may_be_multi(node.args[0])
    (v,) = c.atomic_args(node, one=not multi)
    fn = _one_value_args(c.prim_fn("vector-length")) if multi else c.prim_fn("vector-length")
    return _guarded(c, [c.class_is(v, "list")], c.call_named("len", v), c.call(c.const(fn), [v]))


def _char_compare(op: str, prim: str) -> Any:
    """Characters are interned ``Char``s: char=? is identity, the orders compare their text."""
    def inline(c: Compiler, node: core.PrimCall) -> tuple | None:
        if len(node.args) != 2:
            return None
        multi = any(_may_be_multi(n) for n in node.args)
        a, b = c.atomic_args(node, one=not multi)
        P = c.P
        fast = c.is_(a, b) if op == "==" else ("Cmp", P, c.attr(a, "ch"), op, c.attr(b, "ch"))
        fn = _one_value_args(c.prim_fn(prim)) if multi else c.prim_fn(prim)
        return _guarded(c, [c.class_is(a, "_Char"), c.class_is(b, "_Char")], fast, c.call(c.const(fn), [a, b]))

    return inline


_COMPARISONS = {"<", ">", "<=", ">=", "=="}


def _type_test(build: Any) -> Any:
    def inline(c: Compiler, node: core.PrimCall) -> tuple | None:
        if len(node.args) != 1:
            return None
        (a,) = c.atomic_args(node)
        return build(c, a)

    return inline


def _accessor(field: str, prim: str) -> Any:
    def inline(c: Compiler, node: core.PrimCall) -> tuple | None:
        if len(node.args) != 1:
            return None
        multi = _may_be_multi(node.args[0])
        (a,) = c.atomic_args(node, one=not multi)
        fn = _one_value_args(c.prim_fn(prim)) if multi else c.prim_fn(prim)
        return ("IfE", c.P, c.class_is(a, "_Pair"), c.attr(a, field), c.call(c.const(fn), [a]))

    return inline


def _cxr(name: str) -> Any:
    """c[ad]{2,3}r: the chain of fields when every step is a pair, else the primitive."""
    path = name[1:-1][::-1]

    def inline(c: Compiler, node: core.PrimCall) -> tuple | None:
        if len(node.args) != 1:
            return None
        multi = _may_be_multi(node.args[0])
        (a,) = c.atomic_args(node, one=not multi)
        tests = []
        v = a
        for op in path:
            tests.append(c.class_is(v, "_Pair"))
            v = c.attr(v, "car" if op == "a" else "cdr")
        fn = _one_value_args(c.prim_fn(name)) if multi else c.prim_fn(name)
        return _guarded(c, tests, v, c.call(c.const(fn), [a]))

    return inline


def _cons_inline(c: Compiler, node: core.PrimCall) -> tuple | None:
    if len(node.args) != 2:
        return None
    return c.call_named("_mkpair", *c.compile_args(node.args))


def _list_inline(c: Compiler, node: core.PrimCall) -> tuple | None:
    """``(list a b ...)`` of a few arguments: the pairs built in place, arguments evaluated left
    to right as before (``list`` cannot fail)."""
    if len(node.args) > 8:
        return None
    result = c.name("_NIL")
    for arg in reversed(c.compile_args(node.args)):
        result = c.call_named("_mkpair", arg, result)
    return result


def _eq_inline(c: Compiler, node: core.PrimCall) -> tuple | None:
    """eq?: identity, except that equal fixnums are eq? (see equality.is_eq)."""
    if len(node.args) != 2:
        return None
    consts = [n for n in node.args if n.__class__ is core.Const]
    if consts and not isinstance(consts[0].value, (int, float, Fraction, complex)):
        a, b = c.compile_args(node.args)  # identity is exactly eq? against a non-number
        return c.is_(a, b)
    a, b = c.atomic_args(node)
    P = c.P
    return ("Or", P, [c.is_(a, b), ("And", P, [c.class_is(a, "int"), c.class_is(b, "int"),
                                                ("Cmp", P, a, "==", b)])])


def _eqv_inline(c: Compiler, node: core.PrimCall) -> tuple | None:
    """eqv?: identity, or the primitive when the first is a number (only numbers are eqv? without
    being the same object: see equality.is_eqv)."""
    if len(node.args) != 2:
        return None
    a, b = c.atomic_args(node)
    P = c.P
    numeric = c.name(c.const_name(_EQV_NUMERIC))
    return ("Or", P, [c.is_(a, b), ("And", P, [("Cmp", P, c.attr(a, "__class__"), "in", numeric),
                                                c.call(c.const(c.prim_fn("eqv?")), [a, b])])])


_EQV_NUMERIC = frozenset({int, float, Fraction, complex})


_INLINE: dict[str, Any] = {
    "+": _num_binop("+", "+"),
    "-": _num_binop("-", "-"),
    "*": _num_binop("*", "*", "same"),
    "/": _num_binop("/", "/", "float"),
    "<": _num_binop("<", "<"),
    ">": _num_binop(">", ">"),
    "<=": _num_binop("<=", "<="),
    ">=": _num_binop(">=", ">="),
    "=": _num_binop("==", "="),
    "quotient": _int_division("//", "quotient"),
    "remainder": _int_division("%", "remainder"),
    "modulo": _int_division("%", "modulo"),
    "zero?": _num_predicate("zero?", lambda P, a: ("Cmp", P, a, "==", ("C", P, 0))),
    "positive?": _num_predicate("positive?", lambda P, a: ("Cmp", P, a, ">", ("C", P, 0))),
    "negative?": _num_predicate("negative?", lambda P, a: ("Cmp", P, a, "<", ("C", P, 0))),
    "even?": _num_predicate("even?", lambda P, a: ("Cmp", P, ("Bin", P, a, "%", ("C", P, 2)), "==", ("C", P, 0)),
                            ("int",)),
    "odd?": _num_predicate("odd?", lambda P, a: ("Cmp", P, ("Bin", P, a, "%", ("C", P, 2)), "==", ("C", P, 1)),
                           ("int",)),
    "vector-ref": _vector_ref,
    "vector-set!": _vector_set,
    "vector-length": _vector_length,
    "char=?": _char_compare("==", "char=?"),
    "char<?": _char_compare("<", "char<?"),
    "char>?": _char_compare(">", "char>?"),
    "char<=?": _char_compare("<=", "char<=?"),
    "char>=?": _char_compare(">=", "char>=?"),
    "null?": _type_test(lambda c, a: c.is_(a, c.name("_NIL"))),
    "pair?": _type_test(lambda c, a: c.class_is(a, "_Pair")),
    "eof-object?": _type_test(lambda c, a: c.is_(a, c.name("_EOF"))),
    "symbol?": _type_test(lambda c, a: c.class_is(a, "_Symbol")),
    "char?": _type_test(lambda c, a: c.class_is(a, "_Char")),
    "vector?": _type_test(lambda c, a: c.class_is(a, "list")),
    "not": _type_test(lambda c, a: c.is_(a, ("C", c.P, False))),
    "car": _accessor("car", "car"),
    "cdr": _accessor("cdr", "cdr"),
    "cons": _cons_inline,
    "list": _list_inline,
    **{name: _cxr(name) for name in ("caar", "cadr", "cdar", "cddr", "caddr", "cdddr", "caadr", "cddar", "cdadr")},
    "eq?": _eq_inline,
    "eqv?": _eqv_inline,
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


_ONE_VALUE_WRAPPERS: dict[Any, Any] = {}


def _one_value_args(prim: Any) -> Any:
    """``prim`` taking the first of several values an argument may be (the general path of an
    inlined primitive whose argument is a call)."""
    fn = _ONE_VALUE_WRAPPERS.get(prim)
    if fn is None:
        def fn(*args: Any) -> Any:
            return prim(*[_first_value(a) if a.__class__ is Values else a for a in args])

        fn.scheme_name = getattr(prim, "scheme_name", getattr(prim, "__name__", "procedure"))  # type: ignore[attr-defined]
        _ONE_VALUE_WRAPPERS[prim] = fn
    return fn


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

    def __init__(self, namespace: dict, module: Any, cell: Any) -> None:
        super().__init__(cell.name, module)
        self.namespace = namespace
        self.key = ""  # its name in the namespace
        self.cell = cell

    @property
    def value(self) -> Any:
        own = self.module.table.get(self.cell.name)
        if own is None:
            self.namespace[self.key] = self.cell
            return self.cell.value
        if (own.__class__ is Cell or own.__class__ is LazyCell) and hasattr(own, "value"):  # a LazyCell is made
            self.namespace[self.key] = own
            return own.value
        # Being defined right now (`(define fold (wrap fold))` reads the import): not settled.
        return self.cell.value


def _imported(module: Any, name: Any) -> Any:
    """The cell ``module`` imports as ``name``, or None."""
    for iface in reversed(module.imports):
        b = iface.mapping().get(name)
        if b is not None:
            return b if b.__class__ is Cell or b.__class__ is LazyCell else None
    return None


class _TailSite:
    """What one tail call site of a global procedure found (see Compiler.compile_global_tail_call):
    ``fn`` the procedure last seen there that is called directly, ``tc`` the one last seen
    that has a trampoline of its own (so is returned as a TailCall)."""

    __slots__ = ("fn", "tc")

    def __init__(self) -> None:
        self.fn = self.tc = None


_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType)


def _tail_site(site: _TailSite, f: Any, args: tuple) -> Any:
    """The first tail call at ``site`` of ``f`` (or the first after the variable changed): a
    Python function without a trampoline (``_body``) is called at once, anything else (a
    trampolined procedure, a callable object, a non-procedure) goes back as a TailCall to the
    caller's trampoline, as before."""
    if f.__class__ in _FUNCTION_TYPES and getattr(f, "_body", None) is None:
        site.fn = f
        return f(*args)
    if getattr(f, "_body", None) is not None:
        site.tc = f
    return TailCall(f, args)


def _check_bound(cell: Any) -> None:
    if not hasattr(cell, "value"):
        from schemy.lang.errors import scheme_error

        raise scheme_error(f"{cell.name.name}: unbound variable (set! before define)", kind="unbound-variable")


def _mklist(items: tuple) -> Any:
    result: Any = NIL
    for x in reversed(items):
        result = make_pair(x, result)
    return result


_RUNTIME_NAMES = {
    "_TCM": TAIL_CALL,
    "_Pair": Pair,
    "_mkpair": make_pair,
    "_Char": Char,
    "_Symbol": Symbol,
    "_EOF": EOF_OBJECT,
    "_NIL": NIL,
    "_UNSPEC": UNSPECIFIED,
    "_UNDEF": UNDEFINED,
    "_mklist": _mklist,
    "_parse_kw": parse_keywords,
    "_apply_tail": apply_tail,
    "_run_tail": run_tail,
    "_check_bound": _check_bound,
    "_tail_site": _tail_site,
    "_Values": Values,
    "_first_value": _first_value,
    "_case_lambda": _case_lambda,
}
