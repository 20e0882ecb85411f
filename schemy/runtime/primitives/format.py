"""Guile's ``(ice-9 format)``: Common Lisp style ``format``.

``format_string(template, args)`` is a pure function; the ``format``
primitive adds the destination handling and sends text to ports through
``OUTPUT_HOOK``, which the port system replaces at start-up.

The template is parsed into a small tree first (so ``~[...~]``, ``~{...~}``
and ``~(...~)`` nest naturally) and then interpreted against an argument
cursor.  Behaviour follows Guile 3.0 where it differs from Common Lisp, e.g.
``~f`` rounds half away from zero on the printed decimal digits and
``~t`` never moves past the current column.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any

from schemy.lang.datum import UNSPECIFIED, Char, MString, is_string, list_to_python, to_str
from schemy.lang.errors import scheme_error, wrong_type


def _default_output(dest: Any, text: str) -> None:
    if dest is True:
        sys.stdout.write(text)
    else:
        dest.write(text)


# Replaced by schemy.runtime.ports: called as OUTPUT_HOOK(destination, text) where
# destination is #t (current output port) or a port object.
OUTPUT_HOOK: Callable[[Any, str], None] = _default_output


class FormatError(Exception):
    """Internal: turned into a Scheme error by ``format_string``."""


def _error(detail: str) -> FormatError:
    return FormatError(detail)


def _display(x: Any) -> str:
    from schemy.lang.printer import display_string

    return display_string(x)


def _write(x: Any) -> str:
    from schemy.lang.printer import write_string

    return write_string(x)


# ------------------------------------------------------------------ parsing

_V = object()     # parameter taken from the next argument
_HASH = object()  # parameter = number of remaining arguments


class _Directive:
    __slots__ = ("char", "params", "colon", "at", "clauses", "default_index", "close_colon")

    def __init__(self, char: str, params: list[Any], colon: bool, at: bool) -> None:
        self.char = char
        self.params = params
        self.colon = colon
        self.at = at
        self.clauses: list[list[Any]] = []
        self.default_index: int | None = None
        self.close_colon = False


_CLOSERS = {"[": "]", "{": "}", "(": ")", "<": ">"}


def _parse(template: str, pos: int, closer: str | None) -> tuple[list[Any], int, _Directive | None]:
    """Nodes up to a ``~;`` or the closing directive (returned as the third value)."""
    nodes: list[Any] = []
    n = len(template)
    literal: list[str] = []
    while pos < n:
        c = template[pos]
        if c != "~":
            literal.append(c)
            pos += 1
            continue
        if literal:
            nodes.append("".join(literal))
            literal = []
        directive, pos = _parse_directive(template, pos + 1)
        ch = directive.char
        if ch in _CLOSERS:
            directive.clauses, pos = _parse_clauses(template, pos, directive)
            nodes.append(directive)
        elif ch in "]})>;":
            if closer is None or (ch != ";" and ch != closer):
                raise _error(f"unexpected ~{ch}")
            return nodes, pos, directive
        else:
            nodes.append(directive)
    if literal:
        nodes.append("".join(literal))
    if closer is not None:
        raise _error(f"missing ~{closer}")
    return nodes, pos, None


def _parse_clauses(template: str, pos: int, directive: _Directive) -> tuple[list[list[Any]], int]:
    closer = _CLOSERS[directive.char]
    clauses = []
    while True:
        nodes, pos, end = _parse(template, pos, closer)
        clauses.append(nodes)
        assert end is not None
        if end.char == ";":
            if end.colon:
                directive.default_index = len(clauses)
            continue
        directive.close_colon = end.colon
        return clauses, pos


def _parse_param(template: str, pos: int) -> tuple[Any, int]:
    """One prefix parameter (None when empty) and the position after it."""
    c = template[pos] if pos < len(template) else ""
    if c and c in "+-0123456789":
        start = pos
        pos += 1
        while pos < len(template) and template[pos].isdigit():
            pos += 1
        try:
            return int(template[start:pos]), pos
        except ValueError:
            raise _error("bad numeric parameter") from None
    if c == "'":
        if pos + 1 >= len(template):
            raise _error("unterminated directive")
        return template[pos + 1], pos + 2
    if c and c in "vV":
        return _V, pos + 1
    if c == "#":
        return _HASH, pos + 1
    return None, pos


def _parse_directive(template: str, pos: int) -> tuple[_Directive, int]:
    n = len(template)
    params: list[Any] = []
    if pos < n and template[pos] in "+-0123456789'vV#,":
        while True:
            param, pos = _parse_param(template, pos)
            params.append(param)
            if pos < n and template[pos] == ",":
                pos += 1
                continue
            break
    colon = at = False
    while pos < n and template[pos] in ":@":
        if template[pos] == ":":
            colon = True
        else:
            at = True
        pos += 1
    if pos >= n:
        raise _error("unterminated directive")
    directive = _Directive(template[pos].lower(), params, colon, at)
    pos += 1
    if directive.char == "\n" and not colon:
        # Tilde-newline: the newline and the next line's indentation are not output.
        while pos < n and template[pos] in " \t":
            pos += 1
    return directive, pos


# ------------------------------------------------------------------ interpretation


class _Escape(Exception):
    """``~^`` with nothing left to consume."""


class _Args:
    __slots__ = ("items", "pos")

    def __init__(self, items: list[Any]) -> None:
        self.items = items
        self.pos = 0

    def next(self) -> Any:
        if self.pos >= len(self.items):
            raise _error("missing argument(s)")
        x = self.items[self.pos]
        self.pos += 1
        return x

    def remaining(self) -> int:
        return len(self.items) - self.pos


class _Output:
    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, s: str) -> None:
        if s:
            self.parts.append(s)

    def column(self) -> int:
        col = 0
        for part in reversed(self.parts):
            i = part.rfind("\n")
            if i >= 0:
                return col + len(part) - i - 1
            col += len(part)
        return col

    def text(self) -> str:
        return "".join(self.parts)


def _list_items(x: Any) -> list[Any]:
    try:
        return list_to_python(x)
    except ValueError:
        raise _error("argument is not a list") from None


def _text_of(x: Any) -> str:
    if is_string(x):
        return to_str(x)
    raise _error("format string expected")


def _params(d: _Directive, args: _Args, defaults: list[Any]) -> list[Any]:
    values = list(defaults)
    for i, p in enumerate(d.params):
        if p is _V:
            p = args.next()
            if p is False:
                p = None
            elif p.__class__ is Char:
                p = p.ch
        elif p is _HASH:
            p = args.remaining()
        if p is not None and i < len(values):
            values[i] = p
        elif p is not None:
            values.append(p)
    return values


def _pad(text: str, mincol: int, colinc: int, minpad: int, padchar: str, left: bool) -> str:
    """Common Lisp column padding: ``minpad`` chars, then ``colinc`` chunks up to ``mincol``."""
    pad = padchar * minpad
    total = len(text) + minpad
    if total < mincol and colinc > 0:
        chunks = -(-(mincol - total) // colinc)
        pad += padchar * (chunks * colinc)
    return pad + text if left else text + pad


def _as_char(x: Any, default: str) -> str:
    if x is None:
        return default
    if isinstance(x, str):
        return x
    if x.__class__ is Char:
        return x.ch
    raise _error("bad pad character")


def _is_integer(x: Any) -> bool:
    from schemy.runtime.primitives.numbers import is_integer_value

    return is_integer_value(x)


def _format_integer(d: _Directive, args: _Args, radix: int, params: list[Any]) -> str:
    mincol, padchar, commachar, interval = params[:4]
    x = args.next()
    if not _is_integer(x):
        raise _error("argument not an integer")
    from schemy.runtime.primitives.numbers import number_to_string

    if x.__class__ is not int:
        body = number_to_string(x, radix)
        sign = ""
        if body.startswith("-"):
            sign, body = "-", body[1:]
        elif d.at:
            sign = "+"
    else:
        body = number_to_string(abs(x), radix)
        sign = "-" if x < 0 else ("+" if d.at else "")
        if d.colon:
            interval = interval if isinstance(interval, int) and interval > 0 else 3
            sep = _as_char(commachar, ",")
            groups = []
            while len(body) > interval:
                groups.append(body[-interval:])
                body = body[:-interval]
            groups.append(body)
            body = sep.join(reversed(groups))
    text = sign + body
    mincol = mincol if isinstance(mincol, int) else 0
    if mincol < 0:
        raise _error('"mincol" parameter must be a positive integer')
    return _pad(text, mincol, 1, 0, _as_char(padchar, " "), True)


def _decimal_of(x: Any) -> Decimal | None:
    """The printed digits of a real as a Decimal (None for inf/nan), as Guile's format rounds them."""
    from schemy.lang.printer import float_to_string

    if x.__class__ is int:
        return Decimal(x)
    f = float(x) if x.__class__ is Fraction else x
    if f != f or f in (float("inf"), float("-inf")):
        return None
    return Decimal(float_to_string(f))


