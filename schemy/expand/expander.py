"""The expander: datums (with source locations) -> core nodes (``schemy.lang.core``).

Special forms are registered in ``SPECIAL_FORMS`` by ``@special("name")``,
each a small function next to the shape it accepts.  Derived forms produce
core nodes directly where that is simple (``and``, ``cond``, named ``let``)
and refer to runtime helpers as constants, so user bindings can never
capture them.  ``syntax-rules`` and ``syntax-case`` live in
``schemy.expand.macros``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemy.expand.forms import SPECIAL_FORMS, form_list, special, syntax_error  # noqa: E402,F401
from schemy.lang import core
from schemy.lang.datum import (
    NIL,
    UNSPECIFIED,
    Keyword,
    MString,
    Pair,
    SourceLocation,
    Symbol,
    make_list,
    make_pair,
)
from schemy.lang.syntax import (
    Ident,
    Macro,
    PatternVar,
    Scope,
    SpecialForm,
    Var,
    identifier_symbol,
    is_identifier,
    resolve,
    strip,
)


class Expander:
    """Expands forms in the context of an interpreter (needed to run transformers)."""

    def __init__(self, interp: Any) -> None:
        self.interp = interp
        self.loc_stack: list[SourceLocation | None] = []
        # Files read by expansion (`include`): a form that reads one is never replayed by the
        # module cache (schemy.eval.module_cache), whose key does not cover the file.
        self.files_read = 0
        # A procedure with #:optional and #:key is rewritten into an outer procedure and an
        # inner lambda* (see _optionals_then_keys): inner lambda* forms being expanded, and
        # outer Lambda -> inner Lambda, so naming the outer (define*) names the inner too.
        self._inner_forms: set[int] = set()
        self._inner_made: list[core.Lambda] = []
        self._inner_of: dict[int, core.Lambda] = {}

    # ------------------------------------------------------------ entry points
    def expand(self, x: Any, env: Scope) -> core.Node:
        cls = x.__class__
        if cls is Symbol or cls is Ident:
            return self.expand_identifier(x, env)
        if cls is Pair:
            return self.expand_pair(x, env)
        if cls is list:
            return core.Const(strip(x))  # vectors are self-evaluating in Guile 3
        if x is NIL:
            raise syntax_error("missing procedure expression in ()", None, self.current_loc(),
                               hint="write '() for the empty list")
        if cls is MString:
            return core.Const(str(x))
        return core.Const(x)

    def current_loc(self) -> SourceLocation | None:
        for loc in reversed(self.loc_stack):
            if loc is not None:
                return loc
        return None

    def expand_identifier(self, x: Any, env: Scope) -> core.Node:
        b, module = resolve(x, env)
        loc = self.current_loc()
        if b is None:
            cell = module.ensure_cell(identifier_symbol(x))
            return core.GRef(cell, loc)
        if b.__class__ is Var:
            return core.LRef(b, loc)
        if b.__class__ is PatternVar:
            raise syntax_error("pattern variable used outside syntax template", strip(x), loc)
        if b.__class__ is Macro and b.procedural:
            # An identifier macro: the transformer receives the bare identifier.
            return self.expand(self.apply_macro(b, x, env), env)
        if isinstance(b, (Macro, SpecialForm)):
            raise syntax_error("bad use of syntactic keyword", strip(x), loc,
                               hint="a macro or special form cannot be used as a value")
        return core.GRef(b, loc)  # a Cell

    def expand_pair(self, x: Pair, env: Scope) -> core.Node:
        loc = x.loc
        self.loc_stack.append(loc or self.current_loc())
        try:
            head = x.car
            if is_identifier(head):
                b, _ = resolve(head, env)
                if b.__class__ is SpecialForm:
                    return b.expand(self, x, env)
                if b.__class__ is Macro:
                    return self.expand(self.apply_macro(b, x, env), env)
            fn = self.expand(head, env)
            args = [self.expand(a, env) for a in form_list(x.cdr, "procedure call")]
            return self.make_call(fn, args, loc or self.current_loc())
        finally:
            self.loc_stack.pop()

    def make_call(self, fn: core.Node, args: list, loc: SourceLocation | None) -> core.Node:
        if fn.__class__ is core.GRef:
            prim = getattr(fn.cell, "primitive", None)
            if prim is not None and fn.cell.bound and fn.cell.value is prim[1]:
                return core.PrimCall(prim[0], args, fn, loc)
        return core.Call(fn, args, loc)

    def apply_macro(self, macro: Macro, form: Any, env: Scope) -> Any:
        from schemy.expand.macros import call_procedural_transformer

        if macro.procedural:
            result = call_procedural_transformer(self, macro, form, env)
        else:
            result = macro.transformer(self, form, env, macro.env)
        if isinstance(result, Pair) and result.loc is None and isinstance(form, Pair):
            result.loc = form.loc
        return result

    def macroexpand_head(self, x: Any, env: Scope) -> Any:
        """Expand macro uses at the head of ``x`` until it is not a macro use (for bodies)."""
        while x.__class__ is Pair and is_identifier(x.car):
            b, _ = resolve(x.car, env)
            if b.__class__ is not Macro:
                break
            self.loc_stack.append(x.loc or self.current_loc())
            try:
                x = self.apply_macro(b, x, env)
            finally:
                self.loc_stack.pop()
        return x

    def head_binding(self, x: Any, env: Scope) -> Any:
        if x.__class__ is Pair and is_identifier(x.car):
            b, _ = resolve(x.car, env)
            return b
        return None

    def is_special(self, x: Any, env: Scope, name: str) -> bool:
        b = self.head_binding(x, env)
        return b.__class__ is SpecialForm and b.name == name

    # ------------------------------------------------------------ bodies
    def expand_body(self, forms: list, env: Scope, loc: SourceLocation | None = None) -> core.Node:
        """A lambda/let body: internal definitions (also after expressions, as in Guile 3)."""
        scope = Scope(env)
        items: list[tuple[str, Any, Any]] = []  # ("def", var, form) | ("expr", None, form)
        queue = list(forms)
        defined: list[Var] = []
        while queue:
            form = self.macroexpand_head(queue.pop(0), scope)
            b = self.head_binding(form, scope)
            if b.__class__ is SpecialForm:
                name = b.name
                if name == "begin":
                    queue[:0] = form_list(form.cdr)
                    continue
                if name in ("define", "define*", "define-public"):
                    ident, value_form = self.parse_define(form, star=(name == "define*"))
                    var = Var(identifier_symbol(ident))
                    scope.bind(ident, var)
                    defined.append(var)
                    items.append(("def", var, value_form))
                    continue
                if name == "define-values":
                    queue[:0] = [self.rewrite_define_values(form, scope)]
                    continue
                if name == "match-define":
                    from schemy.expand.match import rewrite_match_define

                    queue[:0] = [rewrite_match_define(self, form)]
                    continue
                if name in ("define-syntax", "define-syntax-rule"):
                    self.loc_stack.append(form.loc)
                    try:
                        self.define_syntax(form, scope, None)
                    finally:
                        self.loc_stack.pop()
                    continue
                if name == "define-record-type":
                    queue[:0] = form_list(self.rewrite_record_type(form).cdr)
                    continue
            items.append(("expr", None, form))
        if not items:
            raise syntax_error("empty body", None, loc or self.current_loc())
        if items[-1][0] == "def":
            items.append(("const", None, UNSPECIFIED))
        if not defined:
            nodes = [self.expand(f, scope) if kind == "expr" else core.Const(f) for kind, _, f in items]
            return nodes[0] if len(nodes) == 1 else core.Seq(nodes, loc)
        # Definitions first then expressions: a letrec* with inits; otherwise assignments in order.
        first_expr = next(i for i, it in enumerate(items) if it[0] != "def")
        if all(it[0] != "def" for it in items[first_expr:]):
            inits = []
            for _kind, var, f in items[:first_expr]:
                inits.append(self.expand_named(f, scope, var.name.name))
            body_nodes = [self.expand(f, scope) if kind == "expr" else core.Const(f)
                          for kind, _, f in items[first_expr:]]
            body = body_nodes[0] if len(body_nodes) == 1 else core.Seq(body_nodes, loc)
            return core.Letrec(defined, inits, body, loc)
        nodes = []
        for kind, var, f in items:
            if kind == "def":
                var.mutated = True
                nodes.append(core.LSet(var, self.expand_named(f, scope, var.name.name), loc))
            elif kind == "expr":
                nodes.append(self.expand(f, scope))
            else:
                nodes.append(core.Const(f))
        return core.Letrec(defined, [core.Const(UNSPECIFIED)] * len(defined), core.Seq(nodes, loc), loc)

    def expand_named(self, form: Any, env: Scope, name: str) -> core.Node:
        node = self.expand(form, env)
        if node.__class__ is core.Lambda and node.name is None:
            node.name = name
            inner = self._inner_of.pop(id(node), None)
            if inner is not None:
                inner.name = name
        return node

    def expand_seq(self, forms: list, env: Scope, loc: SourceLocation | None = None) -> core.Node:
        if not forms:
            return core.Const(UNSPECIFIED, loc)
        if env.parent is None:
            self.bind_introduced_definitions(forms, env)
        nodes = [self.expand(f, env) for f in forms]
        return nodes[0] if len(nodes) == 1 else core.Seq(nodes, loc)

    def bind_introduced_definitions(self, forms: list, env: Scope) -> None:
        """A top-level ``begin`` binds the definitions a macro introduced before expanding
        any of its forms, as Guile's expander does: ``(define (ff x) (gg x))`` followed by
        ``(define (gg x) ...)``, both from one template, refers to that template's ``gg``."""
        from schemy.runtime.modules import Cell

        for f in forms:
            if f.__class__ is not Pair or not is_identifier(f.car):
                continue
            b, _ = resolve(f.car, env)
            if b.__class__ is not SpecialForm or b.name not in ("define", "define*", "define-public"):
                continue
            target = f.cdr.car if f.cdr.__class__ is Pair else None
            while target.__class__ is Pair:
                target = target.car
            if target.__class__ is Ident and env.table.get(target) is None:
                env.bind(target, Cell(identifier_symbol(target), env.module))

    # ------------------------------------------------------------ define helpers
    def parse_define(self, form: Pair, star: bool = False) -> tuple[Any, Any]:
        """``(define name expr)`` / ``(define (name . formals) body...)`` -> (identifier, value form)."""
        parts = form_list(form)
        if len(parts) < 2:
            raise syntax_error("bad define", form)
        target = parts[1]
        lam = Ident(Symbol("lambda*" if star else "lambda"), self.interp.core_scope)
        while target.__class__ is Pair:  # curried define: (define ((f a) b) ...)
            body = make_list(parts[2:])
            parts = [None, target.car, make_pair(lam, make_pair(target.cdr, body), form.loc)]
            target = target.car
        if not is_identifier(target):
            raise syntax_error("bad define: not an identifier", form)
        if len(parts) == 2:
            if_ = Ident(Symbol("if"), self.interp.core_scope)
            unspecified = make_pair(if_, make_pair(False, make_pair(False, NIL)))
            return target, unspecified
        if len(parts) != 3:
            raise syntax_error("bad define: too many expressions", form)
        return target, parts[2]

    def define_syntax(self, form: Pair, env: Scope, module: Any) -> None:
        parts = form_list(form)
        b = self.head_binding(form, env)
        if b.name == "define-syntax-rule":
            if len(parts) < 3 or parts[1].__class__ is not Pair:
                raise syntax_error("bad define-syntax-rule", form)
            pattern = parts[1]
            name = pattern.car
            body = parts[2:]
            if len(body) > 1 and body[0].__class__ in (str, MString):
                body = body[1:]
            from schemy.expand.macros import SyntaxRules

            pat = make_pair(Symbol("_"), pattern.cdr)
            transformer = SyntaxRules([], [(pat, body[0])], Symbol("..."))
            macro = Macro(transformer, env, name=identifier_symbol(name).name)
        else:
            if len(parts) != 3 or not is_identifier(parts[1]):
                raise syntax_error("bad define-syntax", form)
            name = parts[1]
            macro = self.eval_transformer(parts[2], env, identifier_symbol(name).name)
        if module is not None:
            module.define_macro(identifier_symbol(name), macro)
        else:
            env.bind(name, macro)

    def eval_transformer(self, form: Any, env: Scope, name: str) -> Macro:
        from schemy.expand.macros import SyntaxRules

        node = self.expand(form, env)
        value = self.interp.run_node(node, env)
        if isinstance(value, Macro):
            return Macro(value.transformer, value.env, value.procedural, name)
        if isinstance(value, SyntaxRules):
            return Macro(value, env, name=name)
        if callable(value):
            return Macro(value, env, procedural=True, name=name)
        raise syntax_error("define-syntax: not a transformer", form)

    def rewrite_define_values(self, form: Pair, env: Scope) -> Any:
        """(define-values formals expr) -> definitions of each name from a receive."""
        parts = form_list(form)
        if len(parts) != 3:
            raise syntax_error("bad define-values", form)
        formals, expr = parts[1], parts[2]
        names = []
        f = formals
        while f.__class__ is Pair:
            names.append(f.car)
            f = f.cdr
        if f is not NIL:
            names.append(f)
        cs = self.interp.core_scope
        temps = [Ident(identifier_symbol(n), cs) for n in names]
        tformals: Any = temps[-1] if f is not NIL else NIL
        for t in reversed(temps[:-1] if f is not NIL else temps):
            tformals = make_pair(t, tformals)
        vec = Ident(Symbol("vals"), cs)
        K = lambda s: Ident(Symbol(s), cs)  # noqa: E731
        # (define vals (call-with-values (lambda () expr) (lambda formals (vector t...))))
        out = [make_pair(K("define"), make_list([vec, make_list([
            K("call-with-values"), make_list([K("lambda"), NIL, expr]),
            make_list([K("lambda"), tformals, make_pair(K("vector"), make_list(temps))])])]))]
        for i, n in enumerate(names):
            out.append(make_list([K("define"), n, make_list([K("vector-ref"), vec, i])]))
        return make_pair(K("begin"), make_list(out), form.loc)

    def rewrite_record_type(self, form: Pair) -> Pair:
        from schemy.expand.record_syntax import rewrite_define_record_type

        return rewrite_define_record_type(self, form)

    # ------------------------------------------------------------ lambda lists
    def parse_formals(self, formals: Any, scope: Scope, form: Any, star: bool = False) -> dict:
        """Parse a (``lambda*``) formals list, binding its variables.

        Each ``#:optional``/``#:key`` parameter is bound in a scope of its own, nested in
        the previous one, and its default is expanded in the scope *before* that binding:
        as in Guile, a default sees the parameters to its left and the outer bindings,
        never the parameter it initializes (``(define* (f #:key (x x)) ...)``).  The
        body goes in ``spec["scope"]``, the innermost one."""
        params: list[Var] = []
        optionals: list = []
        keys: list = []
        default_scopes: list[Scope] = []
        rest = None
        allow_other = False
        mode = "req"
        f = formals
        seen: set = set()
        cur = scope

        def bind(ident: Any, nested: bool = False) -> Var:
            nonlocal cur
            if not is_identifier(ident):
                raise syntax_error("bad lambda list", form)
            if ident in seen:
                raise syntax_error(f"duplicate parameter {identifier_symbol(ident).name} in lambda list", form)
            seen.add(ident)
            v = Var(identifier_symbol(ident))
            if nested:
                default_scopes.append(cur)
                cur = Scope(cur)
            cur.bind(ident, v)
            return v

        while f.__class__ is Pair:
            item = f.car
            if item.__class__ is Keyword:
                kw = item.name
                if kw == "optional":
                    mode = "opt"
                elif kw == "key":
                    mode = "key"
                elif kw == "rest":
                    f = f.cdr
                    rest = bind(f.car)
                    mode = "after-rest"
                elif kw == "allow-other-keys":
                    allow_other = True
                else:
                    raise syntax_error(f"bad lambda* keyword #:{kw}", form)
                f = f.cdr
                continue
            if mode == "req":
                params.append(bind(item))
            elif mode == "opt":
                if item.__class__ is Pair:
                    ident, default = item.car, item.cdr.car
                    optionals.append((bind(ident, True), default))
                else:
                    optionals.append((bind(item, True), None))
            elif mode == "key":
                if item.__class__ is Pair:
                    ident = item.car
                    default = item.cdr.car if item.cdr is not NIL else None
                    kwname = identifier_symbol(ident).name
                    if item.cdr is not NIL and item.cdr.cdr is not NIL and item.cdr.cdr.car.__class__ is Keyword:
                        kwname = item.cdr.cdr.car.name
                    keys.append((Keyword(kwname), bind(ident, True), default))
                else:
                    keys.append((Keyword(identifier_symbol(item).name), bind(item, True), None))
            else:
                raise syntax_error("bad lambda list after #:rest", form)
            f = f.cdr
        if f is not NIL:
            if rest is not None:
                raise syntax_error("bad lambda list", form)
            rest = bind(f)
        return {"params": params, "optionals": optionals, "keys": keys, "rest": rest,
                "allow_other_keys": allow_other, "scope": cur, "default_scopes": default_scopes}

    def make_lambda(self, formals: Any, body: list, env: Scope, form: Any, name: str | None = None,
                    star: bool = False) -> core.Lambda:
        scope = Scope(env)
        spec = self.parse_formals(formals, scope, form, star)
        doc = None
        if len(body) > 1 and body[0].__class__ in (str, MString):
            doc = str(body[0])
            body = body[1:]
        if spec["optionals"] and spec["keys"]:
            return self._optionals_then_keys(formals, body, env, form, name, doc)
        scopes = iter(spec["default_scopes"])
        optionals = [(v, self.expand(d, s) if d is not None else None)
                     for (v, d), s in zip(spec["optionals"], scopes)]
        keys = [(k, v, self.expand(d, s) if d is not None else None) for (k, v, d), s in zip(spec["keys"], scopes)]
        loc = form.loc if isinstance(form, Pair) else None
        body_node = self.expand_body(body, spec["scope"], loc)
        lam = core.Lambda(spec["params"], spec["rest"], body_node, name, optionals, keys,
                          spec["allow_other_keys"], loc, doc)
        if id(form) in self._inner_forms:
            self._inner_forms.discard(id(form))
            self._inner_made.append(lam)
        return lam

    def _optionals_then_keys(self, formals: Any, body: list, env: Scope, form: Any, name: str | None,
                             doc: str | None) -> core.Lambda:
        """``(lambda* (req ... #:optional opt ... #:key key ...) body)``: the optionals take
        only the positional arguments before the first keyword, as in Guile, so
        ``(f "us" #:options x)`` leaves the second optional to its default.  Rewritten as
        a procedure taking the arguments after the required ones as a list, binding the
        optionals from its leading non-keyword elements, and passing the rest to an inner
        ``lambda*`` of the keys (and ``#:rest``)."""
        cs = self.interp.core_scope
        K = lambda s: Ident(Symbol(s), cs)  # noqa: E731
        required: list = []
        optionals: list = []
        tail: list = []  # #:key ... and #:rest, as written
        mode = "req"
        f = formals
        while f.__class__ is Pair:
            item = f.car
            if item.__class__ is Keyword and item.name == "optional":
                mode = "opt"
            elif item.__class__ is Keyword and item.name in ("key", "rest", "allow-other-keys"):
                mode = "tail"
                tail.append(item)
            elif mode == "req":
                required.append(item)
            elif mode == "opt":
                optionals.append(item)
            else:
                tail.append(item)
            f = f.cdr
        if f is not NIL:
            tail += [Keyword("rest"), f]
        args, count = K("%args"), K("%positionals")
        bindings = [make_list([count, make_list([K("%count-positionals"), args, len(optionals)])])]
        for i, item in enumerate(optionals):
            ident, default = (item.car, item.cdr.car) if item.__class__ is Pair else (item, False)
            bindings.append(make_list([ident, make_list([
                K("if"), make_list([K(">"), count, i]), make_list([K("list-ref"), args, i]), default])]))
        inner = make_pair(K("lambda*"), make_pair(make_list(tail), make_list(body)), getattr(form, "loc", None))
        self._inner_forms.add(id(inner))
        call = make_list([K("apply"), inner, make_list([K("list-tail"), args, count])])
        outer_formals: Any = args
        for r in reversed(required):
            outer_formals = make_pair(r, outer_formals)
        outer_body = make_list([K("let*"), make_list(bindings), call])
        made = len(self._inner_made)
        lam = self.make_lambda(outer_formals, [outer_body], env, form, name)
        lam.doc = doc
        lam.formals = _printed_formals(required, optionals, tail)
        if len(self._inner_made) > made:  # keyword errors name the procedure, not "lambda*"
            inner_lam = self._inner_made.pop(made)
            del self._inner_made[made:]
            inner_lam.name = name
            self._inner_of[id(lam)] = inner_lam
        return lam


