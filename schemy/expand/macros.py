"""Hygienic macros: ``syntax-rules``, ``syntax-case`` and their helpers.

Both share one pattern matcher.  Templates rename every identifier they
insert (see ``schemy.lang.syntax``); one *invocation* of a transformer renames a
given identifier to the same ``Ident`` everywhere, so ``#'tmp`` in two
templates of one expansion means one binding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemy.expand.forms import form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import NIL, UNSPECIFIED, Pair, Symbol, make_list, make_pair
from schemy.lang.errors import SchemeError
from schemy.lang.syntax import (
    Ident,
    Macro,
    PatternVar,
    Scope,
    Var,
    free_identifier_eq,
    fresh_mark,
    identifier_symbol,
    is_identifier,
    resolve,
    strip,
)

if TYPE_CHECKING:
    from schemy.expand.expander import Expander

ELLIPSIS = Symbol("...")
UNDERSCORE = Symbol("_")


class Invocation:
    """One call of a transformer: where the macro was used and the renames made so far."""

    __slots__ = ("use_env", "mark")

    def __init__(self, use_env: Scope | None) -> None:
        self.use_env = use_env
        self.mark = fresh_mark()

    def rename(self, ident: Any, env: Scope) -> Ident:
        return Ident(ident, env, self.mark)


_invocations: list[Invocation] = []


def current_invocation() -> Invocation:
    return _invocations[-1] if _invocations else Invocation(None)


class MatchFail(Exception):
    pass


# ====================================================================== matching


def _is_ellipsis(x: Any, ellipsis: Any) -> bool:
    return is_identifier(x) and identifier_symbol(x) is ellipsis


def pattern_vars(pattern: Any, literals: list, ellipsis: Any, depth: int = 0, out: dict | None = None) -> dict:
    """Pattern variable identifier -> ellipsis depth, in order of appearance."""
    if out is None:
        out = {}
    if is_identifier(pattern):
        if pattern in literals or identifier_symbol(pattern) is UNDERSCORE or _is_ellipsis(pattern, ellipsis):
            return out
        out[pattern] = depth
    elif pattern.__class__ is Pair:
        p = pattern
        while p.__class__ is Pair:
            if p.cdr.__class__ is Pair and _is_ellipsis(p.cdr.car, ellipsis):
                pattern_vars(p.car, literals, ellipsis, depth + 1, out)
                p = p.cdr.cdr
            else:
                pattern_vars(p.car, literals, ellipsis, depth, out)
                p = p.cdr
        if p is not NIL:
            pattern_vars(p, literals, ellipsis, depth, out)
    elif pattern.__class__ is list:
        pattern_vars(make_list(pattern), literals, ellipsis, depth, out)
    return out


def match(pattern: Any, form: Any, literals: list, ellipsis: Any, binds: dict, literal_eq: Any) -> bool:
    """Match ``form`` against ``pattern``, filling ``binds`` (pattern var -> value)."""
    if is_identifier(pattern):
        if pattern in literals:
            return is_identifier(form) and literal_eq(form, pattern)
        if identifier_symbol(pattern) is UNDERSCORE:
            return True
        binds[pattern] = form
        return True
    if pattern.__class__ is Pair:
        p, f = pattern, form
        while p.__class__ is Pair:
            if p.cdr.__class__ is Pair and _is_ellipsis(p.cdr.car, ellipsis):
                tail = p.cdr.cdr
                min_tail = 0
                t = tail
                while t.__class__ is Pair:
                    min_tail += 1
                    t = t.cdr
                items = []
                g = f
                while g.__class__ is Pair:
                    items.append(g)
                    g = g.cdr
                n = len(items) - min_tail
                if n < 0:
                    return False
                sub_vars = pattern_vars(p.car, literals, ellipsis)
                seqs: dict = {v: [] for v in sub_vars}
                for i in range(n):
                    b: dict = {}
                    if not match(p.car, items[i].car, literals, ellipsis, b, literal_eq):
                        return False
                    for v in sub_vars:
                        seqs[v].append(b.get(v))
                binds.update(seqs)
                f = items[n] if n < len(items) else g
                p = tail
                continue
            if f.__class__ is not Pair:
                return False
            if not match(p.car, f.car, literals, ellipsis, binds, literal_eq):
                return False
            p, f = p.cdr, f.cdr
        if p is NIL:
            return f is NIL
        return match(p, f, literals, ellipsis, binds, literal_eq)
    if pattern is NIL:
        return form is NIL
    if pattern.__class__ is list:
        if form.__class__ is not list:
            return False
        return match(make_list(pattern), make_list(form), literals, ellipsis, binds, literal_eq)
    from schemy.runtime.primitives.equality import is_equal

    return is_equal(strip(form), pattern)


# ====================================================================== templates


def instantiate(tmpl: Any, binds: dict, depths: dict, ellipsis: Any, rename: Any, loc: Any) -> Any:
    """Build the output of a template: pattern variables substituted, other identifiers renamed."""
    if is_identifier(tmpl):
        if tmpl in binds:
            if depths.get(tmpl, 0) != 0:
                raise syntax_error("pattern variable used without ellipsis", strip(tmpl))
            return binds[tmpl]
        return rename(tmpl)
    if tmpl.__class__ is Pair:
        # (... ...) escapes the ellipsis.
        if _is_ellipsis(tmpl.car, ellipsis) and tmpl.cdr.__class__ is Pair:
            return instantiate(tmpl.cdr.car, binds, depths, None, rename, loc)
        out: list = []
        t = tmpl
        while t.__class__ is Pair:
            elem = t.car
            t = t.cdr
            depth = 0
            while ellipsis is not None and t.__class__ is Pair and _is_ellipsis(t.car, ellipsis):
                depth += 1
                t = t.cdr
            if depth == 0:
                out.append(instantiate(elem, binds, depths, ellipsis, rename, loc))
            else:
                out.extend(_expand_ellipsis(elem, depth, binds, depths, ellipsis, rename, loc))
        tail = NIL if t is NIL else instantiate(t, binds, depths, ellipsis, rename, loc)
        result = tail
        for x in reversed(out):
            result = make_pair(x, result, loc)
        return result
    if tmpl.__class__ is list:
        return form_list_to_vector(instantiate(make_list(tmpl), binds, depths, ellipsis, rename, loc))
    return tmpl


def form_list_to_vector(x: Any) -> list:
    return list(x) if x is not NIL else []


def _expand_ellipsis(elem: Any, depth: int, binds: dict, depths: dict, ellipsis: Any, rename: Any,
                     loc: Any) -> list:
    vars_in = [v for v in _template_vars(elem, binds, ellipsis) if depths.get(v, 0) > 0]
    if not vars_in:
        raise syntax_error("no pattern variables before ellipsis in template", strip(elem))
    results = []
    iter_vars = [v for v in vars_in if depths[v] >= 1]
    lengths = {len(binds[v]) for v in iter_vars if binds[v] is not None}
    if len(lengths) > 1:
        raise syntax_error("pattern variables under one ellipsis matched different lengths", strip(elem))
    n = lengths.pop() if lengths else 0
    for i in range(n):
        b = dict(binds)
        d = dict(depths)
        for v in iter_vars:
            b[v] = binds[v][i]
            d[v] = depths[v] - 1
        if depth > 1:
            results.extend(_expand_ellipsis(elem, depth - 1, b, d, ellipsis, rename, loc))
        else:
            results.append(instantiate(elem, b, d, ellipsis, rename, loc))
    return results


def _template_vars(tmpl: Any, binds: dict, ellipsis: Any, out: list | None = None) -> list:
    if out is None:
        out = []
    if is_identifier(tmpl):
        if tmpl in binds and tmpl not in out:
            out.append(tmpl)
    elif tmpl.__class__ is Pair:
        t = tmpl
        while t.__class__ is Pair:
            _template_vars(t.car, binds, ellipsis, out)
            t = t.cdr
        if t is not NIL:
            _template_vars(t, binds, ellipsis, out)
    elif tmpl.__class__ is list:
        for e in tmpl:
            _template_vars(e, binds, ellipsis, out)
    return out


# ====================================================================== syntax-rules


class SyntaxRules:
    """A ``syntax-rules`` transformer; called by the expander with the use form."""

    def __init__(self, literals: list, rules: list, ellipsis: Any) -> None:
        self.literals = literals
        self.rules = rules
        self.ellipsis = ellipsis

    def __call__(self, ex: Expander, form: Pair, use_env: Scope, def_env: Scope) -> Any:
        literal_eq = lambda f, lit: free_identifier_eq(f, use_env, lit, def_env)  # noqa: E731
        for pattern, template in self.rules:
            binds: dict = {}
            # The keyword position is ignored, as R7RS says.
            if pattern.__class__ is Pair and form.__class__ is Pair:
                ok = match(pattern.cdr, form.cdr, self.literals, self.ellipsis, binds, literal_eq)
            else:
                ok = False
            if ok:
                depths = pattern_vars(pattern.cdr, self.literals, self.ellipsis)
                mark = fresh_mark()
                return instantiate(template, binds, depths, self.ellipsis,
                                   lambda ident, mark=mark: Ident(ident, def_env, mark), form.loc)
        raise syntax_error(f"no matching syntax rule for {identifier_symbol(form.car).name}", form,
                           hint="check the number and shape of the macro's arguments")

    def __scheme_repr__(self, write: bool) -> str:
        return "#<syntax-rules>"


@special("syntax-rules")
def _syntax_rules(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad syntax-rules", form)
    ellipsis = ELLIPSIS
    rest = parts[1:]
    if is_identifier(rest[0]):
        ellipsis = identifier_symbol(rest[0])
        rest = rest[1:]
    literals = form_list(rest[0], "literals")
    if any(identifier_symbol(lit) is ellipsis for lit in literals):
        ellipsis = None
    rules = []
    for r in rest[1:]:
        if r.__class__ is str:  # Guile allows a docstring
            continue
        items = form_list(r, "syntax rule")
        if len(items) != 2:
            raise syntax_error("bad syntax rule", r if isinstance(r, Pair) else form)
        rules.append((items[0], items[1]))
    return core.Const(SyntaxRules(literals, rules, ellipsis), form.loc)


# ====================================================================== syntax-case


def call_procedural_transformer(ex: Expander, macro: Macro, form: Pair, env: Scope) -> Any:
    _invocations.append(Invocation(env))
    try:
        return macro.transformer(form)
    finally:
        _invocations.pop()


def sc_match(form: Any, pattern: Any, literals: list, lit_env: Scope, var_order: tuple, ellipsis: Any) -> Any:
    inv = current_invocation()
    if inv.use_env is not None:
        literal_eq = lambda f, lit: free_identifier_eq(f, inv.use_env, lit, lit_env)  # noqa: E731
    else:
        literal_eq = lambda f, lit: identifier_symbol(f) is identifier_symbol(lit)  # noqa: E731
    binds: dict = {}
    if not match(pattern, form, literals, ellipsis, binds, literal_eq):
        return False
    return [binds.get(v) for v in var_order]


def sc_build(template: Any, env: Scope, var_idents: tuple, var_depths: tuple, ellipsis: Any, *values: Any) -> Any:
    inv = current_invocation()
    binds = dict(zip(var_idents, values))
    depths = dict(zip(var_idents, var_depths))
    return instantiate(template, binds, depths, ellipsis, lambda ident: inv.rename(ident, env), None)


@special("syntax-case")
def _syntax_case(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad syntax-case", form)
    literals = form_list(parts[2], "literals")
    ellipsis = ELLIPSIS
    if any(identifier_symbol(lit) is ELLIPSIS for lit in literals):
        ellipsis = None
    tmp = Var(Symbol("x"))
    node: core.Node = core.Call(core.Const(_no_match), [core.LRef(tmp)], form.loc)
    for clause in reversed(parts[3:]):
        items = form_list(clause, "syntax-case clause")
        if len(items) not in (2, 3):
            raise syntax_error("bad syntax-case clause", clause if isinstance(clause, Pair) else form)
        pattern = items[0]
        pvars = pattern_vars(pattern, literals, ellipsis)
        order = tuple(pvars)
        scope = Scope(env)
        vars_ = []
        for ident, depth in pvars.items():
            v = Var(identifier_symbol(ident))
            scope.bind(ident, PatternVar(v, depth))
            vars_.append(v)
        m = Var(Symbol("m"))
        body = ex.expand(items[-1], scope)
        next_k = Var(Symbol("next"))
        fail = core.Call(core.LRef(next_k), [], form.loc)
        if len(items) == 3:
            body = core.If(ex.expand(items[1], scope), body, fail, form.loc)
        getters = [core.Call(core.Const(_nth), [core.LRef(m), core.Const(i)]) for i in range(len(vars_))]
        bound = core.Let(vars_, getters, body, form.loc) if vars_ else body
        test = core.Call(core.Const(sc_match), [core.LRef(tmp), core.Const(pattern), core.Const(literals),
                                               core.Const(env), core.Const(order), core.Const(ellipsis)],
                         form.loc)
        clause_node = core.Let([m], [test], core.If(core.LRef(m), bound, fail, form.loc), form.loc)
        node = core.Let([next_k], [core.Lambda([], None, node, "syntax-case-next")], clause_node, form.loc)
    return core.Let([tmp], [ex.expand(parts[1], env)], node, form.loc)


def _nth(lst: list, i: int) -> Any:
    return lst[i]


def _no_match(x: Any) -> Any:
    raise syntax_error("source expression failed to match any pattern", strip(x))


@special("syntax")
def _syntax(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) != 2:
        raise syntax_error("bad syntax form", form)
    template = parts[1]
    idents: list = []
    depths: list = []
    vars_: list = []

    def collect(t: Any) -> None:
        if is_identifier(t):
            if t in idents:
                return
            b, _ = resolve(t, env)
            if b.__class__ is PatternVar:
                idents.append(t)
                depths.append(b.depth)
                vars_.append(b.var)
        elif t.__class__ is Pair:
            while t.__class__ is Pair:
                collect(t.car)
                t = t.cdr
            if t is not NIL:
                collect(t)
        elif t.__class__ is list:
            for e in t:
                collect(e)

    collect(template)
    if not idents and not _has_identifiers(template):
        return core.Const(template, form.loc)
    args = [core.Const(template), core.Const(env), core.Const(tuple(idents)), core.Const(tuple(depths)),
            core.Const(ELLIPSIS)] + [core.LRef(v) for v in vars_]
    return core.Call(core.Const(sc_build), args, form.loc)


def _has_identifiers(t: Any) -> bool:
    if is_identifier(t):
        return True
    if t.__class__ is Pair:
        return any(_has_identifiers(e) for e in _walk(t))
    if t.__class__ is list:
        return any(_has_identifiers(e) for e in t)
    return False


def _walk(t: Pair) -> list:
    out = []
    while t.__class__ is Pair:
        out.append(t.car)
        t = t.cdr
    if t is not NIL:
        out.append(t)
    return out


def _core_id(ex: Expander, name: str) -> Ident:
    return Ident(Symbol(name), ex.interp.core_scope)


@special("with-syntax")
def _with_syntax(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad with-syntax", form)
    bindings = [form_list(b, "with-syntax binding") for b in form_list(parts[1], "bindings")]
    pats = make_list([b[0] for b in bindings])
    exprs = make_list([b[1] for b in bindings])
    body = make_pair(_core_id(ex, "let"), make_pair(NIL, make_list(parts[2:])), form.loc)
    rewritten = make_list([_core_id(ex, "syntax-case"), make_pair(_core_id(ex, "list"), exprs), NIL,
                           make_list([pats, body])])
    rewritten.loc = form.loc
    return ex.expand(rewritten, env)


@special("quasisyntax")
def _quasisyntax(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) != 2:
        raise syntax_error("bad quasisyntax", form)
    bindings: list = []

    def walk(t: Any, depth: int) -> Any:
        if t.__class__ is Pair:
            head = t.car
            if is_identifier(head) and identifier_symbol(head).name in ("unsyntax", "unsyntax-splicing") \
                    and t.cdr.__class__ is Pair:
                if depth == 0:
                    tmp = Ident(Symbol("qs"), ex.interp.core_scope)
                    if identifier_symbol(head).name == "unsyntax":
                        bindings.append((tmp, t.cdr.car))
                        return tmp
                    bindings.append((make_list([tmp, Symbol("...")]), t.cdr.car))
                    return _Splice(tmp)
                return make_pair(head, walk(t.cdr, depth - 1), t.loc)
            if is_identifier(head) and identifier_symbol(head).name == "quasisyntax":
                return make_pair(head, walk(t.cdr, depth + 1), t.loc)
            out = []
            while t.__class__ is Pair:
                w = walk(t.car, depth)
                if isinstance(w, _Splice):
                    out += [w.ident, Symbol("...")]
                else:
                    out.append(w)
                t = t.cdr
            return make_list(out, walk(t, depth) if t is not NIL else NIL)
        if t.__class__ is list:
            return list(walk(make_list(t), depth))
        return t

    template = walk(parts[1], 0)
    syntax_form = make_list([_core_id(ex, "syntax"), template])
    if not bindings:
        return ex.expand(syntax_form, env)
    rewritten = make_list([_core_id(ex, "with-syntax"), make_list([make_list([p, e]) for p, e in bindings]),
                           syntax_form])
    rewritten.loc = form.loc
    return ex.expand(rewritten, env)


class _Splice:
    __slots__ = ("ident",)

    def __init__(self, ident: Any) -> None:
        self.ident = ident


@special("define-macro", "defmacro")
def _define_macro(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """Guile's non-hygienic ``(define-macro (name . args) body...)``."""
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad define-macro", form)
    if parts[1].__class__ is Pair:
        name, formals, body = parts[1].car, parts[1].cdr, parts[2:]
    else:
        name, formals, body = parts[1], parts[2], parts[3:]
    lam = ex.make_lambda(formals, body, env, form, name=identifier_symbol(name).name)
    proc = ex.interp.run_node(lam, env)

    def transformer(ex2: Expander, use: Pair, use_env: Scope, def_env: Scope) -> Any:
        return proc(*form_list(strip(use.cdr)))

    macro = Macro(transformer, env, name=identifier_symbol(name).name)
    if env.parent is None:
        env.module.define_macro(identifier_symbol(name), macro)
    else:
        env.bind(name, macro)
    return core.Const(UNSPECIFIED, form.loc)


