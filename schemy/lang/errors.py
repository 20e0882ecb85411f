"""The one family of errors schemy shows to users.

Every user mistake becomes a ``SchemeError`` whose ``payload`` is the raised
Scheme object (usually a ``Condition``).  ``render_error`` prints it the way
Guile does: ``FILE:LINE:COL: error: MESSAGE`` and, where it helps, a
``hint: ...`` line.  Python tracebacks are for schemy's own bugs only.
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import NIL, MString, SourceLocation, Symbol, make_pair


class Condition:
    """A Guile exception object: also an R7RS error object and a SRFI-35 condition.

    ``kind`` is Guile's key (``misc-error``, ``wrong-type-arg``,
    ``unbound-variable``, ``wrong-number-of-args``, ``read-error``,
    ``syntax-error``, ``system-error``, ``match-error``, ``out-of-range``...).
    """

    __slots__ = ("kind", "message", "irritants", "origin", "hint", "fields")

    def __init__(
        self,
        kind: str,
        message: str,
        irritants: tuple = (),
        origin: str | None = None,
        hint: str | None = None,
        fields: dict | None = None,
    ) -> None:
        self.kind = kind
        self.message = message
        self.irritants = tuple(irritants)
        self.origin = origin
        self.hint = hint
        self.fields = fields or {}

    def describe(self) -> str:
        """The message with irritants written after it, as Guile's ``error`` shows them."""
        from schemy.lang.printer import write_string

        text = self.message
        if self.irritants:
            text += " " + " ".join(write_string(x) for x in self.irritants)
        if self.origin:
            text = f"In procedure {self.origin}: {text}"
        return text

    def __repr__(self) -> str:
        return f"#<condition {self.kind} {self.describe()!r}>"


class SchemeError(Exception):
    """A Scheme-level exception travelling through Python code.

    ``payload`` is what was raised (any Scheme value); ``loc`` is the innermost
    source location known when it propagated; ``backtrace`` lists
    ``(procedure-name, location)`` frames, innermost first; ``frames`` the Python frames of
    those Scheme procedures, innermost first (what ``,locals`` reads variables from).
    """

    def __init__(self, payload: Any, continuable: bool = False, loc: SourceLocation | None = None) -> None:
        super().__init__(payload)
        self.payload = payload
        self.continuable = continuable
        self.loc = loc
        self.backtrace: list[tuple[str | None, SourceLocation | None]] = []
        self.frames: list[Any] = []

    @property
    def condition(self) -> Condition | None:
        return self.payload if isinstance(self.payload, Condition) else None

    def message(self) -> str:
        payload = self.payload
        if isinstance(payload, Condition):
            return payload.describe()
        from schemy.lang.printer import write_string

        return f"uncaught exception: {write_string(payload)}"

    def hint(self) -> str | None:
        return self.payload.hint if isinstance(self.payload, Condition) else None

    def __str__(self) -> str:
        return render_error(self)


class ReadError(SchemeError):
    """Raised by the reader; always carries a location."""

    def __init__(self, message: str, loc: SourceLocation, hint: str | None = None) -> None:
        super().__init__(Condition("read-error", message, hint=hint), loc=loc)


class SchemeExit(Exception):
    """``(exit n)``: unwinds to the command line, which exits with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def scheme_error(message: str, *irritants: Any, kind: str = "misc-error", origin: str | None = None,
                 hint: str | None = None, loc: SourceLocation | None = None) -> SchemeError:
    """Build (not raise) a SchemeError carrying a fresh Condition."""
    return SchemeError(Condition(kind, message, irritants, origin=origin, hint=hint), loc=loc)


def wrong_type(origin: str, position: int, value: Any, expected: str | None = None) -> SchemeError:
    """Guile's ``Wrong type argument in position N``."""
    from schemy.lang.printer import write_string


    what = f" (expecting {expected})" if expected else ""
    # What a catch handler receives, as Guile: (subr "…: ~S" (value) (value)).
    values = make_pair(value, NIL)
    args = [origin, f"Wrong type argument in position {position}{what}: ~S", values, values]
    return SchemeError(Condition(
        "wrong-type-arg",
        f"Wrong type argument in position {position}{what}: {write_string(value)}",
        origin=origin, fields={"args": args, "key": Symbol("wrong-type-arg")}))


# The Python exceptions that mean the Scheme program is wrong, not schemy: compiled code leaves
# to CPython the checks it already makes (arity, applying a non-procedure, unbound globals,
# integer division by zero, recursion depth...).  They are turned into the condition Guile would
# raise (schemy.compile.pyerrors.translate), and exception handlers handle them as such.
USER_ERRORS: tuple[type[Exception], ...] = (TypeError, ZeroDivisionError, AttributeError, NameError, RecursionError,
                                            ValueError, OverflowError, IndexError, KeyError, OSError)


def string_arg(value: Any, origin: str, position: int = 1) -> str:
    """The text of a string argument (``str`` or mutable ``MString``), or Guile's wrong-type error:
    the one check every primitive taking a string uses."""
    cls = value.__class__
    if cls is str:
        return value
    if cls is MString:
        return "".join(value.chars)
    raise wrong_type(origin, position, value, "string")


# The longest message or hint an error prints: a value written into a message (a 50k-deep
# quasiquote, a huge list) must not turn one error line into hundreds of kilobytes.
MAX_MESSAGE = 1000


def cap(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters]"


def render_error(err: SchemeError) -> str:
    """``FILE:LINE:COL: error: MESSAGE`` plus an optional ``hint:`` line, each capped."""
    where = f"{err.loc}: " if err.loc is not None else ""
    text = f"{where}error: {cap(err.message())}"
    hint = err.hint()
    if hint:
        text += f"\nhint: {cap(hint)}"
    return text


def render_backtrace(err: SchemeError) -> str:
    """The Scheme-level backtrace shown with ``--debug``, outermost call first."""
    lines = ["Backtrace:"]
    for name, loc in reversed(err.backtrace):
        where = f"{loc}: " if loc else ""
        lines.append(f"  {where}in {name or '<anonymous>'}")
    return "\n".join(lines)


def kind_symbol(cond: Condition) -> Symbol:
    return Symbol(cond.kind)