def _printed_formals(required: list, optionals: list, tail: list) -> str:
    """A ``lambda*`` list as Guile prints it: names only, ``#:rest r`` as ``. r``, no
    ``#:allow-other-keys`` (``(a #:optional b #:key c . r)``)."""

    def name(item: Any) -> str:
        ident = item.car if item.__class__ is Pair else item
        return identifier_symbol(ident).name

    parts = [name(r) for r in required] + ["#:optional"] + [name(o) for o in optionals]
    rest = None
    items = iter(tail)
    for item in items:
        if item.__class__ is Keyword:
            if item.name == "key":
                parts.append("#:key")
            elif item.name == "rest":
                rest = name(next(items))
        else:
            parts.append(name(item))
    text = " ".join(parts)
    return f"({text} . {rest})" if rest is not None else f"({text})"


# ====================================================================== core special forms


def _args(form: Pair, lo: int, hi: int | None, what: str) -> list:
    parts = form_list(form)
    n = len(parts) - 1
    if n < lo or (hi is not None and n > hi):
        raise syntax_error(f"bad {what} syntax", form)
    return parts[1:]


@special("quote")
def _quote(ex: Expander, form: Pair, env: Scope) -> core.Node:
    (datum,) = _args(form, 1, 1, "quote")
    return core.Const(strip(datum), form.loc)