# Enough precision that rounding big numbers to a few decimals is always exact.
_CTX = Context(prec=4000)


def _number_arg(args: _Args) -> Any:
    x = args.next()
    cls = x.__class__
    if cls is int or cls is float or cls is Fraction:
        return x
    if cls is str or cls is MString:
        from schemy.runtime.primitives.numbers import string_to_number

        value = string_to_number(x)
        if value is not False:
            return value
    raise _error("argument is not a number")


def _fixed(dec: Decimal, digits: int | None) -> str:
    if digits is None:
        text = format(dec.normalize(_CTX), "f")
        if "." not in text:
            text += ".0"
        return text
    q = dec.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=_CTX)
    text = format(q, "f")
    return text + "." if digits == 0 else text


def _format_fixed(d: _Directive, args: _Args) -> str:
    w, digits, k, overflow, padchar = _params(d, args, [None, None, 0, None, None])[:5]
    x = _number_arg(args)
    dec = _decimal_of(x)
    if dec is None:
        from schemy.lang.printer import number_to_string

        text = number_to_string(float(x))
    else:
        if k:
            dec = dec.scaleb(k, _CTX)
        text = _fixed(dec, digits)
        if d.at and not text.startswith("-"):
            text = "+" + text
    if isinstance(w, int):
        if len(text) > w and overflow is not None:
            return _as_char(overflow, "*") * w
        return text.rjust(w, _as_char(padchar, " "))
    return text


