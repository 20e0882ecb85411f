"""Control: the procedures the compiler and expander call into at run time.

Tail calls, multiple values, escaping continuations, dynamic-wind,
parameters, exceptions (R7RS, SRFI-34 and Guile's catch/throw), promises
and case-lambda.  Escaping continuations are Python exceptions, so every
``finally`` (dynamic-wind, parameterize) runs when one unwinds through it.
Re-entering a continuation after its extent has ended is not supported and
raises a clear error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemy.lang.datum import NIL, UNSPECIFIED, Keyword, Pair, Symbol, Values, make_list
from schemy.lang.errors import USER_ERRORS, Condition, SchemeError, SchemeExit, scheme_error, wrong_type
from schemy.lang.procinfo import procedure_doc, procedure_info
from schemy.runtime.parameters import UNWIND_HOOK, Parameter, parameterized


class _TailCallMark:
    """The first item of a tail call (see TailCall); private, so no Scheme value is one."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<tail call>"


TAIL_CALL = _TailCallMark()


def TailCall(fn: Any, args: tuple) -> tuple:  # noqa: N802 - it stands for the value's kind
    """What a procedure body returns (never raises) for a call in tail position: the tuple
    ``(TAIL_CALL, fn, args)``.  A plain tuple, which generated code builds with one instruction
    (a class instance cost an ``__init__`` call per tail call, ~30 % of one); a trampoline
    recognises it by its class and its private first item."""
    return (TAIL_CALL, fn, args)


def is_tail_call(r: Any) -> bool:
    return r.__class__ is tuple and len(r) == 3 and r[0] is TAIL_CALL


def run_tail(r: Any) -> Any:
    """Drive tail calls until a value comes back."""
    while r.__class__ is tuple and r and r[0] is TAIL_CALL:
        fn = r[1]
        r = getattr(fn, "_body", fn)(*r[2])
    return r


# ------------------------------------------------------------------ Python's frame stack

# CPython (3.11+) keeps Python frames in 16 kB chunks that it maps when a call needs a new one
# and unmaps as soon as the return leaves it empty: recursion whose depth goes up and down
# across a chunk's edge maps and unmaps the same chunk over and over (on nboyer 770,000 system
# calls and as many page faults, more system time than the program's own).  A chunk is never
# released while a frame in it is live, so running the evaluation under one frame that asks
# for a very large value stack makes CPython map one large chunk up front; every deeper frame
# then fits in the rest of it.  The pages are only touched as deep as the recursion goes.
DEEP_FRAME_SLOTS = 1 << 23  # 64 MB of virtual memory, of which deeper frames get about half


def _frame_base(thunk: Callable[[], Any]) -> Any:
    return thunk()


_deep_base = None


def run_on_deep_frame_stack(thunk: Callable[[], Any]) -> Any:
    """``thunk()``, with the Python frames it makes in one large chunk of CPython's frame stack
    (called once at the bottom of the evaluation thread)."""
    global _deep_base
    if _deep_base is None:
        code = _frame_base.__code__
        try:
            code = code.replace(co_stacksize=DEEP_FRAME_SLOTS)
        except (ValueError, TypeError):  # an implementation without the field: no chunks either
            pass
        _deep_base = type(_frame_base)(code, _frame_base.__globals__, "_frame_base")
    return _deep_base(thunk)


# ------------------------------------------------------------------ procedures


def is_procedure(x: Any) -> bool:
    return callable(x) and not isinstance(x, type) and not getattr(x, "_not_procedure", False)


def _no_list_for_apply() -> SchemeError:
    # (apply f) has no argument list: an error in Guile and R7RS
    return scheme_error("Wrong number of arguments to #<procedure apply (fun args) | (fun arg1 . args)>",
                        kind="wrong-number-of-args")


def apply(fn: Any, *args: Any) -> Any:
    if not args:
        raise _no_list_for_apply()
    *head, last = args
    tail = []
    x = last
    while x.__class__ is Pair:
        tail.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise wrong_type("apply", len(args) + 1, last, "list")
    return fn(*head, *tail)


def apply_tail(fn: Any, *args: Any) -> tuple:
    """``apply`` in tail position: the compiler returns this instead of calling."""
    if not args:
        raise _no_list_for_apply()
    *head, last = args
    tail = []
    x = last
    while x.__class__ is Pair:
        tail.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise wrong_type("apply", len(args) + 1, last, "list")
    return TailCall(fn, (*head, *tail))


def values(*vals: Any) -> Any:
    if len(vals) == 1:
        return vals[0]
    return Values(vals)