@special("if")
def _if(ex: Expander, form: Pair, env: Scope) -> core.Node:
    args = _args(form, 2, 3, "if")
    test = ex.expand(args[0], env)
    then = ex.expand(args[1], env)
    else_ = ex.expand(args[2], env) if len(args) == 3 else core.Const(UNSPECIFIED)
    return core.If(test, then, else_, form.loc)


@special("define", "define*", "define-public")
def _define(ex: Expander, form: Pair, env: Scope) -> core.Node:
    b = ex.head_binding(form, env)
    ident, value_form = ex.parse_define(form, star=(b.name == "define*"))
    module = env.module
    if env.parent is not None:
        raise syntax_error("definition in expression context, where definitions are not allowed", form)
    name = identifier_symbol(ident)
    if ident.__class__ is Ident:
        # A top-level definition introduced by a macro is private to that expansion (as in Guile 3):
        # it gets its own cell, reachable only through the introduced identifier.
        cell = env.table.get(ident)
        if cell is None:
            from schemy.runtime.modules import Cell

            cell = Cell(name, module)
            env.bind(ident, cell)
    else:
        cell = module.define_cell(name)
    value = ex.expand_named(value_form, env, name.name)
    if b.name == "define-public":
        module.export(name)
    return core.GSet(cell, value, True, form.loc)


