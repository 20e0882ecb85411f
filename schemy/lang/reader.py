"""The Scheme reader: text to schemy datums, the way Guile 3's default reader does it.

The syntax lives in ``grammar/scheme.lark`` and is parsed by Lark's LALR
parser with an inline transformer, so every rule turns straight into a datum.
Tokens come from ``_lex``, a hand-written lexer: one compiled regex plus a
little Python dispatch.  It is several times faster than Lark's own lexer,
handles what a regular grammar cannot (nested ``#| |#``), converts atoms to
their final values, and reports bracket errors where they really are.

Most text never reaches Lark: ``_build`` reads the common syntax by hand with the same
regex and gives the same data; datum comments, directives, ``|...|`` symbols under read
options and malformed text go through the grammar (which also gives the precise errors).
Datum labels (``#0=(a . #0#)``, R7RS 2.4) build shared and cyclic data in both paths.

Source locations: every pair of a list's spine carries the location of the
list's opening bracket (the same ``SourceLocation`` object, so it costs one
allocation per list); an abbreviation such as ``'x`` carries the location of
its prefix character.  Lines count from 1 and columns from 0, with tabs
advancing to the next multiple of 8, as in Guile.

Errors are ``ReadError``s located precisely (a stray bracket, the opening of
an unclosed list, the start of an unterminated string or comment, the
backslash of a bad escape).  Each has an ``incomplete`` attribute: True when
the text merely ends too early, so a REPL or port can wait for more input.

Deliberate differences from Guile: a ``.`` outside a list, and ``(. x)``, are
errors (Guile reads the symbol ``.`` and ``x``); ``#nil`` reads as ``#f``; the
uniform-vector, array and bit-vector syntaxes (``#f32(...)``, ``#2(...)``,
``#*101``) are reported as unsupported; after ``#:`` the keyword's name must
follow directly (Guile also skips whitespace there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from schemy.lang.datum import EOF_OBJECT, NIL, Char, Keyword, Pair, SourceLocation, Symbol, make_pair
from schemy.lang.errors import ReadError
from schemy.lang.number_syntax import OutOfRange, number_value, parse_number

__all__ = ["read", "read_first", "is_complete", "parse_number", "GRAMMAR_PATH"]

from schemy.lang.resources import GRAMMAR_PATH  # noqa: E402

# ---------------------------------------------------------------- tokens

# Only these five characters are whitespace for Guile's reader; together with
# ( ) [ ] ; and " they end a token.  Everything else (even ' ` , # | { }) may
# appear inside a symbol.
_DELIMS = " \t\n\r\f()[];\""
_NOT_DELIM = r'[^ \t\n\r\f()\[\];"]'

_G_ATOM, _G_OPEN, _G_CLOSE, _G_STRING, _G_KEYWORD, _G_HASH, _G_QUOTE, _G_COMMENT, _G_OPEN_STRING, _G_EOF = (
    range(1, 11))

_TOKEN_RE = re.compile(
    r"[ \t\n\r\f]*(?:"
    r"""([^ \t\n\r\f()\[\];"'`,#]""" + _NOT_DELIM + r"*)"  # 1 bare token: symbol, number or .
    r"|([(\[])"                                            # 2 open
    r"|([)\]])"                                            # 3 close
    r'|"([^"\\]*(?:\\.[^"\\]*)*)"'                         # 4 string (body)
    r"""|#:([^ \t\n\r\f()\[\];"'`,#]""" + _NOT_DELIM + r"*)"  # 5 keyword (simple form)
    r"|(#)"                                                # 6 any other # syntax
    r"|(,@|['`,])"                                         # 7 abbreviation prefix
    r"|(;[^\n]*)"                                          # 8 line comment
    r'|(")'                                                # 9 a string that never ends
    r"|(\Z))",                                             # 10 end of input
    re.S)

_TOKEN_TAIL_RE = re.compile(_NOT_DELIM + "*")
_DIRECTIVE_RE = re.compile(r"[-A-Za-z0-9]*")

_NUMBER_START = frozenset("0123456789+-.")


class _Tok:
    """A token for Lark's parser: ``type`` is the terminal name, ``pos`` the offset.

    Much cheaper than ``lark.Token``.  The class attributes are the only
    other fields Lark looks at (to build its end-of-input token).
    """

    __slots__ = ("type", "value", "pos")
    start_pos = line = column = end_line = end_column = end_pos = None

    def __init__(self, type: str, value: Any, pos: int) -> None:
        self.type = type
        self.value = value
        self.pos = pos

    def __repr__(self) -> str:
        return f"_Tok({self.type}, {self.value!r}, {self.pos})"


_QUOTE_TOKENS = {"'": "QUOTE", "`": "QUASIQUOTE", ",": "UNQUOTE", ",@": "UNQUOTE_SPLICING"}

# terminal -> (symbol the abbreviation expands to, how it is written)
_ABBREVIATIONS = {
    "QUOTE": (Symbol("quote"), "'"),
    "QUASIQUOTE": (Symbol("quasiquote"), "`"),
    "UNQUOTE": (Symbol("unquote"), ","),
    "UNQUOTE_SPLICING": (Symbol("unquote-splicing"), ",@"),
    "SYNTAX": (Symbol("syntax"), "#'"),
    "QUASISYNTAX": (Symbol("quasisyntax"), "#`"),
    "UNSYNTAX": (Symbol("unsyntax"), "#,"),
    "UNSYNTAX_SPLICING": (Symbol("unsyntax-splicing"), "#,@"),
    "GEXP": (Symbol("gexp"), "#~"),
    "UNGEXP": (Symbol("ungexp"), "#$"),
    "UNGEXP_SPLICING": (Symbol("ungexp-splicing"), "#$@"),
    "UNGEXP_NATIVE": (Symbol("ungexp-native"), "#+"),
    "UNGEXP_NATIVE_SPLICING": (Symbol("ungexp-native-splicing"), "#+@"),
}

_CLOSE_NAMES = {"RPAR": "')'", "RBRACK": "']'", "DOT": "'.'", "$END": "end of file"}

# Character names, matched case-insensitively like Guile (R5RS, R6RS, R7RS,
# the C0 control names, and a few old aliases).
_CHAR_NAMES = {
    "space": " ", "newline": "\n",
    "nul": "\0", "alarm": "\a", "backspace": "\b", "tab": "\t", "linefeed": "\n",
    "vtab": "\v", "page": "\f", "return": "\r", "esc": "\x1b", "delete": "\x7f",
    "escape": "\x1b",
    "soh": "\x01", "stx": "\x02", "etx": "\x03", "eot": "\x04", "enq": "\x05", "ack": "\x06",
    "bel": "\x07", "bs": "\x08", "ht": "\x09", "lf": "\x0a", "vt": "\x0b", "ff": "\x0c",
    "cr": "\x0d", "so": "\x0e", "si": "\x0f", "dle": "\x10", "dc1": "\x11", "dc2": "\x12",
    "dc3": "\x13", "dc4": "\x14", "nak": "\x15", "syn": "\x16", "etb": "\x17", "can": "\x18",
    "em": "\x19", "sub": "\x1a", "fs": "\x1c", "gs": "\x1d", "rs": "\x1e", "us": "\x1f",
    "sp": " ", "del": "\x7f",
    "null": "\0", "nl": "\n", "np": "\f",
}

_STRING_ESCAPES = {
    "\\": "\\", '"': '"', "(": "(", "|": "|",
    "0": "\0", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_LINE_ENDS = frozenset("\n\r\x85\u2028")
_EOL_AFTER_BLANKS = re.compile("[ \t]+(?:\r\n|\r\x85|[\n\r\x85\u2028])[ \t]*")

# Guile's reader options that change how text reads (read-enable/read-disable set them):
# "r7rs-symbols" makes |a b| a symbol, "r6rs-hex-escapes" reads "\x41;" as "A" and
# "hungry-eol-escapes" skips the indentation after a backslash-newline, as in R7RS.
OPTIONS: set[str] = set()

_DIRECTIVES = frozenset({"fold-case", "no-fold-case", "r6rs", "curly-infix",
                         "curly-infix-and-bracket-lists"})


class _Skipped:
    """The value of a datum comment inside the parser (never escapes it)."""

    __slots__ = ()


_SKIPPED = _Skipped()


class _Label:
    """A datum label ``#n=`` while its datum is read; ``#n#`` reads as this placeholder,
    replaced by the datum once the whole text is read (``_patch_labels``), so that
    ``#0=(a . #0#)`` is a cyclic list (R7RS 2.4)."""

    __slots__ = ("n", "value")

    def __init__(self, n: int) -> None:
        self.n = n
        self.value: Any = self


_LABEL_RE = re.compile(r"([0-9]+)([=#])")


def _patch_labels(src: _Source, data: list) -> None:
    """Replace every label placeholder in ``data`` by its datum (the data may now be cyclic)."""
    def resolve(x: Any) -> Any:
        seen = 0
        while x.__class__ is _Label:
            if x.value is x or seen > len(src.labels or ()):
                raise src.error(f"datum label #{x.n}= refers to itself and nothing else", src.start)
            x = x.value
            seen += 1
        return x

    for i, x in enumerate(data):
        if x.__class__ is _Label:
            data[i] = resolve(x)
    done: set[int] = set()
    todo = list(data)
    while todo:
        x = todo.pop()
        if x.__class__ is Pair:
            if id(x) in done:
                continue
            done.add(id(x))
            if x.car.__class__ is _Label:
                x.car = resolve(x.car)
            if x.cdr.__class__ is _Label:
                x.cdr = resolve(x.cdr)
            todo.append(x.car)
            todo.append(x.cdr)
        elif x.__class__ is list:
            if id(x) in done:
                continue
            done.add(id(x))
            for i, y in enumerate(x):
                if y.__class__ is _Label:
                    x[i] = resolve(y)
            todo.extend(x)


class _Source:
    """The text being read and the lexer's state (also used for error messages).

    ``mode`` 0 reads everything; 1 stops after the first complete datum
    (``read_first``); 2 only scans, never parses (``is_complete``).
    """

    __slots__ = ("text", "start", "end", "filename", "mode", "stack", "stop", "fold", "labels", "cycle", "more")

    def __init__(self, text: str, filename: str, start: int = 0, mode: int = 0) -> None:
        self.text = text
        self.start = start
        self.end = len(text)
        self.filename = filename
        self.mode = mode
        # Open brackets (closing char, offset, opener text); in modes 1 and 2
        # also pending abbreviations ("P", offset, prefix) and datum comments ("C", ...).
        self.stack: list[tuple[str, int, str]] = []
        self.stop = self.end
        self.fold = False
        self.labels: dict[int, _Label] | None = None  # datum labels #n= seen so far
        self.cycle: int | None = None  # offset of the first #n# inside its own #n= datum
        self.more = False  # the text may continue (a port not at its end): see read_first

    def locate(self, pos: int) -> SourceLocation:
        """The Guile-style location of offset ``pos``."""
        line, line_start = _line_at(self.text, pos)
        return SourceLocation(self.filename, line, _column(self.text, line_start, pos))

    def error(self, message: str, pos: int, hint: str | None = None, incomplete: bool = False) -> ReadError:
        err = ReadError(message, self.locate(pos), hint)
        err.incomplete = incomplete  # type: ignore[attr-defined]
        err.offset = pos  # type: ignore[attr-defined]
        return err

    def where(self, pos: int) -> str:
        loc = self.locate(pos)
        return f"{loc.line}:{loc.column}"


# (text, offset, line, line start) of the last lookup.  read_first is called
# once per datum when a port is read datum by datum: starting from where the
# previous call stopped keeps that linear instead of quadratic.
# (Replaced as a whole tuple, so concurrent readers never see it half-updated.)
_line_memo: tuple[str | None, int, int, int] = (None, 0, 1, 0)


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """(line, offset of that line's start) for offset ``pos`` of ``text``."""
    global _line_memo
    memo_text, base, line, line_start = _line_memo
    if memo_text is not text or base > pos:
        base, line, line_start = 0, 1, 0
    n = text.count("\n", base, pos)
    if n:
        line += n
        line_start = text.rfind("\n", base, pos) + 1
    _line_memo = (text, pos, line, line_start)
    return line, line_start


def _column(text: str, line_start: int, pos: int) -> int:
    if text.find("\t", line_start, pos) < 0:
        return pos - line_start
    column = 0
    for ch in text[line_start:pos]:
        column = (column // 8 + 1) * 8 if ch == "\t" else column + 1
    return column


def _lex(src: _Source) -> Iterator[_Tok]:
    """Yield the tokens of ``src.text`` from ``src.start`` (see the grammar file).

    Tracks brackets so that a stray, mismatched or unclosed one is reported
    at the right place before the parser ever sees it.
    """
    text = src.text
    end = src.end
    pos = src.start
    filename = src.filename
    stack = src.stack
    mode = src.mode
    tracking = mode != 0
    match = _TOKEN_RE.match
    symbols = Symbol._table
    Tok = _Tok
    Loc = SourceLocation
    # Line bookkeeping for the (increasing) offsets of brackets and prefixes.
    lt_pos = pos
    lt_line, lt_start = _line_at(text, pos)
    fold = False

    while True:
        m = match(text, pos, end)
        group = m.lastindex  # type: ignore[union-attr]
        pos = m.end()  # type: ignore[union-attr]
        if group == _G_ATOM:
            tok = m[1]  # type: ignore[index]
            start = pos - len(tok)
            if tok[0] in _NUMBER_START:
                if tok == ".":
                    yield Tok("DOT", src.locate(start), start)
                    continue
                try:
                    value = number_value(tok, 10, None)
                except OutOfRange:
                    raise src.error(f"number out of range: {tok}", start) from None
                if value is not None:
                    yield Tok("NUMBER", value, start)
                    if tracking and _datum_done(src, pos):
                        return
                    continue
            if tok[0] == "|" and "r7rs-symbols" in OPTIONS:
                name, pos = _read_bar_symbol(src, start)
                yield Tok("SYMBOL", Symbol(name), start)
                if tracking and _datum_done(src, pos):
                    return
                continue
            if "\\x" in tok and "r7rs-symbols" in OPTIONS:
                name, pos = _read_escaped_identifier(src, start)
                yield Tok("SYMBOL", Symbol(name.lower() if fold else name), start)
                if tracking and _datum_done(src, pos):
                    return
                continue
            if fold:
                tok = tok.lower()
            sym = symbols.get(tok)
            yield Tok("SYMBOL", sym if sym is not None else Symbol(tok), start)
            if tracking and _datum_done(src, pos):
                return
        elif group == _G_OPEN:
            start = pos - 1
            n = text.count("\n", lt_pos, start)
            if n:
                lt_line += n
                lt_start = text.rfind("\n", lt_pos, start) + 1
            lt_pos = start
            loc = Loc(filename, lt_line, _column(text, lt_start, start))
            if text[start] == "(":
                stack.append((")", start, "("))
                yield Tok("LPAR", loc, start)
            else:
                stack.append(("]", start, "["))
                yield Tok("LBRACK", loc, start)
        elif group == _G_CLOSE:
            start = pos - 1
            ch = text[start]
            if not stack:
                raise src.error(f"unexpected '{ch}'", start, "there is no open bracket for it to close")
            want, opened, opener = stack[-1]
            if want != ch:
                if want in ")]":
                    raise src.error(
                        f"mismatched close paren: '{ch}' cannot close the '{opener}' opened at "
                        f"{src.where(opened)}", start, f"close it with '{want}'")
                # An abbreviation or datum comment still waits for its datum.
                raise src.error(f"unexpected '{ch}' after {opener}", start,
                                f"{opener} must be followed by a datum")
            stack.pop()
            yield Tok("RPAR" if ch == ")" else "RBRACK", None, start)
            if tracking and _datum_done(src, pos):
                return
        elif group == _G_STRING:
            body = m[4]  # type: ignore[index]
            start = m.start(4) - 1  # type: ignore[union-attr]
            yield Tok("STRING", _string_value(src, body, start + 1) if "\\" in body else body, start)
            if tracking and _datum_done(src, pos):
                return
        elif group == _G_KEYWORD:
            name = m[5]  # type: ignore[index]
            start = pos - len(name) - 2
            if name[0] in _NUMBER_START and _is_number(name):
                raise src.error(f"keyword prefix #: not followed by a symbol: #:{name}", start)
            yield Tok("KEYWORD", Keyword(name.lower() if fold else name), start)
            if tracking and _datum_done(src, pos):
                return
        elif group == _G_HASH:
            start = pos - 1
            kind, value, pos = _read_hash(src, start)
            if kind is None:
                fold = src.fold
                continue
            if kind == "LABEL_DEF":
                if tracking:
                    stack.append(("P", start, text[start:pos]))
                yield Tok(kind, value, start)
            elif kind in _ABBREVIATIONS or kind == "VECTOR_OPEN" or kind == "BYTEVECTOR_OPEN":
                n = text.count("\n", lt_pos, start)
                if n:
                    lt_line += n
                    lt_start = text.rfind("\n", lt_pos, start) + 1
                lt_pos = start
                value = Loc(filename, lt_line, _column(text, lt_start, start))
                if kind == "VECTOR_OPEN":
                    stack.append((")", start, "#("))
                elif kind == "BYTEVECTOR_OPEN":
                    stack.append((")", start, text[start:pos]))
                elif tracking:
                    stack.append(("P", start, _ABBREVIATIONS[kind][1]))
                yield Tok(kind, value, start)
            elif kind == "DATUM_COMMENT":
                if tracking:
                    stack.append(("C", start, "#;"))
                yield Tok(kind, value, start)
            else:
                yield Tok(kind, value, start)
                if tracking and _datum_done(src, pos):
                    return
        elif group == _G_QUOTE:
            prefix = m[7]  # type: ignore[index]
            start = pos - len(prefix)
            n = text.count("\n", lt_pos, start)
            if n:
                lt_line += n
                lt_start = text.rfind("\n", lt_pos, start) + 1
            lt_pos = start
            if tracking:
                stack.append(("P", start, prefix))
            yield Tok(_QUOTE_TOKENS[prefix], Loc(filename, lt_line, _column(text, lt_start, start)), start)
        elif group == _G_COMMENT:
            continue
        elif group == _G_OPEN_STRING:
            raise src.error("unexpected end of file: unterminated string", pos - 1,
                            "the string starting here has no closing '\"'", incomplete=True)
        else:  # end of input
            if stack:
                _unclosed(src, stack)
            src.stop = end
            return


def _datum_done(src: _Source, pos: int) -> bool:
    """Modes 1 and 2: a datum just ended at ``pos``; True when it completes a top-level datum."""
    stack = src.stack
    while stack and stack[-1][0] == "P":
        stack.pop()
    if stack:
        if stack[-1][0] == "C":
            stack.pop()
        return False
    if src.mode == 1:
        src.stop = pos
        return True
    return False


def _unclosed(src: _Source, stack: list[tuple[str, int, str]]) -> None:
    want, opened, opener = stack[-1]
    if want == "P" or want == "C":
        raise src.error(f"unexpected end of file after {opener}", opened,
                        f"{opener} must be followed by a datum", incomplete=True)
    what = "vector" if opener.startswith("#") else "list"
    hint = None
    outer = next((entry for entry in stack if entry[0] in ")]"), None)
    if outer is not None and outer[1] != opened:
        hint = f"the enclosing form starting at {src.where(outer[1])} is not closed either"
    suspect = _misindented_open(src.text, outer[1] if outer is not None else opened)
    if suspect is not None and suspect[0] != opened:
        form_pos, line_pos = suspect
        line = src.locate(line_pos).line
        hint = f"line {line} is indented as if this form ended before it"
        opened, opener = form_pos, src.text[form_pos]
        what = "list"
        want = ")" if opener == "(" else "]"
    raise src.error(f"unexpected end of file: missing '{want}' for the {what} opened at "
                    f"{src.where(opened)}", opened, hint, incomplete=True)


def _misindented_open(text: str, start: int) -> tuple[int, int] | None:
    """Where a bracket is most likely missing, judged by indentation, as a reader of Lisp does:
    the first line (from ``start``) that begins with a datum at or left of the column of the
    innermost form still open, opened on an earlier line.  That form was probably meant to be
    closed before the line.  Returns (offset of that form's open bracket, offset of the line).

    Only run after a missing bracket is found, so it may be simple rather than fast: strings,
    comments and character literals are skipped; nothing else of the syntax matters here."""
    opens: list[tuple[int, int, int]] = []  # (offset, column, line start) of each open bracket
    i, n = start, len(text)
    line_start = text.rfind("\n", 0, start) + 1
    at_line_start = False
    while i < n:
        c = text[i]
        if c == "\n":
            line_start, at_line_start = i + 1, True
            i += 1
            continue
        if c in " \t\r\f":
            i += 1
            continue
        if at_line_start:
            at_line_start = False
            if c not in ")]" and c != ";" and opens:
                pos, column, opened_line = opens[-1]
                if i - line_start <= column and opened_line != line_start:
                    return pos, line_start
        if c == ";":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif c == "#" and text.startswith("#|", i):
            close = text.find("|#", i + 2)
            i = n if close < 0 else close + 2
        elif c == "#" and text.startswith("#\\", i):
            i += 3
        elif c in "([":
            opens.append((i, i - line_start, line_start))
            i += 1
        elif c in ")]":
            if opens:
                opens.pop()
            i += 1
        else:
            i += 1
    return None


def _is_number(tok: str) -> bool:
    try:
        return number_value(tok, 10, None) is not None
    except OutOfRange:
        return True


def _string_value(src: _Source, body: str, base: int) -> str:
    """Interpret the escapes of a string literal whose body starts at offset ``base``."""
    out = []
    i = 0
    while True:
        j = body.find("\\", i)
        if j < 0:
            out.append(body[i:])
            return "".join(out)
        out.append(body[i:j])
        c = body[j + 1]
        simple = _STRING_ESCAPES.get(c)
        if simple is not None:
            out.append(simple)
            i = j + 2
        elif c in _LINE_ENDS:
            # Backslash-newline continues the string.  Guile knows only the linefeed; the other
            # line endings of R7RS (return, return-linefeed) and R6RS (next line, line
            # separator, return-next-line) are errors there and continue the string here.
            i = j + 2
            if c == "\r" and i < len(body) and body[i] in "\n\x85":
                i += 1
            if "hungry-eol-escapes" in OPTIONS:  # the next line's indentation is skipped too
                while i < len(body) and body[i] in " \t":
                    i += 1
        elif c in " \t" and _EOL_AFTER_BLANKS.match(body, j + 1):
            # R7RS `\<intraline whitespace>*<line ending><intraline whitespace>*` is nothing
            # (Guile rejects the blanks before the line ending; R7RS text has them).
            i = _EOL_AFTER_BLANKS.match(body, j + 1).end()  # type: ignore[union-attr]
        elif c == "x" and "r6rs-hex-escapes" in OPTIONS:  # \x<hex>...; as in R6RS and R7RS
            semi = body.find(";", j + 2)
            digits = body[j + 2:semi] if semi >= 0 else ""
            if not digits or not all(d in _HEX_DIGITS for d in digits):
                raise src.error("invalid escape in string: expected \\x<hex digits>;", base + j,
                                '"\\x41;" is "A" (read option r6rs-hex-escapes)')
            out.append(_code_point(src, int(digits, 16), base + j))
            i = semi + 1
        elif c in "xuU":
            width = 2 if c == "x" else 4 if c == "u" else 6
            digits = body[j + 2:j + 2 + width]
            if len(digits) != width or not all(d in _HEX_DIGITS for d in digits):
                raise src.error(f"invalid escape in string: \\{c} needs exactly {width} hex digits",
                                base + j, '"\\x41" is "A"; "\\x41;" is "A;"' if c == "x" else None)
            out.append(_code_point(src, int(digits, 16), base + j))
            i = j + 2 + width
        else:
            shown = repr(c)[1:-1] if not c.isprintable() else c
            raise src.error(f"invalid escape in string: \\{shown}", base + j,
                            "write \\\\ for a backslash")


def _code_point(src: _Source, code: int, pos: int) -> str:
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise src.error(f"invalid character code: #x{code:x}", pos)
    return chr(code)


def _token_end(text: str, pos: int, end: int) -> int:
    return _TOKEN_TAIL_RE.match(text, pos, end).end()  # type: ignore[union-attr]


def resume_after_error(text: str, pos: int) -> int:
    """Where reading goes on after a read error at offset ``pos``: just past the character
    at which Guile's reader detects it (the ``X`` of ``#X``, a stray closing bracket, the end
    of a bad ``#\\name`` or number), so a loop that reads and skips errors moves on."""
    end = len(text)
    if pos >= end:
        return end
    if text[pos] == "#" and pos + 1 < end:
        if text[pos + 1] == "\\":
            return max(pos + 3, _token_end(text, pos + 3, end)) if pos + 2 < end else end
        return pos + 2
    if text[pos] in ")]":
        return pos + 1
    return max(pos + 1, _token_end(text, pos, end))


def _read_hash(src: _Source, start: int) -> tuple[str | None, Any, int]:
    """Everything that starts with ``#`` except simple keywords.

    Returns (terminal, value, end offset); the terminal is None for comments
    and directives, which produce no token.
    """
    text = src.text
    end = src.end
    if start + 1 >= end:
        raise src.error("unexpected end of file after #", start)
    c = text[start + 1]
    after = start + 2
    if c in "tTfF":
        if c in "fF" and after < end and text[after] in "36":
            raise src.error("unsupported # syntax: uniform vectors (#f32(...), #f64(...))", start)
        tail = "rue" if c in "tT" else "alse"
        if text[after:after + len(tail)].lower() == tail:
            after += len(tail)
        return "BOOLEAN", c in "tT", after
    if c == "~":
        return "GEXP", None, after
    if c == "$" or c == "+":
        splicing = after < end and text[after] == "@"
        kind = ("UNGEXP" if c == "$" else "UNGEXP_NATIVE") + ("_SPLICING" if splicing else "")
        return kind, None, after + splicing
    if c == "\\":
        return _read_char(src, start)
    if c == "(":
        return "VECTOR_OPEN", None, after
    if c == ";":
        return "DATUM_COMMENT", None, after
    if c == "|":
        return None, None, _skip_block_comment(src, start)
    if c == "!":
        return None, None, _skip_directive(src, start)
    if c == "'":
        return "SYNTAX", None, after
    if c == "`":
        return "QUASISYNTAX", None, after
    if c == ",":
        if after < end and text[after] == "@":
            return "UNSYNTAX_SPLICING", None, after + 1
        return "UNSYNTAX", None, after
    if c == ":":
        if text.startswith("#{", after):
            name, stop = _read_extended_symbol(src, after)
            return "KEYWORD", Keyword(name), stop
        raise src.error("keyword prefix #: not followed by a symbol", start,
                        "write a keyword as #:name")
    if c == "{":
        name, stop = _read_extended_symbol(src, start)
        return "SYMBOL", Symbol(name), stop
    if c in "eEiIbBoOdDxX":
        stop = _token_end(text, after, end)
        tok = text[start:stop]
        try:
            value = parse_number(tok)
        except OverflowError:
            raise src.error(f"number out of range: {tok}", start) from None
        if value is None:
            raise src.error(f"invalid number syntax: {tok}", start)
        return "NUMBER", value, stop
    if c == "v" or c == "u":
        prefix = "#vu8(" if c == "v" else "#u8("
        if text.startswith(prefix, start):
            return "BYTEVECTOR_OPEN", None, start + len(prefix)
        raise src.error(f"invalid bytevector prefix: {text[start:_token_end(text, after, end) + 1]}",
                        start, "bytevectors are written #vu8(1 2 3)")
    if c == "n":
        stop = _token_end(text, after, end)
        if text[after:stop] == "il":
            return "BOOLEAN", False, stop
        raise src.error(f"unknown # syntax: {text[start:stop]}", start)
    if c in "0123456789":
        m = _LABEL_RE.match(text, start + 1, end)
        if m is not None:
            n = int(m[1])
            labels = src.labels
            if labels is None:
                labels = src.labels = {}
            if m[2] == "=":
                label = labels[n] = _Label(n)
                return "LABEL_DEF", label, m.end()
            if n not in labels:
                raise src.error(f"undefined datum label #{n}#", start, f"define it first with #{n}=")
            label = labels[n]
            if label.value is label and src.cycle is None:  # inside its own datum: a cycle
                src.cycle = start
            return "LABEL_REF", label, m.end()
    if c in "*0123456789@sc":
        raise src.error(f"unsupported # syntax: {text[start:_token_end(text, after, end)] or '#'}",
                        start, "arrays, bit vectors and SRFI-4 vectors are not supported")
    if c in _DELIMS:
        shown = {" ": "space", "\n": "newline", "\t": "tab", "\r": "return", "\f": "page"}.get(c, c)
        raise src.error(f"unknown # syntax: # followed by {shown}", start)
    raise src.error(f"unknown # syntax: #{c}", start)


def _read_char(src: _Source, start: int) -> tuple[str, Any, int]:
    text = src.text
    end = src.end
    first = start + 2
    if first >= end:
        raise src.error("unexpected end of file after #\\", start)
    c = text[first]
    if c in _DELIMS:
        return "CHARACTER", Char(c), first + 1
    stop = _token_end(text, first + 1, end)
    name = text[first:stop]
    if len(name) == 1:
        return "CHARACTER", Char(name), stop
    cut = name.find("#", 1)
    if cut > 0 and _char_named(name) is None:
        # `#\a#\b`: R7RS lets an implementation end a character before anything that is not
        # a delimiter; Guile rejects it.  A name that is not valid as a whole ends at its `#`.
        name = name[:cut]
        stop = first + cut
        if len(name) == 1:
            return "CHARACTER", Char(name), stop
    if len(name) == 2 and "\u25cc" in name:
        # A combining character shown on a dotted circle: Guile writes the
        # circle first but reads it second; accept both.
        return "CHARACTER", Char(name[1] if name[0] == "\u25cc" else name[0]), stop
    if name[0] in "01234567" and all(d in "01234567" for d in name):
        return "CHARACTER", Char(_code_point(src, int(name, 8), start)), stop
    if name[0] == "x" and all(d in _HEX_DIGITS for d in name[1:]):
        return "CHARACTER", Char(_code_point(src, int(name[1:], 16), start)), stop
    ch = _char_named(name)
    if ch is None:
        raise src.error(f"unknown character name: #\\{name}", start,
                        "use a name such as #\\space, or a code such as #\\x41")
    return "CHARACTER", Char(ch), stop


def _char_named(name: str) -> str | None:
    """The character a multi-character ``#\\name`` denotes by its name, or None."""
    if name[0] in "01234567" and all(d in "01234567" for d in name):
        code = int(name, 8)
    elif name[0] == "x" and len(name) > 1 and all(d in _HEX_DIGITS for d in name[1:]):
        code = int(name[1:], 16)
    else:
        return _CHAR_NAMES.get(name.lower())
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None


def _read_extended_symbol(src: _Source, start: int) -> tuple[str, int]:
    """``#{...}#`` starting at ``start``: the symbol's name and the end offset."""
    text = src.text
    end = src.end
    out = []
    i = start + 2
    while True:
        if i >= end:
            raise src.error("unexpected end of file: unterminated #{...}# symbol", start, incomplete=True)
        c = text[i]
        if c == "}":
            if i + 1 < end and text[i + 1] == "#":
                return "".join(out), i + 2
            if i + 1 >= end:
                raise src.error("unexpected end of file: unterminated #{...}# symbol", start,
                                incomplete=True)
            out.append(c)
            i += 1
        elif c == "\\":
            if i + 1 >= end:
                raise src.error("unexpected end of file: unterminated #{...}# symbol", start,
                                incomplete=True)
            if text[i + 1] == "x":
                semi = text.find(";", i + 2, min(end, i + 10))
                digits = text[i + 2:semi] if semi >= 0 else ""
                if not digits or not all(d in _HEX_DIGITS for d in digits):
                    raise src.error("invalid escape in #{...}# symbol: expected \\xHEX;", i)
                out.append(_code_point(src, int(digits, 16), i))
                i = semi + 1
            else:
                out.append(text[i + 1])
                i += 2
        else:
            out.append(c)
            i += 1


def _read_bar_symbol(src: _Source, start: int) -> tuple[str, int]:
    """R7RS ``|...|`` starting at ``start`` (read option r7rs-symbols): the name and the end."""
    text = src.text
    end = src.end
    out = []
    i = start + 1
    while True:
        if i >= end:
            raise src.error("unexpected end of file: unterminated |...| symbol", start, incomplete=True)
        c = text[i]
        if c == "|":
            return "".join(out), i + 1
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= end:
            raise src.error("unexpected end of file: unterminated |...| symbol", start, incomplete=True)
        e = text[i + 1]
        if e == "\n":  # a line continuation, as in Guile
            i += 2
            continue
        if e == "x":
            semi = text.find(";", i + 2, min(end, i + 10))
            digits = text[i + 2:semi] if semi >= 0 else ""
            if not digits or not all(d in _HEX_DIGITS for d in digits):
                raise src.error("invalid escape in |...| symbol: expected \\xHEX;", i)
            out.append(_code_point(src, int(digits, 16), i))
            i = semi + 1
        else:
            out.append(_STRING_ESCAPES.get(e, e))
            i += 2


def _read_escaped_identifier(src: _Source, start: int) -> tuple[str, int]:
    """A bare identifier with R7RS inline hex escapes (``\\x3bb;`` is λ; read option
    r7rs-symbols): the name and the end.  The ``;`` of an escape does not end the token.
    Guile reads ``\\x3bb`` and a comment there; R7RS (7.1.1, <inline hex escape>) this."""
    text = src.text
    end = src.end
    out = []
    i = start
    while i < end:
        c = text[i]
        if c in _DELIMS:
            break
        if c == "\\" and text.startswith("x", i + 1):
            semi = text.find(";", i + 2, min(end, i + 10))
            digits = text[i + 2:semi] if semi >= 0 else ""
            if digits and all(d in _HEX_DIGITS for d in digits):
                out.append(_code_point(src, int(digits, 16), i))
                i = semi + 1
                continue
        out.append(c)
        i += 1
    return "".join(out), i


def _skip_block_comment(src: _Source, start: int) -> int:
    """Skip a ``#| ... |#`` comment (nesting allowed); returns the offset after it."""
    text = src.text
    end = src.end
    depth = 1
    i = start + 2
    while True:
        close = text.find("|#", i, end)
        if close < 0:
            raise src.error("unexpected end of file: unterminated #| ... |# comment", start,
                            "a block comment needs a closing |#", incomplete=True)
        opening = text.find("#|", i, close)
        if opening >= 0:
            depth += 1
            i = opening + 2
            continue
        depth -= 1
        i = close + 2
        if depth == 0:
            return i


def _skip_directive(src: _Source, start: int) -> int:
    """``#!fold-case`` and friends, or a ``#! ... !#`` block comment."""
    text = src.text
    end = src.end
    stop = _DIRECTIVE_RE.match(text, start + 2, end).end()  # type: ignore[union-attr]
    name = text[start + 2:stop]
    if name in _DIRECTIVES:
        if name == "fold-case":
            src.fold = True
        elif name == "no-fold-case":
            src.fold = False
        return stop
    close = text.find("!#", stop, end)
    if close < 0:
        raise src.error("unexpected end of file: unterminated #! ... !# comment", start,
                        "a #! header must end with !#", incomplete=True)
    return close + 2


# ---------------------------------------------------------------- the parser


class _Builder:
    """Lark's inline transformer: one method per alias in the grammar, each building a datum."""

    def start(self, c: list) -> list:
        return c[0]

    def seq_empty(self, c: list) -> list:
        return []

    def seq_add_atom(self, c: list) -> list:
        items = c[0]
        items.append(c[1].value)
        return items

    def seq_add(self, c: list) -> list:
        items = c[0]
        items.append(c[1])
        return items

    def seq_add_list(self, c: list) -> list:
        loc = c[1].value
        result: Any = NIL
        for item in reversed(c[2]):
            result = make_pair(item, result, loc)
        items = c[0]
        items.append(result)
        return items

    def seq_keep(self, c: list) -> list:
        return c[0]

    def atom(self, c: list) -> Any:
        return c[0].value

    def inner(self, c: list) -> Any:
        return c[0]

    def second(self, c: list) -> Any:
        return c[1]

    def skipped(self, c: list) -> _Skipped:
        return _SKIPPED

    def skips_empty(self, c: list) -> None:
        return None

    def skips_more(self, c: list) -> None:
        return None

    def proper_list(self, c: list) -> Any:
        loc = c[0].value
        result: Any = NIL
        for item in reversed(c[1]):
            result = make_pair(item, result, loc)
        return result

    def dotted_list(self, c: list) -> Any:
        items = c[1]
        if not items:  # Guile reads `(. x)` as x itself
            return c[3]
        loc = c[0].value
        result = c[3]
        for item in reversed(items):
            result = make_pair(item, result, loc)
        return result

    def vector(self, c: list) -> list:
        return c[1]

    def bytevector(self, c: list) -> bytearray:
        items = c[1]
        for item in items:
            if item.__class__ is not int or not 0 <= item <= 255:
                from schemy.lang.printer import write_string

                raise ReadError(f"bytevector element is not a byte: {write_string(item)}", c[0].value,
                                "bytevector elements are exact integers from 0 to 255")
        return bytearray(items)

    def label_def(self, c: list) -> Any:
        c[0].value.value = c[1]
        return c[1]

    def abbreviation(self, c: list) -> Pair:
        tok = c[0]
        loc = tok.value
        return make_pair(_ABBREVIATIONS[tok.type][0], make_pair(c[1], NIL, loc), loc)


_parser: Any = None
_unexpected: Any = None


def _get_parser() -> Any:
    """Build the Lark parser once per process (importing lark costs ~60 ms, so only on demand)."""
    global _parser, _unexpected
    if _parser is None:
        from lark import Lark
        from lark.exceptions import UnexpectedInput
        from lark.lexer import Lexer

        class _LarkLexer(Lexer):
            __future_interface__ = 2

            def __init__(self, lexer_conf: Any) -> None:
                pass

            def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[_Tok]:
                return _lex(lexer_state.text)

        _parser = Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr", lexer=_LarkLexer,
                       transformer=_Builder(), start="start")
        _unexpected = UnexpectedInput
    return _parser


def _parse(src: _Source) -> list:
    try:
        data = _build(src)
        if src.labels:
            _patch_labels(src, data)
        return data
    except _Cut:
        if src.more:  # more text may come: say so without building the grammar's parser
            err = src.error("unexpected end of file inside a datum", src.start, incomplete=True)
            err.cut = True  # type: ignore[attr-defined]
            raise err from None
    except (_Fallback, ReadError):
        pass
    # Anything the fast path does not take (datum comments, dots in odd places, malformed text)
    # goes through the grammar from a fresh start, which gives the same data and the precise errors.
    again = _Source(src.text, src.filename, src.start, src.mode)
    parser = _get_parser()
    try:
        data = parser.parse(again)
    except _unexpected as exc:
        raise _syntax_error(again, exc) from None
    src.stop = again.stop
    src.cycle = again.cycle
    if again.labels:
        _patch_labels(again, data)
    return data


class _Fallback(Exception):
    """The fast builder met something only the grammar handles."""


class _Cut(_Fallback):
    """The fast builder reached the end of the text inside a datum."""


_PLAIN_INT = re.compile(r"[-+]?[0-9]{1,15}")


def _build(src: _Source) -> list:
    """The data of ``src`` read without Lark: what the grammar's ``_Builder`` makes of
    well-formed text (the same data, the same source locations) for the common case: lists,
    vectors, bytevectors, atoms, abbreviations, ``(a . b)``, comments.  The lexer's work is
    done inline (no token objects).  Raises ``_Fallback`` on anything else (datum comments,
    directives, ``|...|`` symbols) and on any malformed text, so the grammar path, which
    knows every case and every error, reads it again."""
    text = src.text
    pos = src.start
    end = src.end
    filename = src.filename
    one = src.mode == 1
    match = _TOKEN_RE.match
    symbols = Symbol._table
    Loc = SourceLocation
    column = _column
    abbreviations = _ABBREVIATIONS
    plain_int = _PLAIN_INT.fullmatch
    lt_pos = pos
    lt_line, lt_start = _line_at(text, pos)
    top: list = []
    items = top
    # One frame per open bracket or pending abbreviation: (kind, enclosing items, location,
    # what closes it).  Kinds: "(" list, "." list after its dot, "#" vector, "u" bytevector,
    # "'" abbreviation (the last field is then its terminal name).
    frames: list = []
    while True:
        m = match(text, pos, end)
        group = m.lastindex  # type: ignore[union-attr]
        pos = m.end()  # type: ignore[union-attr]
        if group == _G_ATOM:
            tok = m[1]  # type: ignore[index]
            c = tok[0]
            if c in _NUMBER_START:
                if plain_int(tok) is not None:
                    value = int(tok)
                else:
                    if tok == ".":
                        if not frames or frames[-1][0] != "(":
                            raise _Fallback
                        _, outer, loc, closer = frames.pop()
                        frames.append((".", outer, loc, closer))
                        items = [items]
                        continue
                    try:
                        value = number_value(tok, 10, None)
                    except OutOfRange:
                        raise _Fallback from None
                    if value is None:
                        if "\\x" in tok or c == "|":
                            raise _Fallback
                        value = symbols.get(tok) or Symbol(tok)
            elif c == "|" or "\\x" in tok:
                if OPTIONS:
                    raise _Fallback
                value = symbols.get(tok) or Symbol(tok)
            else:
                value = symbols.get(tok) or Symbol(tok)
        elif group == _G_OPEN:
            start = pos - 1
            n = text.count("\n", lt_pos, start)
            if n:
                lt_line += n
                lt_start = text.rfind("\n", lt_pos, start) + 1
            lt_pos = start
            frames.append(("(", items, Loc(filename, lt_line, column(text, lt_start, start)),
                           ")" if text[start] == "(" else "]"))
            items = []
            continue
        elif group == _G_CLOSE:
            if not frames:
                raise _Fallback
            kind, outer, loc, closer = frames.pop()
            if closer != text[pos - 1]:
                raise _Fallback
            if kind == "(":
                value = NIL
                for item in reversed(items):
                    value = make_pair(item, value, loc)
            elif kind == ".":
                if len(items) != 2:
                    raise _Fallback
                value = items[1]
                for item in reversed(items[0]):
                    value = make_pair(item, value, loc)
            elif kind == "#":
                value = items
            else:  # "u": a bytevector
                for item in items:
                    if item.__class__ is not int or not 0 <= item <= 255:
                        raise _Fallback
                value = bytearray(items)
            items = outer
        elif group == _G_STRING:
            value = m[4]  # type: ignore[index]
            if "\\" in value:
                value = _string_value(src, value, m.start(4))  # type: ignore[union-attr]
        elif group == _G_QUOTE:
            prefix = m[7]  # type: ignore[index]
            start = pos - len(prefix)
            n = text.count("\n", lt_pos, start)
            if n:
                lt_line += n
                lt_start = text.rfind("\n", lt_pos, start) + 1
            lt_pos = start
            frames.append(("'", items, Loc(filename, lt_line, column(text, lt_start, start)),
                           _QUOTE_TOKENS[prefix]))
            continue
        elif group == _G_COMMENT:
            continue
        elif group == _G_KEYWORD:
            name = m[5]  # type: ignore[index]
            if name[0] in _NUMBER_START and _is_number(name):
                raise _Fallback
            value = Keyword(name)
        elif group == _G_HASH:
            start = pos - 1
            kind, value, pos = _read_hash(src, start)
            if kind in _HASH_ATOMS:
                pass
            elif kind is None:
                if text[start + 1] != "|":  # a directive may change how the rest reads
                    raise _Fallback
                continue
            elif kind == "VECTOR_OPEN" or kind == "BYTEVECTOR_OPEN":
                frames.append(("#" if kind == "VECTOR_OPEN" else "u", items, None, ")"))
                items = []
                continue
            elif kind == "LABEL_DEF":
                frames.append(("'", items, value, "="))
                continue
            elif kind == "LABEL_REF":
                pass
            elif kind in abbreviations:
                n = text.count("\n", lt_pos, start)
                if n:
                    lt_line += n
                    lt_start = text.rfind("\n", lt_pos, start) + 1
                lt_pos = start
                frames.append(("'", items, Loc(filename, lt_line, column(text, lt_start, start)), kind))
                continue
            else:
                raise _Fallback
        elif group == _G_EOF:
            if frames:
                raise _Cut
            src.stop = end
            return top
        else:
            raise _Fallback
        # A finished datum: first it completes the abbreviations waiting for it.
        while frames and frames[-1][0] == "'":
            _, items, loc, kind = frames.pop()
            if kind == "=":  # `#n=` datum: ``loc`` is the label
                loc.value = value
            else:
                value = make_pair(abbreviations[kind][0], make_pair(value, NIL, loc), loc)
        if frames and frames[-1][0] == "." and len(items) == 2:
            raise _Fallback
        items.append(value)
        if one and not frames:
            src.stop = pos
            return top


_HASH_ATOMS = frozenset({"BOOLEAN", "CHARACTER", "NUMBER", "SYMBOL", "KEYWORD"})



def _syntax_error(src: _Source, exc: Any) -> ReadError:
    """Turn Lark's complaint about an unexpected token into a precise ReadError."""
    token = getattr(exc, "token", None)
    state = getattr(exc, "state", None)
    values = list(getattr(state, "value_stack", None) or [])
    kind = getattr(token, "type", "$END")
    at_end = kind == "$END"
    pos = token.pos if isinstance(token, _Tok) else src.end
    what = _CLOSE_NAMES.get(kind, "datum")
    # The innermost open context: the nearest token still on the parser's stack.
    context = None
    after: list = []
    for value in reversed(values):
        if isinstance(value, _Tok):
            context = value
            break
        after.append(value)
    if context is not None and context.type in _ABBREVIATIONS:
        prefix = _ABBREVIATIONS[context.type][1]
        return src.error(f"unexpected {what} after {prefix}", context.pos if at_end else pos,
                         f"{prefix} must be followed by a datum", incomplete=at_end)
    if context is not None and context.type == "DATUM_COMMENT":
        return src.error(f"unexpected {what} after #;", context.pos if at_end else pos,
                         "#; comments out the datum that follows it", incomplete=at_end)
    if context is not None and context.type == "DOT":
        if not any(v is not _SKIPPED and v is not None for v in after):
            return src.error(f"unexpected {what} after '.'", pos,
                             "a dotted list needs exactly one datum after the dot: (a . b)")
        return src.error("more than one datum after '.' in a dotted list", pos,
                         "a dotted list needs exactly one datum after the dot: (a . b)")
    if kind == "DOT":
        if context is not None and context.type in ("VECTOR_OPEN", "BYTEVECTOR_OPEN"):
            return src.error("unexpected '.' in a vector", pos, "vectors cannot be dotted")
        return src.error("unexpected '.' outside a list", pos, "a dot may only appear inside a list: (a . b)")
    return src.error(f"unexpected {what}", pos)


# ---------------------------------------------------------------- public API


def read(text: str, filename: str = "<string>") -> list:
    """All the datums in ``text``, in order (the whole text must be well formed).

    This is how source files are read, so cyclic data (``'#0=(a . #0#)``) is refused here:
    code cannot be circular, and Guile reads no datum labels at all.  ``read`` on a port
    (``read_first``) builds cyclic data."""
    src = _Source(text, filename)
    data = _parse(src)
    if src.cycle is not None:
        raise src.error("circular datum in source text", src.cycle,
                        "datum labels may make cycles only in data read with `read`")
    return data


def read_first(text: str, filename: str = "<string>", start: int = 0, more: bool = False) -> tuple[object, int]:
    """Read one datum from offset ``start``: (datum, offset just after it).

    Returns ``(EOF_OBJECT, len(text))`` when only whitespace and comments
    remain.  Used by the Scheme ``read`` procedure on ports and by the REPL.
    ``more``: the text may continue (a port that has not reached its end), so a datum the
    end of ``text`` cuts off is an ``incomplete`` ReadError with ``cut`` set, found without
    the grammar (whose parser costs ~2 MB and tens of ms to build); the caller reads more,
    or calls again without ``more`` for the precise message.
    """
    start = min(max(start, 0), len(text))
    src = _Source(text, filename, start, mode=1)
    src.more = more
    data = _parse(src)
    if not data:
        return EOF_OBJECT, len(text)
    return data[0], src.stop


def is_complete(text: str) -> bool:
    """True unless ``text`` ends inside a list, string, block comment or abbreviation.

    The REPL submits its input once this is true; other errors count as
    complete so that the user gets to see them.
    """
    src = _Source(text, "<input>", mode=2)
    try:
        for _ in _lex(src):
            pass
    except ReadError as err:
        return not getattr(err, "incomplete", False)
    return True