# -- procedures over syntax objects ----------------------------------------------------------


def datum_to_syntax(ctx: Any, datum: Any) -> Any:
    if ctx.__class__ is not Ident:
        return datum
    env, mark = ctx.env, ctx.mark

    def conv(x: Any) -> Any:
        if x.__class__ is Symbol:
            return Ident(x, env, mark)
        if x.__class__ is Pair:
            out = []
            while x.__class__ is Pair:
                out.append(conv(x.car))
                x = x.cdr
            return make_list(out, conv(x) if x is not NIL else NIL)
        if x.__class__ is list:
            return [conv(e) for e in x]
        return x

    return conv(datum)


def generate_temporaries(lst: Any) -> Any:
    from schemy.runtime import world

    cs = world.current().core_scope
    return make_list([Ident(Symbol("t"), cs) for _ in form_list(lst)])


def bound_identifier_eq(a: Any, b: Any) -> bool:
    return a is b


def free_identifier_eq_proc(a: Any, b: Any) -> bool:
    inv = current_invocation()
    if inv.use_env is None:
        return identifier_symbol(a) is identifier_symbol(b)
    return free_identifier_eq(a, inv.use_env, b, inv.use_env)


def syntax_violation(who: Any, message: Any, form: Any = False, subform: Any = False) -> Any:
    from schemy.runtime import world

    target = subform if subform is not False else form
    loc = getattr(target, "loc", None) or getattr(form, "loc", None) or \
        world.current().expander.current_loc()
    err = syntax_error(str(message), strip(target) if target is not False else None, loc=loc)
    raise err


def syntax_location(form: Any) -> Any:
    """The source location of a form (an opaque object), or #f."""
    loc = getattr(form, "loc", None)
    return loc if loc is not None else False


def syntax_source(form: Any) -> Any:
    """Guile's ``syntax-source``: an alist with filename, line (from 0) and column, or #f."""
    loc = getattr(form, "loc", None)
    if loc is None:
        return False
    return make_list([make_pair(Symbol("filename"), loc.filename), make_pair(Symbol("line"), loc.line - 1),
                      make_pair(Symbol("column"), loc.column)])


SYNTAX_PRIMITIVES = {
    "%syntax-location": syntax_location,
    "syntax-source": syntax_source,
    "syntax->datum": strip,
    "datum->syntax": datum_to_syntax,
    "identifier?": is_identifier,
    "generate-temporaries": generate_temporaries,
    "bound-identifier=?": bound_identifier_eq,
    "free-identifier=?": free_identifier_eq_proc,
    "syntax-violation": syntax_violation,
}

__all__ = ["SyntaxRules", "SchemeError", "SYNTAX_PRIMITIVES"]