def call_with_values(producer: Callable, consumer: Callable) -> Any:
    v = producer()
    if v.__class__ is Values:
        return consumer(*v)
    return consumer(v)


# ------------------------------------------------------------------ continuations


class ContinuationInvoked(BaseException):
    """Unwinds the Python stack to the ``call/cc`` that made ``k``."""

    def __init__(self, k: Continuation, vals: tuple) -> None:
        super().__init__()
        self.k = k
        self.vals = vals


class Continuation:
    __slots__ = ("active", "name")

    def __init__(self, name: str = "continuation") -> None:
        self.active = True
        self.name = name

    def __call__(self, *vals: Any) -> Any:
        if not self.active:
            raise scheme_error(
                "continuation invoked after its extent ended (schemy supports escaping continuations only)",
                kind="misc-error", hint="use call/ec or let/ec, or return a value instead of re-entering")
        raise ContinuationInvoked(self, vals)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<{self.name}>"


def call_cc(fn: Callable) -> Any:
    k = Continuation()
    try:
        return fn(k)
    except ContinuationInvoked as c:
        if c.k is not k:
            raise
        return values(*c.vals)
    finally:
        k.active = False


def call_ec(fn: Callable) -> Any:
    k = Continuation("escape-continuation")
    try:
        return fn(k)
    except ContinuationInvoked as c:
        if c.k is not k:
            raise
        return values(*c.vals)
    finally:
        k.active = False


def dynamic_wind(before: Callable, thunk: Callable, after: Callable) -> Any:
    before()
    try:
        return thunk()
    except BaseException as e:
        offer_to_handler(e)  # a non-unwinding handler runs before the after thunk
        raise
    finally:
        after()


# ------------------------------------------------------------------ parameters


def make_parameter(value: Any, converter: Any = None) -> Parameter:
    return Parameter(value, converter)


