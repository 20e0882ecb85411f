"""Guile modules that service code imports: (ice-9 regex), (ice-9 pretty-print),
SRFI-35 conditions / (ice-9 exceptions), and (guix build utils)'s
``with-directory-excursion``.

Regular expressions are POSIX extended ones, as in Guile; they are translated
to Python's ``re`` (bracket classes such as ``[[:alpha:]]`` included).
"""

from __future__ import annotations

import re
from typing import Any

from schemy.expand.expander import Expander, form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import NIL, UNSPECIFIED, Pair, Symbol, is_string, list_to_python, make_list, to_str
from schemy.lang.errors import Condition, SchemeError, scheme_error, wrong_type
from schemy.lang.syntax import Ident, Scope

# ====================================================================== (ice-9 regex)

REGEXP_ICASE, REGEXP_NEWLINE, REGEXP_BASIC, REGEXP_EXTENDED, REGEXP_NOTBOL, REGEXP_NOTEOL = 1, 2, 4, 8, 16, 32

_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
            "space": r" \t\n\r\f\v", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
            "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e"}


def _translate(pattern: str) -> str:
    """POSIX ERE -> Python ``re`` (character classes; a ']' first in a bracket is literal)."""
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[":
            j = i + 1
            chunk = ["["]
            if j < n and pattern[j] == "^":
                chunk.append("^")
                j += 1
            if j < n and pattern[j] == "]":
                chunk.append(r"\]")
                j += 1
            while j < n and pattern[j] != "]":
                if pattern.startswith("[:", j):
                    end = pattern.find(":]", j)
                    name = pattern[j + 2:end]
                    chunk.append(_CLASSES.get(name, ""))
                    j = end + 2
                    continue
                if pattern[j] == "\\":
                    chunk.append(r"\\")
                elif pattern[j] == "[":
                    chunk.append(r"\[")
                else:
                    chunk.append(pattern[j])
                j += 1
            chunk.append("]")
            out.append("".join(chunk))
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


class Regexp:
    __slots__ = ("source", "compiled")

    def __init__(self, source: str, flags: int) -> None:
        pyflags = (re.IGNORECASE if flags & REGEXP_ICASE else 0) | (re.MULTILINE if flags & REGEXP_NEWLINE else 0)
        self.source = source
        try:
            self.compiled = re.compile(_translate(source), pyflags)
        except re.error as e:
            raise scheme_error(f"invalid regular expression {source!r}: {e}", kind="regular-expression-syntax",
                               origin="make-regexp") from None

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<regexp {self.source}>"


class RegexpMatch:
    __slots__ = ("string", "match")

    def __init__(self, string: str, match: re.Match) -> None:
        self.string = string
        self.match = match

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<regexp-match {self.match.group(0)!r}>"


def make_regexp(pattern: Any, *flags: int) -> Regexp:
    f = 0
    for x in flags:
        f |= x
    return Regexp(to_str(pattern), f)


def regexp_exec(rx: Any, string: Any, start: int = 0, flags: int = 0) -> Any:
    if not isinstance(rx, Regexp):
        raise wrong_type("regexp-exec", 1, rx, "regexp")
    s = to_str(string)
    m = rx.compiled.search(s, start)
    return RegexpMatch(s, m) if m else False


def string_match(pattern: Any, string: Any, start: int = 0) -> Any:
    rx = pattern if isinstance(pattern, Regexp) else Regexp(to_str(pattern), 0)
    return regexp_exec(rx, string, start)


def _match(m: Any, origin: str) -> RegexpMatch:
    if not isinstance(m, RegexpMatch):
        raise wrong_type(origin, 1, m, "regexp-match")
    return m


def match_substring(m: Any, n: int = 0) -> Any:
    g = _match(m, "match:substring").match.group(n)
    return g if g is not None else False


def match_start(m: Any, n: int = 0) -> Any:
    s = _match(m, "match:start").match.start(n)
    return s if s >= 0 else False


def match_end(m: Any, n: int = 0) -> Any:
    e = _match(m, "match:end").match.end(n)
    return e if e >= 0 else False


def match_count(m: Any) -> int:
    return _match(m, "match:count").match.re.groups + 1


def match_prefix(m: Any) -> str:
    mm = _match(m, "match:prefix")
    return mm.string[:mm.match.start()]


def match_suffix(m: Any) -> str:
    mm = _match(m, "match:suffix")
    return mm.string[mm.match.end():]


def list_matches(pattern: Any, string: Any, flags: int = 0) -> Any:
    rx = pattern if isinstance(pattern, Regexp) else Regexp(to_str(pattern), flags)
    s = to_str(string)
    return make_list([RegexpMatch(s, m) for m in rx.compiled.finditer(s)])


def fold_matches(pattern: Any, string: Any, init: Any, proc: Any, flags: int = 0) -> Any:
    acc = init
    for m in list_to_python(list_matches(pattern, string, flags)):
        acc = proc(m, acc)
    return acc


def _substitute_items(m: RegexpMatch, items: tuple, pieces: list[str]) -> None:
    for item in items:
        if is_string(item):
            pieces.append(to_str(item))
        elif isinstance(item, int) and not isinstance(item, bool):
            g = m.match.group(item)
            pieces.append(g or "")
        elif item is Symbol("pre"):
            pieces.append(m.string[:m.match.start()])
        elif item is Symbol("post"):
            pieces.append(m.string[m.match.end():])
        elif callable(item):
            pieces.append(to_str(item(m)))
        else:
            raise wrong_type("regexp-substitute", 3, item, "string, integer, 'pre or 'post")


def _emit(port: Any, text: str) -> Any:
    if port is False:
        return text
    from schemy.runtime.ports import write_to_port

    write_to_port(port, text)
    return UNSPECIFIED


def regexp_substitute(port: Any, m: Any, *items: Any) -> Any:
    pieces: list[str] = []
    _substitute_items(_match(m, "regexp-substitute"), items, pieces)
    return _emit(port, "".join(pieces))


def regexp_substitute_global(port: Any, pattern: Any, string: Any, *items: Any) -> Any:
    rx = pattern if isinstance(pattern, Regexp) else Regexp(to_str(pattern), 0)
    s = to_str(string)
    pieces: list[str] = []
    pos = 0
    for m in rx.compiled.finditer(s):
        rm = RegexpMatch(s, m)
        for item in items:
            if item is Symbol("pre"):
                pieces.append(s[pos:m.start()])
            elif item is Symbol("post"):
                continue
            else:
                _substitute_items(rm, (item,), pieces)
        pos = m.end()
    if Symbol("post") in items:
        pieces.append(s[pos:])
    return _emit(port, "".join(pieces))


def regexp_quote(s: Any) -> str:
    return re.sub(r"([.\[\]\\*+?(){}|^$])", r"\\\1", to_str(s))


# ====================================================================== (ice-9 pretty-print)


def pretty_string(obj: Any, width: int = 79, indent: int = 0) -> str:
    from schemy.lang.printer import write_string

    flat = write_string(obj)
    if len(flat) + indent <= width or not isinstance(obj, Pair):
        return flat
    items = []
    x = obj
    while isinstance(x, Pair):
        items.append(x.car)
        x = x.cdr
    head = write_string(items[0]) if not isinstance(items[0], Pair) else None
    if head is not None and len(items) > 1:
        first = pretty_string(items[1], width, indent + len(head) + 2)
        inner = indent + 2
        rest = [pretty_string(e, width, inner) for e in items[2:]]
        lines = [f"({head} {first}"] + [" " * inner + r for r in rest]
    else:
        inner = indent + 1
        parts = [pretty_string(e, width, inner) for e in items]
        lines = ["(" + parts[0]] + [" " * inner + p for p in parts[1:]]
    text = "\n".join(lines)
    if x is not NIL:
        text += " . " + write_string(x)
    return text + ")"


def pretty_print(obj: Any, *args: Any) -> Any:
    from schemy.lang.datum import Keyword
    from schemy.runtime.ports import current_output, write_to_port

    port = None
    width = 79
    rest = list(args)
    if rest and not isinstance(rest[0], Keyword):
        port = rest.pop(0)
    while rest:
        k = rest.pop(0)
        v = rest.pop(0) if rest else None
        if isinstance(k, Keyword) and k.name == "width" and isinstance(v, int):
            width = v
    write_to_port(port if port is not None else current_output(), pretty_string(obj, width) + "\n")
    return UNSPECIFIED


# ====================================================================== SRFI-35 / (ice-9 exceptions)


class ConditionType:
    __slots__ = ("name", "parent", "fields")

    def __init__(self, name: str, parent: ConditionType | None, fields: list[Symbol]) -> None:
        self.name = name
        self.parent = parent
        self.fields = fields

    def all_fields(self) -> list[Symbol]:
        return (self.parent.all_fields() if self.parent else []) + self.fields

    def is_a(self, other: ConditionType) -> bool:
        t: ConditionType | None = self
        while t is not None:
            if t is other:
                return True
            t = t.parent
        return False

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<condition-type {self.name}>"


CONDITION = ConditionType("&condition", None, [])
MESSAGE = ConditionType("&message", CONDITION, [Symbol("message")])
SERIOUS = ConditionType("&serious", CONDITION, [])
ERROR = ConditionType("&error", SERIOUS, [])
IRRITANTS = ConditionType("&irritants", CONDITION, [Symbol("irritants")])
ORIGIN = ConditionType("&origin", CONDITION, [Symbol("origin")])
EXTERNAL_ERROR = ConditionType("&external-error", ERROR, [])
ASSERTION = ConditionType("&assertion-failure", ERROR, [])


class CompoundCondition:
    """A SRFI-35 condition: one value per field of each component type."""

    __slots__ = ("components",)

    def __init__(self, components: list[tuple[ConditionType, dict]]) -> None:
        self.components = components

    def __scheme_repr__(self, write: bool) -> str:
        names = " ".join(t.name for t, _ in self.components)
        return f"#<condition {names}>"


def _components(c: Any) -> list[tuple[ConditionType, dict]]:
    if isinstance(c, CompoundCondition):
        return c.components
    if isinstance(c, Condition):  # errors raised by `error` and primitives
        comps = [(ERROR, {}), (MESSAGE, {Symbol("message"): c.message}),
                 (IRRITANTS, {Symbol("irritants"): make_list(c.irritants)})]
        if c.origin:
            comps.append((ORIGIN, {Symbol("origin"): Symbol(c.origin)}))
        return comps
    return []


def make_condition_type(name: Any, parent: Any, fields: Any) -> ConditionType:
    if not isinstance(parent, ConditionType):
        raise wrong_type("make-condition-type", 2, parent, "condition-type")
    return ConditionType(name.name if isinstance(name, Symbol) else to_str(name), parent, list_to_python(fields))


def make_condition(ctype: ConditionType, *field_values: Any) -> CompoundCondition:
    values = {field_values[i]: field_values[i + 1] for i in range(0, len(field_values), 2)}
    missing = [f for f in ctype.all_fields() if f not in values]
    if missing:
        raise scheme_error(f"make-condition: missing field {missing[0].name} of {ctype.name}")
    return CompoundCondition([(ctype, values)])


def make_compound_condition(*conds: Any) -> CompoundCondition:
    comps: list = []
    for c in conds:
        comps += _components(c)
    return CompoundCondition(comps)


def is_condition(x: Any) -> bool:
    return isinstance(x, (CompoundCondition, Condition))


def condition_has_type(c: Any, ctype: ConditionType) -> bool:
    return any(t.is_a(ctype) for t, _ in _components(c))


def condition_ref(c: Any, field: Symbol) -> Any:
    for _t, values in _components(c):
        if field in values:
            return values[field]
    raise scheme_error(f"condition-ref: no field {field.name}", c)


def extract_condition(c: Any, ctype: ConditionType) -> CompoundCondition:
    for t, values in _components(c):
        if t.is_a(ctype):
            return CompoundCondition([(t, values)])
    raise scheme_error(f"extract-condition: no component of type {ctype.name}")


def condition_predicate(ctype: ConditionType) -> Any:
    return lambda c: condition_has_type(c, ctype)


def condition_accessor(ctype: ConditionType, field: Symbol) -> Any:
    return lambda c: condition_ref(c, field)


# Guile's (ice-9 exceptions) names for the same objects.
def make_exception_with_message(message: Any) -> CompoundCondition:
    return CompoundCondition([(MESSAGE, {Symbol("message"): message})])


def make_exception_with_irritants(irritants: Any) -> CompoundCondition:
    return CompoundCondition([(IRRITANTS, {Symbol("irritants"): irritants})])


def make_exception_with_origin(origin: Any) -> CompoundCondition:
    return CompoundCondition([(ORIGIN, {Symbol("origin"): origin})])


def exception_message(c: Any) -> Any:
    return condition_ref(c, Symbol("message"))


def exception_irritants(c: Any) -> Any:
    return condition_ref(c, Symbol("irritants"))


def exception_origin(c: Any) -> Any:
    return condition_ref(c, Symbol("origin"))


@special("define-condition-type")
def _define_condition_type(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """``(define-condition-type &name &parent pred? (field accessor) ...)``."""
    parts = form_list(form)
    if len(parts) < 4:
        raise syntax_error("bad define-condition-type", form)
    name, parent, pred = parts[1], parts[2], parts[3]
    specs = [form_list(f, "condition field") for f in parts[4:]]
    cs = ex.interp.core_scope
    define = Ident(Symbol("define"), cs)
    quote = Ident(Symbol("quote"), cs)
    out = [make_list([define, name, make_list([make_condition_type, make_list([quote, name]), parent,
                                               make_list([quote, make_list([s[0] for s in specs])])])]),
           make_list([define, pred, make_list([condition_predicate, name])])]
    for field, accessor in specs:
        out.append(make_list([define, accessor, make_list([condition_accessor, name,
                                                           make_list([quote, field])])]))
    return ex.expand(Pair(Ident(Symbol("begin"), cs), make_list(out), form.loc), env)


@special("with-directory-excursion")
def _with_directory_excursion(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.eval.interpreter import primitive_function

    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad with-directory-excursion", form)
    thunk = core.Lambda([], None, ex.expand_body(parts[2:], Scope(env), form.loc), None, loc=form.loc)
    proc = primitive_function("call-with-directory-excursion")
    return core.Call(core.Const(proc), [ex.expand(parts[1], env), thunk], form.loc)


def _raise_with_message(obj: Any) -> Any:
    raise SchemeError(obj)


PRIMITIVES: dict[str, Any] = {
    "make-regexp": make_regexp, "regexp-exec": regexp_exec, "string-match": string_match,
    "regexp?": lambda x: isinstance(x, Regexp), "regexp-match?": lambda x: isinstance(x, RegexpMatch),
    "match:substring": match_substring, "match:start": match_start, "match:end": match_end,
    "match:count": match_count, "match:prefix": match_prefix, "match:suffix": match_suffix,
    "match:string": lambda m: _match(m, "match:string").string,
    "list-matches": list_matches, "fold-matches": fold_matches, "regexp-substitute": regexp_substitute,
    "regexp-substitute/global": regexp_substitute_global, "regexp-quote": regexp_quote,
    "regexp/icase": REGEXP_ICASE, "regexp/newline": REGEXP_NEWLINE, "regexp/basic": REGEXP_BASIC,
    "regexp/extended": REGEXP_EXTENDED, "regexp/notbol": REGEXP_NOTBOL, "regexp/noteol": REGEXP_NOTEOL,
    "pretty-print": pretty_print,
    "make-condition-type": make_condition_type, "condition-type?": lambda x: isinstance(x, ConditionType),
    "make-condition": make_condition, "make-compound-condition": make_compound_condition,
    "condition?": is_condition, "condition-has-type?": condition_has_type, "condition-ref": condition_ref,
    "extract-condition": extract_condition,
    "&condition": CONDITION, "&message": MESSAGE, "&serious": SERIOUS, "&error": ERROR,
    "&irritants": IRRITANTS, "&origin": ORIGIN, "&external-error": EXTERNAL_ERROR,
    "&assertion-failure": ASSERTION,
    "message-condition?": condition_predicate(MESSAGE), "condition-message": exception_message,
    "serious-condition?": condition_predicate(SERIOUS), "error?": condition_predicate(ERROR),
    "exception?": is_condition, "make-exception": make_compound_condition,
    "make-exception-type": make_condition_type, "exception-type?": lambda x: isinstance(x, ConditionType),
    "make-exception-with-message": make_exception_with_message,
    "exception-with-message?": condition_predicate(MESSAGE), "exception-message": exception_message,
    "make-exception-with-irritants": make_exception_with_irritants,
    "exception-with-irritants?": condition_predicate(IRRITANTS), "exception-irritants": exception_irritants,
    "make-exception-with-origin": make_exception_with_origin,
    "exception-with-origin?": condition_predicate(ORIGIN), "exception-origin": exception_origin,
    "make-error": lambda: CompoundCondition([(ERROR, {})]),
    "make-external-error": lambda: CompoundCondition([(EXTERNAL_ERROR, {})]),
    "external-error?": condition_predicate(EXTERNAL_ERROR),
    "exception-predicate": condition_predicate, "exception-accessor": condition_accessor,
}