def _format_exponential(d: _Directive, args: _Args) -> str:
    w, digits, e_digits, k, overflow, padchar, expchar = _params(
        d, args, [None, None, None, 1, None, None, None])[:7]
    x = _number_arg(args)
    dec = _decimal_of(x)
    if dec is None:
        from schemy.lang.printer import number_to_string

        return number_to_string(float(x))
    sign = "-" if dec.is_signed() else ("+" if d.at else "")
    dec = abs(dec)
    k = k if isinstance(k, int) else 1
    if dec == 0:
        exponent = 0
        mantissa = Decimal(0)
    else:
        exponent = dec.adjusted() - (k - 1)
        mantissa = dec.scaleb(-exponent, _CTX)
    body = _fixed(mantissa.normalize(_CTX) if digits is None else mantissa, digits)
    exp_text = str(abs(exponent))
    if isinstance(e_digits, int):
        exp_text = exp_text.rjust(e_digits, "0")
    text = f"{sign}{body}{_as_char(expchar, 'E')}{'-' if exponent < 0 else '+'}{exp_text}"
    if isinstance(w, int):
        if len(text) > w and overflow is not None:
            return _as_char(overflow, "*") * w
        return text.rjust(w, _as_char(padchar, " "))
    return text


def _format_dollars(d: _Directive, args: _Args) -> str:
    digits, min_int, w, padchar = _params(d, args, [2, 1, 0, None])[:4]
    x = _number_arg(args)
    dec = _decimal_of(x)
    if dec is None:
        from schemy.lang.printer import number_to_string

        return number_to_string(float(x))
    text = _fixed(abs(dec), digits)
    whole, _, frac = text.partition(".")
    text = whole.rjust(min_int, "0") + "." + frac
    sign = "-" if dec.is_signed() else ("+" if d.at else "")
    return (sign + text).rjust(w if isinstance(w, int) else 0, _as_char(padchar, " "))


# English and Roman numerals for ~r

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ["", " thousand", " million", " billion", " trillion", " quadrillion", " quintillion",
           " sextillion", " septillion", " octillion", " nonillion", " decillion"]
_ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                  "nine": "ninth", "twelve": "twelfth"}


def _below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return " ".join(words)


def _cardinal(n: int) -> str:
    if n < 0:
        return "minus " + _cardinal(-n)
    if n == 0:
        return "zero"
    groups = []
    scale = 0
    while n:
        n, chunk = divmod(n, 1000)
        if chunk:
            if scale >= len(_SCALES):
                raise _error("number too large for ~r")
            groups.append(_below_thousand(chunk) + _SCALES[scale])
        scale += 1
    return ", ".join(reversed(groups))


def _ordinal(n: int) -> str:
    words = _cardinal(n)
    head, sep, last = max(words.rpartition(" "), words.rpartition("-"), key=lambda t: len(t[0]))
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def _roman(n: int, old: bool) -> str:
    if not 0 < n < 4000:
        raise _error("number out of range for roman numerals")
    table = [(1000, "M"), (500, "D"), (100, "C"), (50, "L"), (10, "X"), (5, "V"), (1, "I")]
    if not old:
        table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, letters in table:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _format_radix(d: _Directive, args: _Args) -> str:
    params = _params(d, args, [None, None, None, None, None])
    radix = params[0]
    if isinstance(radix, int):
        if not 2 <= radix <= 36:
            raise _error("radix out of range")
        return _format_integer(d, args, radix, params[1:5])
    x = args.next()
    if x.__class__ is not int:
        raise _error("argument not an integer")
    if d.at:
        return _roman(x, d.colon)
    return _ordinal(x) if d.colon else _cardinal(x)