@special("set!")
def _set(ex: Expander, form: Pair, env: Scope) -> core.Node:
    target, value_form = _args(form, 2, 2, "set!")
    if not is_identifier(target):
        raise syntax_error("bad set!", form)
    value = ex.expand(value_form, env)
    b, module = resolve(target, env)
    if b.__class__ is Var:
        b.mutated = True
        return core.LSet(b, value, form.loc)
    if b is None:
        b = module.ensure_cell(identifier_symbol(target))
    if isinstance(b, (Macro, SpecialForm, PatternVar)):
        raise syntax_error("set! of a syntactic keyword", form)
    return core.GSet(b, value, False, form.loc)


@special("lambda", "lambda*", "λ")
def _lambda(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad lambda", form)
    b = ex.head_binding(form, env)
    return ex.make_lambda(parts[1], parts[2:], env, form, star=(b.name == "lambda*"))


@special("begin")
def _begin(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return ex.expand_seq(form_list(form)[1:], env, form.loc)


@special("let")
def _let(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad let", form)
    if is_identifier(parts[1]):
        return _named_let(ex, form, parts, env)
    bindings = _parse_bindings(parts[1], form)
    inits = [ex.expand(init, env) for _, init in bindings]
    scope = Scope(env)
    vars_ = []
    for ident, _ in bindings:
        v = Var(identifier_symbol(ident))
        scope.bind(ident, v)
        vars_.append(v)
    for v, init in zip(vars_, inits):
        if init.__class__ is core.Lambda and init.name is None:
            init.name = v.name.name
    body = ex.expand_body(parts[2:], scope, form.loc)
    if not vars_:
        return body
    return core.Let(vars_, inits, body, form.loc)


def _parse_bindings(bindings: Any, form: Any) -> list:
    out = []
    for b in form_list(bindings, "bindings"):
        if is_identifier(b):
            raise syntax_error("bad binding (expected (name value))", form)
        items = form_list(b, "binding")
        if len(items) != 2 or not is_identifier(items[0]):
            raise syntax_error("bad binding (expected (name value))", b if isinstance(b, Pair) else form,
                               loc=getattr(b, "loc", None) or form.loc)
        out.append((items[0], items[1]))
    return out


def _named_let(ex: Expander, form: Pair, parts: list, env: Scope) -> core.Node:
    name = parts[1]
    if len(parts) < 4:
        raise syntax_error("bad named let", form)
    bindings = _parse_bindings(parts[2], form)
    inits = [ex.expand(init, env) for _, init in bindings]
    loop_scope = Scope(env)
    loop_var = Var(identifier_symbol(name))
    loop_scope.bind(name, loop_var)
    formals = make_list([b[0] for b in bindings])
    lam = ex.make_lambda(formals, parts[3:], loop_scope, form, name=loop_var.name.name)
    call = core.Call(core.LRef(loop_var, form.loc), inits, form.loc)
    return core.Letrec([loop_var], [lam], call, form.loc)


@special("let*")
def _let_star(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad let*", form)
    bindings = _parse_bindings(parts[1], form)
    if not bindings:
        return ex.expand_body(parts[2:], Scope(env), form.loc)
    vars_, inits = [], []
    scope = env
    for ident, init in bindings:
        node = ex.expand(init, scope)
        scope = Scope(scope)
        v = Var(identifier_symbol(ident))
        if node.__class__ is core.Lambda and node.name is None:
            node.name = v.name.name
        scope.bind(ident, v)
        vars_.append(v)
        inits.append(node)
    body = ex.expand_body(parts[2:], scope, form.loc)
    # Sequential binding with fresh variables is a letrec* whose inits do not see later vars.
    return core.Letrec(vars_, inits, body, form.loc)


@special("letrec", "letrec*")
def _letrec(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad letrec", form)
    bindings = _parse_bindings(parts[1], form)
    scope = Scope(env)
    vars_ = []
    for ident, _ in bindings:
        v = Var(identifier_symbol(ident))
        scope.bind(ident, v)
        vars_.append(v)
    inits = [ex.expand_named(init, scope, v.name.name) for v, (_, init) in zip(vars_, bindings)]
    body = ex.expand_body(parts[2:], scope, form.loc)
    return core.Letrec(vars_, inits, body, form.loc)


def _truthy_call(fn: Callable, args: list, loc: Any) -> core.Node:
    return core.Call(core.Const(fn), args, loc)


@special("and")
def _and(ex: Expander, form: Pair, env: Scope) -> core.Node:
    args = form_list(form)[1:]
    if not args:
        return core.Const(True, form.loc)
    node = ex.expand(args[-1], env)
    for a in reversed(args[:-1]):
        node = core.If(ex.expand(a, env), node, core.Const(False), form.loc)
    return node


@special("or")
def _or(ex: Expander, form: Pair, env: Scope) -> core.Node:
    args = form_list(form)[1:]
    if not args:
        return core.Const(False, form.loc)
    node = ex.expand(args[-1], env)
    for a in reversed(args[:-1]):
        t = Var(Symbol("t"))
        node = core.Let([t], [ex.expand(a, env)], core.If(core.LRef(t), core.LRef(t), node), form.loc)
    return node


@special("when", "unless")
def _when(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad when/unless", form)
    test = ex.expand(parts[1], env)
    body = ex.expand_seq(parts[2:], env, form.loc)
    if ex.head_binding(form, env).name == "when":
        return core.If(test, body, core.Const(UNSPECIFIED), form.loc)
    return core.If(test, core.Const(UNSPECIFIED), body, form.loc)


def _is_else(ex: Expander, x: Any, env: Scope) -> bool:
    if not is_identifier(x):
        return False
    b, _ = resolve(x, env)
    return b.__class__ is SpecialForm and b.name == "else"


def _is_arrow(ex: Expander, x: Any, env: Scope) -> bool:
    if not is_identifier(x):
        return False
    b, _ = resolve(x, env)
    return b.__class__ is SpecialForm and b.name == "=>"


@special("else", "=>", "unquote", "unquote-splicing", "...", "_", "unsyntax", "unsyntax-splicing")
def _aux(ex: Expander, form: Pair, env: Scope) -> core.Node:
    raise syntax_error("bad use of auxiliary syntax", form)


@special("cond")
def _cond(ex: Expander, form: Pair, env: Scope) -> core.Node:
    clauses = form_list(form)[1:]
    node: core.Node = core.Const(UNSPECIFIED)
    for i, clause in enumerate(reversed(clauses)):
        items = form_list(clause, "cond clause")
        if not items:
            raise syntax_error("bad cond clause", form)
        loc = clause.loc if isinstance(clause, Pair) else form.loc
        if _is_else(ex, items[0], env):
            if i != 0:
                raise syntax_error("else clause must be the last cond clause", form)
            node = ex.expand_seq(items[1:], env, loc)
            continue
        test = ex.expand(items[0], env)
        if len(items) == 1:
            t = Var(Symbol("t"))
            node = core.Let([t], [test], core.If(core.LRef(t), core.LRef(t), node), loc)
        elif _is_arrow(ex, items[1], env):
            if len(items) != 3:
                raise syntax_error("bad cond => clause", form)
            t = Var(Symbol("t"))
            receiver = ex.expand(items[2], env)
            node = core.Let([t], [test], core.If(core.LRef(t), core.Call(receiver, [core.LRef(t)], loc), node),
                            loc)
        else:
            node = core.If(test, ex.expand_seq(items[1:], env, loc), node, loc)
    return node


@special("case")
def _case(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import case_match

    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad case", form)
    key = Var(Symbol("key"))
    node: core.Node = core.Const(UNSPECIFIED)
    clauses = parts[2:]
    for i, clause in enumerate(reversed(clauses)):
        items = form_list(clause, "case clause")
        if len(items) < 1:
            raise syntax_error("bad case clause", form)
        loc = clause.loc if isinstance(clause, Pair) else form.loc
        if len(items) >= 2 and _is_arrow(ex, items[1], env):
            body = core.Call(ex.expand(items[2], env), [core.LRef(key)], loc)
        else:
            body = ex.expand_seq(items[1:], env, loc)
        if _is_else(ex, items[0], env):
            if i != 0:
                raise syntax_error("else clause must be the last case clause", form)
            node = body
            continue
        data = tuple(strip(d) for d in form_list(items[0], "case data"))
        test = core.Call(core.Const(case_match), [core.LRef(key), core.Const(data)], loc)
        node = core.If(test, body, node, loc)
    return core.Let([key], [ex.expand(parts[1], env)], node, form.loc)


@special("do")
def _do(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad do", form)
    specs = [form_list(s, "do binding") for s in form_list(parts[1], "do bindings")]
    test_clause = form_list(parts[2], "do test")
    inits = [ex.expand(s[1], env) for s in specs]
    loop_var = Var(Symbol("do-loop"))
    loop_scope = Scope(env)
    loop_scope.bind(loop_var, loop_var)
    scope = Scope(loop_scope)
    vars_ = []
    for s in specs:
        v = Var(identifier_symbol(s[0]))
        scope.bind(s[0], v)
        vars_.append(v)
    steps = [ex.expand(s[2], scope) if len(s) > 2 else core.LRef(v) for s, v in zip(specs, vars_)]
    test = ex.expand(test_clause[0], scope)
    result = ex.expand_seq(test_clause[1:], scope, form.loc)
    commands = [ex.expand(c, scope) for c in parts[3:]]
    again = core.Call(core.LRef(loop_var), steps, form.loc)
    loop_body = core.If(test, result, core.Seq(commands + [again]) if commands else again, form.loc)
    lam = core.Lambda(vars_, None, loop_body, "do-loop", loc=form.loc)
    return core.Letrec([loop_var], [lam], core.Call(core.LRef(loop_var), inits, form.loc), form.loc)


@special("quasiquote")
def _quasiquote(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.expand.quasi import expand_quasiquote

    (template,) = _args(form, 1, 1, "quasiquote")
    return expand_quasiquote(ex, template, env, 1)


@special("delay", "delay-force", "make-promise-lazy")
def _delay(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import make_lazy_promise

    (expr,) = _args(form, 1, 1, "delay")
    thunk = core.Lambda([], None, ex.expand(expr, env), "promise", loc=form.loc)
    is_force = ex.head_binding(form, env).name == "delay-force"
    return core.Call(core.Const(make_lazy_promise), [thunk, core.Const(is_force)], form.loc)


@special("case-lambda", "case-lambda*")
def _case_lambda(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import make_case_lambda

    star = ex.head_binding(form, env).name == "case-lambda*"
    clauses = form_list(form)[1:]
    lams = []
    for c in clauses:
        items = form_list(c, "case-lambda clause")
        if len(items) < 2:
            raise syntax_error("bad case-lambda clause", form)
        lams.append(ex.make_lambda(items[0], items[1:], env, c if isinstance(c, Pair) else form, star=star))
    return core.Call(core.Const(make_case_lambda), lams, form.loc)


def _formals_to_lambda(ex: Expander, formals: Any, body_node_fn: Callable[[Scope], core.Node],
                       env: Scope, form: Any) -> core.Lambda:
    scope = Scope(env)
    spec = ex.parse_formals(formals, scope, form)
    return core.Lambda(spec["params"], spec["rest"], body_node_fn(scope), None, loc=form.loc)


@special("receive")
def _receive(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import call_with_values

    parts = form_list(form)
    if len(parts) < 4:
        raise syntax_error("bad receive", form)
    producer = core.Lambda([], None, ex.expand(parts[2], env), None, loc=form.loc)
    consumer = _formals_to_lambda(ex, parts[1], lambda s: ex.expand_body(parts[3:], s, form.loc), env, form)
    return core.Call(core.Const(call_with_values), [producer, consumer], form.loc)


@special("let-values", "let*-values")
def _let_values(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import call_with_values

    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad let-values", form)
    sequential = ex.head_binding(form, env).name == "let*-values"
    bindings = [form_list(b, "let-values binding") for b in form_list(parts[1], "let-values bindings")]

    def build(i: int, scope: Scope, outer: Scope) -> core.Node:
        if i == len(bindings):
            return ex.expand_body(parts[2:], scope, form.loc)
        formals, init = bindings[i]
        producer = core.Lambda([], None, ex.expand(init, scope if sequential else outer), None, loc=form.loc)
        consumer = _formals_to_lambda(ex, formals, lambda s: build(i + 1, s, outer), scope, form)
        return core.Call(core.Const(call_with_values), [producer, consumer], form.loc)

    return build(0, env, env)


@special("parameterize")
def _parameterize(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import run_parameterized

    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad parameterize", form)
    args = []
    for b in form_list(parts[1], "parameterize bindings"):
        p, v = form_list(b, "parameterize binding")
        args += [ex.expand(p, env), ex.expand(v, env)]
    thunk = core.Lambda([], None, ex.expand_body(parts[2:], Scope(env), form.loc), None, loc=form.loc)
    return core.Call(core.Const(run_parameterized), [thunk] + args, form.loc)


@special("guard")
def _guard(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import REraise, run_guard

    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad guard", form)
    spec = form_list(parts[1], "guard clause")
    var_ident, clauses = spec[0], spec[1:]
    body = core.Lambda([], None, ex.expand_body(parts[2:], Scope(env), form.loc), None, loc=form.loc)
    scope = Scope(env)
    var = Var(identifier_symbol(var_ident))
    scope.bind(var_ident, var)
    has_else = clauses and _is_else(ex, form_list(clauses[-1])[0], scope)
    cond_form = make_pair(Ident(Symbol("cond"), ex.interp.core_scope), make_list(clauses))
    cond_form.loc = form.loc
    handler_body = ex.expand(cond_form, scope) if clauses else core.Const(UNSPECIFIED)
    if not has_else:
        # No clause matched: re-raise in the original context.
        handler_body = _cond_with_fallback(ex, clauses, scope, core.Const(REraise), form)
    handler = core.Lambda([var], None, handler_body, None, loc=form.loc)
    return core.Call(core.Const(run_guard), [body, handler], form.loc)


def _cond_with_fallback(ex: Expander, clauses: list, scope: Scope, fallback: core.Node, form: Any) -> core.Node:
    """Expand cond clauses whose 'no clause matched' result is ``fallback``."""
    else_clause = make_list([Ident(Symbol("else"), ex.interp.core_scope), Symbol("%guard-reraise")])
    s2 = Scope(scope)
    reraise_var = Var(Symbol("%guard-reraise"))
    s2.bind(Symbol("%guard-reraise"), reraise_var)
    cond_form = make_pair(Ident(Symbol("cond"), ex.interp.core_scope), make_list(list(clauses) + [else_clause]))
    cond_form.loc = form.loc
    return core.Let([reraise_var], [fallback], ex.expand(cond_form, s2), form.loc)


@special("define-syntax", "define-syntax-rule")
def _define_syntax(ex: Expander, form: Pair, env: Scope) -> core.Node:
    if env.parent is not None:
        raise syntax_error("define-syntax in expression context", form)
    ex.define_syntax(form, env, env.module)
    return core.Const(UNSPECIFIED, form.loc)


@special("let-syntax", "letrec-syntax")
def _let_syntax(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad let-syntax", form)
    scope = Scope(env)
    rec = ex.head_binding(form, env).name == "letrec-syntax"
    for b in form_list(parts[1], "bindings"):
        name, spec = form_list(b, "binding")
        macro = ex.eval_transformer(spec, scope if rec else env, identifier_symbol(name).name)
        if rec:
            macro.env = scope
        scope.bind(name, macro)
    return ex.expand_body(parts[2:], scope, form.loc)


@special("define-values")
def _define_values(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return ex.expand(ex.rewrite_define_values(form, env), env)


@special("define-record-type")
def _define_record_type(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return ex.expand(ex.rewrite_record_type(form), env)


@special("include", "include-ci")
def _include(ex: Expander, form: Pair, env: Scope) -> core.Node:
    import os

    from schemy.lang.reader import read

    (name,) = _args(form, 1, 1, "include")
    base = form.loc.filename if form.loc else None
    path = str(name)
    if base and not os.path.isabs(path):
        path = os.path.join(os.path.dirname(base), path)
    ex.files_read += 1
    try:
        with open(path, encoding="utf-8") as fh:
            forms = read(fh.read(), path)
    except FileNotFoundError:
        where = (f"next to the file that holds this include form, in {os.path.dirname(os.path.abspath(base))}"
                 if base and not os.path.isabs(str(name)) else "as written")
        raise syntax_error(f"include: file '{name}' not found (no {os.path.abspath(path)})", None, form.loc,
                           hint=f"include looks a relative name up {where}; create the file or correct "
                                "its name") from None
    except OSError as e:
        raise syntax_error(f"include: cannot open {path}: {e.strerror}", None, form.loc) from None
    return ex.expand(make_pair(Ident(Symbol("begin"), ex.interp.core_scope), make_list(forms), form.loc), env)


@special("cond-expand")
def _cond_expand(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.expand.features import feature_matches

    for clause in form_list(form)[1:]:
        items = form_list(clause, "cond-expand clause")
        req = items[0]
        if _is_else(ex, req, env) or feature_matches(req, ex.interp):
            return ex.expand(make_pair(Ident(Symbol("begin"), ex.interp.core_scope), make_list(items[1:]), form.loc),
                             env)
    return core.Const(UNSPECIFIED, form.loc)


@special("eval-when")
def _eval_when(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    return ex.expand(make_pair(Ident(Symbol("begin"), ex.interp.core_scope), make_list(parts[2:]), form.loc), env)


@special("the-environment")
def _the_environment(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return core.Const(env.module, form.loc)


@special("@", "@@")
def _at(ex: Expander, form: Pair, env: Scope) -> core.Node:
    mod_name, name = _args(form, 2, 2, "@")
    module = ex.interp.resolve_module(strip(mod_name), form.loc)
    b = module.lookup(identifier_symbol(name))
    if b is None:
        b = module.ensure_cell(identifier_symbol(name))
    if isinstance(b, Macro):
        raise syntax_error("@ of a macro is not supported as a value", form)
    return core.GRef(b, form.loc)