def run_parameterized(thunk: Callable, *pairs: Any) -> Any:
    bindings = []
    for i in range(0, len(pairs), 2):
        p = pairs[i]
        if not isinstance(p, Parameter):
            raise wrong_type("parameterize", i // 2 + 1, p, "parameter")
        bindings.append((p, pairs[i + 1]))
    with parameterized(bindings):
        return thunk()


# ------------------------------------------------------------------ exceptions

# The current exception handlers, innermost last.  An entry is a handler procedure of a
# non-unwinding ``with-exception-handler``, or ``None`` for a handler that unwinds first
# (``guard``, ``catch``, ``false-if-exception``, ``#:unwind? #t``): those are Python
# ``except`` clauses, reached by raising a SchemeError.
_handlers: list[Callable | None] = []

REraise = object()


def _plain_scheme_error(exc: BaseException) -> SchemeError:
    return scheme_error(f"{type(exc).__name__}: {exc}", kind="internal-error")


# How a Python error raised inside compiled Scheme code becomes the Scheme error Guile would
# raise.  Only compiled code raises such errors, so the compile layer, which knows that code,
# installs the real translation when it is imported (schemy.compile.pyerrors).
PYTHON_ERROR_TRANSLATOR: list[Callable[[BaseException], SchemeError]] = [_plain_scheme_error]


def to_scheme_error(exc: BaseException) -> SchemeError:
    """Turn a Python error raised inside Scheme code into the Scheme error Guile would raise."""
    return PYTHON_ERROR_TRANSLATOR[0](exc)


class _CatchKey:
    """On the handler stack: a ``catch`` for one key, which a raise with another key passes by."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key


class _UnwindingHandler:
    """Marks the extent of an unwinding handler on the handler stack (a ``with`` block)."""

    __slots__ = ("depth", "entry")

    def __init__(self, entry: Any = None) -> None:
        self.entry = entry

    def __enter__(self) -> None:
        _handlers.append(self.entry)
        self.depth = len(_handlers)

    def __exit__(self, *exc: Any) -> None:
        del _handlers[self.depth - 1:]


def run_guard(body: Callable, handler: Callable) -> Any:
    try:
        with _UnwindingHandler():
            return body()
    except SchemeError as e:
        err = e
    except USER_ERRORS as e:
        err = to_scheme_error(e)
    result = handler(err.payload)
    if result is REraise:
        raise err
    return result


def signal(err: SchemeError) -> Any:
    """Raise ``err`` as R7RS and Guile do: the innermost handler, if it does not unwind, is
    called right here, in the dynamic context of the raise (inside its ``dynamic-wind``s and
    ``parameterize``s), with the outer handlers current.  A continuable raise returns what
    it returns; after a non-continuable one, returning is itself an error, raised to the
    outer handlers.  An unwinding handler is reached by raising ``err`` as a Python
    exception.  (Errors signalled by primitives, such as ``(car 1)``, are Python exceptions
    and reach even a non-unwinding handler after unwinding.)"""
    depth = len(_handlers)
    while depth and _handlers[depth - 1].__class__ is _CatchKey \
            and _handlers[depth - 1].key is not condition_key_args(err.payload)[0]:
        depth -= 1
    handler = _handlers[depth - 1] if depth else None
    if handler is None or handler.__class__ is _CatchKey:
        err.handler_depth = len(_handlers)
        raise err
    saved = _handlers[depth - 1:]
    del _handlers[depth - 1:]
    try:
        result = handler(err.payload)
        if err.continuable:
            return result
        return signal(SchemeError(Condition("non-continuable", "handler returned from non-continuable exception",
                                            (err.payload,))))
    except SchemeError as e:
        if not hasattr(e, "handler_depth"):
            e.handler_depth = depth - 1  # raised by the handler: for the handlers outside it
        raise
    finally:
        _handlers[depth - 1:] = saved


def offer_to_handler(e: BaseException) -> None:
    """An error signalled by a primitive (``(car 1)``) is a Python exception, raised where
    no handler can be called.  Nothing a program can observe happens between that raise and
    the first ``dynamic-wind`` or ``parameterize`` extent it leaves, so offering it to a
    non-unwinding handler there, before the extent unwinds, is the same as calling the
    handler at the raise, as Guile does.  Errors raised by ``signal`` were offered already."""
    if not _handlers or _handlers[-1] is None or _handlers[-1].__class__ is _CatchKey:
        return
    if isinstance(e, SchemeError):
        if hasattr(e, "handler_depth"):
            return
        err = e
    elif isinstance(e, (TypeError, ZeroDivisionError, AttributeError, ValueError, OverflowError, IndexError)):
        err = to_scheme_error(e)
    else:
        return  # continuation escapes, exit, interrupts
    signal(err)


UNWIND_HOOK[0] = offer_to_handler


def raise_(obj: Any) -> Any:
    return signal(SchemeError(obj))


def raise_continuable(obj: Any) -> Any:
    return signal(SchemeError(obj, continuable=True))


def with_exception_handler(handler: Callable, thunk: Callable, *options: Any) -> Any:
    unwind = False
    opts = list(options)
    while opts:
        k = opts.pop(0)
        v = opts.pop(0) if opts else True
        if k is Keyword("unwind?"):
            unwind = v is not False
    _handlers.append(None if unwind else handler)
    depth = len(_handlers)
    try:
        return thunk()
    except SchemeError as e:
        err = e
    except USER_ERRORS as e:
        err = to_scheme_error(e)
    finally:
        del _handlers[depth - 1:]
    if not unwind and getattr(err, "handler_depth", depth) < depth:
        raise err  # already offered to this handler at the raise, or raised by it: not ours
    result = handler(err.payload)
    if unwind or err.continuable:
        return result
    # R7RS: returning from the handler of a non-continuable raise is itself an error.
    raise SchemeError(Condition("non-continuable", "handler returned from non-continuable exception",
                                (err.payload,)))


def error(message: Any = "", *irritants: Any) -> Any:
    from schemy.lang.datum import is_string, to_str

    if is_string(message):
        # What a catch handler gets is Guile's: (#f "~A ~S ..." (message irritant ...) #f).
        fmt = "~A" + " ~S" * len(irritants)
        args = [False, fmt, make_list([message, *irritants]), False]
        return signal(SchemeError(Condition("misc-error", to_str(message), irritants,
                                            fields={"args": args, "key": Symbol("misc-error")})))
    from schemy.lang.printer import display_string

    return signal(SchemeError(Condition("misc-error", display_string(message), irritants)))


def throw(key: Any, *args: Any) -> Any:
    name = key.name if isinstance(key, Symbol) else str(key)
    from schemy.lang.printer import write_string

    message = f"Throw to key `{name}' with args {write_string(make_list(args))}."
    return signal(SchemeError(Condition(name, message, (), fields={"args": list(args), "key": key})))


def condition_key_args(payload: Any) -> tuple[Symbol, Any]:
    """What a Guile ``catch`` handler receives for an exception object."""
    if isinstance(payload, Condition):
        if "args" in payload.fields:
            return payload.fields.get("key", Symbol(payload.kind)), make_list(payload.fields["args"])
        if payload.kind == "unbound-variable" and "name" in payload.fields:
            return Symbol(payload.kind), make_list([False, "Unbound variable: ~S",
                                                    make_list([payload.fields["name"]]), False])
        origin = payload.origin if payload.origin else False
        # Guile passes the offending values again as the last argument of range errors.
        rest = make_list(payload.irritants) if payload.kind == "out-of-range" else False
        return Symbol(payload.kind), make_list([origin, payload.message.replace("~", "~~") + (
            " ~S" * len(payload.irritants)), make_list(payload.irritants), rest])
    return Symbol("%exception"), make_list([payload])


def catch(key: Any, thunk: Callable, handler: Callable, pre_unwind: Any = None) -> Any:
    try:
        with _UnwindingHandler(None if key is True else _CatchKey(key)):
            return thunk()
    except SchemeError as e:
        err = e
    except USER_ERRORS as e:
        err = to_scheme_error(e)
    k, args = condition_key_args(err.payload)
    if key is not True and key is not k:
        raise err
    return handler(k, *args)


def false_if_exception_call(thunk: Callable) -> Any:
    try:
        with _UnwindingHandler():
            return thunk()
    except SchemeError:
        return False
    except USER_ERRORS:
        return False


def exit_(code: Any = 0) -> Any:
    if code is True:
        code = 0
    elif code is False:
        code = 1
    elif not isinstance(code, int):
        code = 0
    raise SchemeExit(code)


# -- R7RS error objects ---------------------------------------------------------------------


def is_error_object(x: Any) -> bool:
    return isinstance(x, Condition)


def error_object_message(x: Any) -> Any:
    return x.message if isinstance(x, Condition) else ""


def error_object_irritants(x: Any) -> Any:
    return make_list(x.irritants) if isinstance(x, Condition) else NIL


def is_file_error(x: Any) -> bool:
    return isinstance(x, Condition) and x.kind == "system-error"


def is_read_error(x: Any) -> bool:
    return isinstance(x, Condition) and x.kind == "read-error"


# ------------------------------------------------------------------ promises


class Promise:
    """R7RS promise; ``delay-force`` chains are forced iteratively."""

    __slots__ = ("done", "value", "thunk", "is_force")

    def __init__(self, done: bool, value: Any, thunk: Any = None, is_force: bool = False) -> None:
        self.done = done
        self.value = value
        self.thunk = thunk
        self.is_force = is_force

    def __scheme_repr__(self, write: bool) -> str:
        return "#<promise>"


def make_lazy_promise(thunk: Callable, is_force: bool) -> Promise:
    return Promise(False, None, thunk, is_force)


def make_promise(value: Any) -> Promise:
    return value if isinstance(value, Promise) else Promise(True, value)


def force(p: Any) -> Any:
    if not isinstance(p, Promise):
        return p
    while not p.done:
        v = p.thunk()
        if p.done:
            break
        if p.is_force and isinstance(v, Promise):
            # delay-force: adopt the inner promise's state and keep iterating.
            p.is_force, p.thunk, p.done, p.value = v.is_force, v.thunk, v.done, v.value
            if not v.done:
                v.thunk = None
            continue
        p.done, p.value, p.thunk = True, v, None
    return p.value


def is_promise(x: Any) -> bool:
    return isinstance(x, Promise)


# ------------------------------------------------------------------ case-lambda


def make_case_lambda(*clauses: Callable) -> Callable:
    table = []
    for c in clauses:
        req, opt, rest = procedure_arity(c)
        table.append((req, req + opt if not rest else None, c))

    def dispatch(*args: Any) -> Any:
        n = len(args)
        for lo, hi, c in table:
            if n >= lo and (hi is None or n <= hi):
                return c(*args)
        raise scheme_error("Wrong number of arguments to case-lambda", kind="wrong-number-of-args")

    dispatch.scheme_name = getattr(clauses[0], "scheme_name", "case-lambda") if clauses else "case-lambda"
    return dispatch


def procedure_arity(fn: Any) -> tuple[int, int, bool]:
    """(required, optional, rest?) of a procedure, read from its Python signature."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return (0, 0, True)
    defaults = fn.__defaults__ or ()
    nargs = code.co_argcount
    return (nargs - len(defaults), len(defaults), bool(code.co_flags & 0x04))


def case_match(key: Any, data: tuple) -> bool:
    from schemy.runtime.primitives.equality import is_eqv

    for d in data:
        if d is key or is_eqv(d, key):
            return True
    return False


# ------------------------------------------------------------------ keyword arguments


def parse_keywords(origin: str, rest: tuple, names: tuple, allow_other: bool, keep_rest: bool) -> list:
    """Split ``#:key value`` pairs of a lambda* call into values in ``names`` order."""
    from schemy.lang.datum import UNDEFINED

    found = [UNDEFINED] * len(names)
    i = 0
    n = len(rest)
    while i < n:
        k = rest[i]
        if k.__class__ is not Keyword:
            if keep_rest:
                i += 1
                continue
            raise scheme_error(f"Invalid keyword: {_w(k)}", kind="keyword-argument-error", origin=origin)
        if i + 1 >= n:
            raise scheme_error(f"Keyword argument has no value: #:{k.name}", kind="keyword-argument-error",
                               origin=origin)
        try:
            found[names.index(k)] = rest[i + 1]
        except ValueError:
            if not allow_other:
                raise scheme_error(f"Unrecognized keyword: #:{k.name}", kind="keyword-argument-error",
                                   origin=origin) from None
        i += 2
    return found


def _w(x: Any) -> str:
    from schemy.lang.printer import write_string

    return write_string(x)


def raise_located(loc: Any, message: Any, *irritants: Any) -> Any:
    """Raise a plain error whose location is ``loc`` (a source location, or #f)."""
    from schemy.lang.datum import SourceLocation, to_str

    raise SchemeError(Condition("misc-error", to_str(message), irritants),
                      loc=loc if isinstance(loc, SourceLocation) else None)


def raise_located_hint(loc: Any, message: Any, hint: Any) -> Any:
    """Raise a plain error located at ``loc`` (or #f), with a ``hint:`` line saying how to
    correct the mistake."""
    from schemy.lang.datum import SourceLocation, to_str

    raise SchemeError(Condition("misc-error", to_str(message), hint=to_str(hint) if hint else None),
                      loc=loc if isinstance(loc, SourceLocation) else None)


def location_to_string(loc: Any) -> Any:
    return str(loc) if loc is not False and loc is not None else False


def const(value: Any) -> Callable:
    def constant(*_: Any) -> Any:
        return value

    return constant


def identity(x: Any) -> Any:
    return x


def compose(*procs: Callable) -> Callable:
    if not procs:
        return values

    def composed(*args: Any) -> Any:
        r = procs[-1](*args)
        for p in reversed(procs[:-1]):
            r = p(*r) if r.__class__ is Values else p(r)
        return r

    return composed


def negate(proc: Callable) -> Callable:
    return lambda *args: proc(*args) is False


def and_then(value: Any, proc: Callable) -> Any:
    """Guile's ``and=>``: (proc value) unless value is #f."""
    return False if value is False else proc(value)


def procedure_documentation(proc: Any) -> Any:
    doc = procedure_doc(proc)
    return doc if doc is not None else False


def procedure_name(proc: Any) -> Any:
    info = procedure_info(proc)
    if info is not None:
        return Symbol(info[0])
    name = getattr(proc, "scheme_name", None)
    return Symbol(name) if name else False


def count_positionals(args: Any, limit: int) -> int:
    """How many of the first ``limit`` elements of the list ``args`` are not keywords: the
    arguments a ``lambda*`` with both ``#:optional`` and ``#:key`` binds to its optionals."""
    n = 0
    while n < limit and args.__class__ is Pair and args.car.__class__ is not Keyword:
        n += 1
        args = args.cdr
    return n


CONTROL_PRIMITIVES: dict[str, Any] = {
    "%count-positionals": count_positionals,
    "procedure-documentation": procedure_documentation,
    "procedure-name": procedure_name,
    "const": const,
    "identity": identity,
    "compose": compose,
    "negate": negate,
    "and=>": and_then,
    "%raise-located": raise_located,
    "%raise-located/hint": raise_located_hint,
    "%location->string": location_to_string,
    "procedure?": is_procedure,
    "apply": apply,
    "values": values,
    "call-with-values": call_with_values,
    "call-with-current-continuation": call_cc,
    "call/cc": call_cc,
    "call-with-escape-continuation": call_ec,
    "call/ec": call_ec,
    "dynamic-wind": dynamic_wind,
    "make-parameter": make_parameter,
    "raise": raise_,
    "raise-exception": raise_,
    "raise-continuable": raise_continuable,
    "with-exception-handler": with_exception_handler,
    "error": error,
    "throw": throw,
    "catch": catch,
    "exit": exit_,
    "error-object?": is_error_object,
    "error-object-message": error_object_message,
    "error-object-irritants": error_object_irritants,
    "file-error?": is_file_error,
    "read-error?": is_read_error,
    "make-promise": make_promise,
    "force": force,
    "promise?": is_promise,
    "%false-if-exception": false_if_exception_call,
}

__all__ = ["UNSPECIFIED"]