def _case_convert(text: str, d: _Directive) -> str:
    if d.colon and d.at:
        return text.upper()
    if d.colon:
        return text.title()
    if d.at:
        lowered = text.lower()
        for i, c in enumerate(lowered):
            if c.isalpha():
                return lowered[:i] + c.upper() + lowered[i + 1:]
        return lowered
    return text.lower()


def _run(nodes: list[Any], args: _Args, out: _Output) -> None:
    for node in nodes:
        if node.__class__ is str:
            out.write(node)
        else:
            _directive(node, args, out)


def _directive(d: _Directive, args: _Args, out: _Output) -> None:
    ch = d.char
    if ch == "a" or ch == "s":
        mincol, colinc, minpad, padchar = _params(d, args, [0, 1, 0, None])[:4]
        x = args.next()
        text = _display(x) if ch == "a" else _write(x)
        out.write(_pad(text, mincol, colinc, minpad, _as_char(padchar, " "), d.at))
    elif ch in "dxob":
        radix = {"d": 10, "x": 16, "o": 8, "b": 2}[ch]
        out.write(_format_integer(d, args, radix, _params(d, args, [None, None, None, None])))
    elif ch == "r":
        out.write(_format_radix(d, args))
    elif ch == "f":
        out.write(_format_fixed(d, args))
    elif ch == "e":
        out.write(_format_exponential(d, args))
    elif ch == "g":
        out.write(_format_fixed(d, args) + "    ")
    elif ch == "$":
        out.write(_format_dollars(d, args))
    elif ch == "c":
        x = args.next()
        if x.__class__ is not Char:
            raise _error("argument not a character")
        out.write(_write(x) if d.at else x.ch)
    elif ch == "y":
        out.write(_write(args.next()) + "\n")
    elif ch == "i":
        out.write(_display(args.next()))
    elif ch == "%" or ch == "n":
        (count,) = _params(d, args, [1])[:1]
        out.write("\n" * count)
    elif ch == "&":
        (count,) = _params(d, args, [1])[:1]
        if count > 0:
            out.write(("\n" if out.column() != 0 else "") + "\n" * (count - 1))
    elif ch == "|":
        (count,) = _params(d, args, [1])[:1]
        out.write("\f" * count)
    elif ch == "/":  # Guile's (ice-9 format): a tab (or N of them)
        (count,) = _params(d, args, [1])[:1]
        out.write("\t" * count)
    elif ch == "~":
        (count,) = _params(d, args, [1])[:1]
        out.write("~" * count)
    elif ch == "\n":
        if d.at:
            out.write("\n")
    elif ch == "t":
        colnum, colinc = _params(d, args, [1, 1])[:2]
        col = out.column()
        if d.at:
            spaces = colnum
            if colinc > 1:
                spaces += (-(col + spaces)) % colinc
            out.write(" " * spaces)
        elif col < colnum:
            out.write(" " * (colnum - col))
    elif ch == "p":
        if d.colon:
            if args.pos == 0:
                raise _error("no previous argument")
            args.pos -= 1
        x = args.next()
        plural = x != 1 if x.__class__ in (int, float, Fraction) else True
        out.write(("ies" if plural else "y") if d.at else ("s" if plural else ""))
    elif ch == "*":
        if d.at:
            (n,) = _params(d, args, [0])[:1]
            if not 0 <= n <= len(args.items):
                raise _error("~@* out of range")
            args.pos = n
        else:
            (n,) = _params(d, args, [1])[:1]
            new = args.pos - n if d.colon else args.pos + n
            if not 0 <= new <= len(args.items):
                raise _error("~* out of range")
            args.pos = new
    elif ch == "?" or ch == "k":
        template = _text_of(args.next())
        if d.at:
            _run(_parse_template(template), args, out)
        else:
            sub = _Args(_list_items(args.next()))
            _run(_parse_template(template), sub, out)
    elif ch == "[":
        _conditional(d, args, out)
    elif ch == "{":
        _iterate(d, args, out)
    elif ch == "(":
        inner = _Output()
        try:
            _run(d.clauses[0], args, inner)
        finally:
            out.write(_case_convert(inner.text(), d))
    elif ch == "^":
        if args.remaining() == 0:
            raise _Escape()
    elif ch == "!":
        pass
    elif ch == "q":
        out.write("SLIB Common LISP format version 3.0\n")
    else:
        raise _error(f"unknown control character `{ch}'")


def _conditional(d: _Directive, args: _Args, out: _Output) -> None:
    clauses = d.clauses
    if d.at:
        x = args.next()
        if x is not False:
            args.pos -= 1
            _run(clauses[0], args, out)
        return
    if d.colon:
        x = args.next()
        _run(clauses[1] if x is not False and len(clauses) > 1 else clauses[0], args, out)
        return
    params = _params(d, args, [None])
    index = params[0] if params[0] is not None else args.next()
    if index.__class__ is not int:
        raise _error("argument not an integer")
    if 0 <= index < len(clauses) and index != d.default_index:
        _run(clauses[index], args, out)
    elif d.default_index is not None:
        _run(clauses[d.default_index], args, out)


def _iterate(d: _Directive, args: _Args, out: _Output) -> None:
    (limit,) = _params(d, args, [None])[:1]
    body = d.clauses[0]
    if not [n for n in body if n != ""]:
        body = _parse_template(_text_of(args.next()))
    if d.at:
        source = args
    else:
        source = _Args(_list_items(args.next()))
    count = 0
    # Guile ignores the "at least once" meaning of ~:} (an empty list prints nothing).
    while source.remaining() > 0 and (limit is None or count < limit):
        count += 1
        if d.colon:
            sub = _Args(_list_items(source.next()))
            try:
                _run(body, sub, out)
            except _Escape:
                continue
        else:
            try:
                _run(body, source, out)
            except _Escape:
                break


_TEMPLATE_CACHE: dict[str, list[Any]] = {}


def _parse_template(template: str) -> list[Any]:
    nodes = _TEMPLATE_CACHE.get(template)
    if nodes is None:
        nodes, _, _ = _parse(template, 0, None)
        if len(_TEMPLATE_CACHE) < 512:
            _TEMPLATE_CACHE[template] = nodes
    return nodes


def format_string(template: str, args: list[Any]) -> str:
    """Expand a format template with its arguments; errors become Scheme errors."""
    out = _Output()
    try:
        _run(_parse_template(template), _Args(list(args)), out)
    except _Escape:
        pass
    except FormatError as exc:
        raise scheme_error("error in format", origin="format", hint=str(exc)) from None
    return out.text()


# ------------------------------------------------------------------ primitives


def format_(destination: Any, *rest: Any) -> Any:
    """``(format dest template arg ...)``: dest #f returns a string, #t or a port prints."""
    if not rest:
        raise scheme_error("format: expected a string for format string", destination)
    template, args = rest[0], rest[1:]
    if template.__class__ is not str and template.__class__ is not MString:
        raise scheme_error("format: expected a string for format string", template)
    text = format_string(str(template), list(args))
    if destination is False:
        return text
    if destination.__class__ is str or destination.__class__ is MString or destination.__class__ is int:
        raise scheme_error("format: bad destination", destination)
    OUTPUT_HOOK(destination, text)
    return UNSPECIFIED


def simple_format_string(template: str, args: list[Any]) -> str:
    """Guile's core ``simple-format``: only ~a, ~s, ~% and ~~."""
    out = []
    it = iter(args)
    i = 0
    n = len(template)
    while i < n:
        c = template[i]
        if c == "~" and i + 1 < n:
            d = template[i + 1]
            i += 2
            if d in "aA":
                out.append(_display(_next_simple(it)))
            elif d in "sS":
                out.append(_write(_next_simple(it)))
            elif d == "%":
                out.append("\n")
            elif d == "~":
                out.append("~")
            else:
                raise scheme_error(f"FORMAT: Unsupported format option ~{d} - use (ice-9 format) instead",
                                   origin="simple-format")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _next_simple(it: Any) -> Any:
    try:
        return next(it)
    except StopIteration:
        raise scheme_error("FORMAT: Missing argument", origin="simple-format") from None


def simple_format(destination: Any, template: Any, *args: Any) -> Any:
    if template.__class__ is not str and template.__class__ is not MString:
        raise wrong_type("simple-format", 2, template, "string")
    text = simple_format_string(str(template), list(args))
    if destination is False:
        return text
    OUTPUT_HOOK(destination, text)
    return UNSPECIFIED


PRIMITIVES: dict[str, Any] = {
    "format": format_,
    "simple-format": simple_format,
}
