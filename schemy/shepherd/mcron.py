"""mcron job schedules: Vixie cron strings and mcron's Scheme time expressions.

Written from mcron's documented behaviour.  A schedule is one of

* a Vixie string: ``"45 1 * * *"``, ranges ``1-5``, lists ``1,3``, steps ``*/5`` and
  ``10-40/10``, month and day names (``jan``, ``mon-fri``), ``@hourly @daily @midnight
  @weekly @monthly @yearly @annually @reboot`` (the last runs once, when the manager starts);
* an mcron expression as Scheme data, e.g. the quoted list
  ``(next-second-from (next-minute (range 0 60 5)))``; it is evaluated each time the next
  run is needed, with mcron's *current action time* (the time the job last ran) implicit
  in ``next-minute`` & co.  A string starting with ``(`` is read as such an expression;
* a procedure of one argument: given the last run time (UNIX seconds) it returns the next;
* a number N (a schemy convenience, not in mcron): every N seconds.

mcron semantics kept on purpose: ``(next-X-from T [LIST])`` resets every component smaller
than X (seconds, minutes, ... to 0, the day of the month to 1), then moves X to the next
value in LIST strictly after its current value (wrapping into the next larger unit), or
just adds one X without a LIST.  Hence ``(next-second-from (next-minute (range 0 60 5)))``
runs every five minutes *at second 1* (the second after each 5-minute mark), as in mcron.
Months in lists count from 0 (January) and years from 1900, as Guile's ``tm:mon``/``tm:year``.

The Scheme procedures (``PRIMITIVES``) return plain numbers exactly like mcron's, so a
config may also call them inside its own time procedure.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from schemy.lang.datum import NIL, Keyword, MString, Pair, Symbol, list_to_python, make_list
from schemy.lang.errors import scheme_error

# mcron's "current action time" stack: the time next-minute & co. compute from.
_ACTION_TIME: list[int] = []


def action_time() -> int:
    return _ACTION_TIME[-1] if _ACTION_TIME else int(time.time())


class at_action_time:  # noqa: N801 - a context manager
    """Evaluate time expressions as if the job had last run at ``t``."""

    def __init__(self, t: int) -> None:
        self.t = int(t)

    def __enter__(self) -> int:
        _ACTION_TIME.append(self.t)
        return self.t

    def __exit__(self, *exc: Any) -> None:
        _ACTION_TIME.pop()


# ----------------------------------------------------------------- broken-down time


def _epoch(dt: datetime) -> int:
    return int(time.mktime((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1)))


def _components(t: int) -> list[int]:
    """[tm_year, tm_mon, mday, hour, minute, second] of local time ``t`` (Guile's conventions)."""
    lt = time.localtime(t)
    return [lt.tm_year - 1900, lt.tm_mon - 1, lt.tm_mday, lt.tm_hour, lt.tm_min, lt.tm_sec]


def _normalize(c: list[int]) -> int:
    """``mktime`` of possibly out-of-range components: overflow carries into larger units."""
    year = 1900 + c[0] + c[1] // 12
    month = c[1] % 12 + 1
    dt = datetime(year, month, 1) + timedelta(days=c[2] - 1, hours=c[3], minutes=c[4], seconds=c[5])
    return _epoch(dt)


def _values(x: Any, origin: str) -> list[int] | None:
    if x is None:
        return None
    if isinstance(x, Pair) or x is NIL:
        items = list_to_python(x)
    elif isinstance(x, (list, tuple, range, set, frozenset)):
        items = list(x)
    elif isinstance(x, int) and not isinstance(x, bool):
        items = [x]
    else:
        raise scheme_error(f"{origin}: expected a list of numbers", x, kind="wrong-type-arg")
    if not items:
        raise scheme_error(f"{origin}: the list of allowed values is empty", kind="wrong-type-arg")
    out = []
    for v in items:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise scheme_error(f"{origin}: not a number", v, kind="wrong-type-arg")
        out.append(int(v))
    return out


_UNITS = ("year", "month", "day", "hour", "minute", "second")
# What each unit resets below it: (component index, value).
_RESET = {0: [(1, 0), (2, 1), (3, 0), (4, 0), (5, 0)], 1: [(2, 1), (3, 0), (4, 0), (5, 0)],
          2: [(3, 0), (4, 0), (5, 0)], 3: [(4, 0), (5, 0)], 4: [(5, 0)], 5: []}
# Component index of each unit; the day is tm_mday (index 2).
_INDEX = {"year": 0, "month": 1, "day": 2, "hour": 3, "minute": 4, "second": 5}


def next_from(unit: str, t: Any, values: Any = None) -> int:
    """mcron's ``next-UNIT-from``: the next time after ``t`` whose UNIT is in ``values``."""
    origin = f"next-{unit}-from"
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        raise scheme_error(f"{origin}: the time must be a number of seconds", t, kind="wrong-type-arg")
    allowed = _values(values, origin)
    i = _INDEX[unit]
    c = _components(int(t))
    for j, v in _RESET[i]:
        c[j] = v
    if allowed is None:
        c[i] += 1
    else:
        later = [v for v in allowed if v > c[i]]
        if later:
            c[i] = min(later)
        else:
            if i > 0:
                c[i - 1] += 1
            else:
                c[i] += 1
            c[i] = min(allowed)
    return _normalize(c)


def mcron_range(start: Any, end: Any, step: Any = 1) -> Any:
    """``(range START END [STEP])``: START up to (not including) END, every STEP (at least 1)."""
    for x in (start, end, step):
        if isinstance(x, bool) or not isinstance(x, int):
            raise scheme_error("range: expected integers", x, kind="wrong-type-arg")
    return make_list(range(start, end, max(step, 1)))


def _make_next_from(unit: str) -> Callable[..., int]:
    def fn(t: Any, *values: Any) -> int:
        return next_from(unit, t, values[0] if values else None)

    fn.__name__ = f"next_{unit}_from"
    fn.__doc__ = f"mcron's next-{unit}-from"
    return fn


def _make_next(unit: str) -> Callable[..., int]:
    def fn(*values: Any) -> int:
        return next_from(unit, action_time(), values[0] if values else None)

    fn.__name__ = f"next_{unit}"
    fn.__doc__ = f"mcron's next-{unit} (from the current action time)"
    return fn


NEXT_FUNCTIONS: dict[str, Callable[..., Any]] = {}
for _u in _UNITS:
    NEXT_FUNCTIONS[f"next-{_u}-from"] = _make_next_from(_u)
    NEXT_FUNCTIONS[f"next-{_u}"] = _make_next(_u)
NEXT_FUNCTIONS["range"] = mcron_range


# ----------------------------------------------------------------- Vixie cron strings

_MONTHS = {n: i + 1 for i, n in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
_DAYS = {n: i for i, n in enumerate("sun mon tue wed thu fri sat".split())}
_SPECIALS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
             "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}


class VixieSchedule:
    """A parsed five-field cron line (minute hour day-of-month month day-of-week)."""

    FIELDS = (("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
              ("month", 1, 12, _MONTHS), ("day of week", 0, 7, _DAYS))

    def __init__(self, text: str) -> None:
        self.text = text
        spec = text.strip()
        self.reboot = spec.lower() == "@reboot"
        if self.reboot:
            return
        spec = _SPECIALS.get(spec.lower(), spec)
        fields = spec.split()
        if len(fields) != 5:
            raise scheme_error(f"invalid cron schedule {text!r}: expected 5 fields "
                               "(minute hour day-of-month month day-of-week)", kind="misc-error")
        sets = [self._field(f, *desc) for f, desc in zip(fields, self.FIELDS)]
        self.minutes, self.hours, self.doms, self.months, dows = sets
        self.dows = {d % 7 for d in dows}
        # Vixie: when both day fields are restricted a day matching either runs the job.
        self.dom_star = fields[2].startswith("*")
        self.dow_star = fields[4].startswith("*")

    def _field(self, text: str, what: str, lo: int, hi: int, names: dict[str, int]) -> set[int]:
        def number(s: str) -> int:
            s2 = s.lower()
            if s2 in names:
                return names[s2]
            if not s.isdigit():
                raise scheme_error(f"invalid cron schedule {self.text!r}: bad {what} {s!r}")
            v = int(s)
            if not lo <= v <= hi:
                raise scheme_error(f"invalid cron schedule {self.text!r}: {what} {v} out of range {lo}-{hi}")
            return v

        out: set[int] = set()
        for item in text.split(","):
            rng, _, step_text = item.partition("/")
            step = 1
            if step_text:
                if not step_text.isdigit() or int(step_text) == 0:
                    raise scheme_error(f"invalid cron schedule {self.text!r}: bad step {step_text!r}")
                step = int(step_text)
            if rng == "*":
                a, b = lo, hi
            elif "-" in rng:
                x, _, y = rng.partition("-")
                a, b = number(x), number(y)
            else:
                a = number(rng)
                b = hi if step_text else a
            if a > b:
                raise scheme_error(f"invalid cron schedule {self.text!r}: empty range {rng!r}")
            out.update(range(a, b + 1, step))
        return out

    def _day_ok(self, d: datetime) -> bool:
        dom = d.day in self.doms
        dow = (d.isoweekday() % 7) in self.dows
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def next_after(self, after: datetime) -> datetime | None:
        if self.reboot:
            return None
        t = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(200_000):
            if t.month not in self.months:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
                continue
            if not self._day_ok(t):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
                continue
            if t.hour not in self.hours:
                t = t.replace(minute=0) + timedelta(hours=1)
                continue
            if t.minute not in self.minutes:
                later = [m for m in self.minutes if m > t.minute]
                t = t.replace(minute=min(later)) if later else t.replace(minute=0) + timedelta(hours=1)
                continue
            return t
        return None

    def __repr__(self) -> str:
        return f"VixieSchedule({self.text!r})"


# ----------------------------------------------------------------- s-expressions

_TOKEN = re.compile(r"\s*(?:(;[^\n]*)|(\()|(\))|(')|([^\s()';]+))")


def read_expression(text: str) -> Any:
    """Read one mcron time expression written as text (numbers, symbols, lists, quote)."""
    pos = 0
    tokens: list[tuple[str, str]] = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise scheme_error(f"cannot read time expression {text!r}")
        pos = m.end()
        if m.group(1):
            continue
        for kind, g in (("(", 2), (")", 3), ("'", 4), ("atom", 5)):
            if m.group(g):
                tokens.append((kind, m.group(g)))
    items, i = [], 0

    def parse(i: int) -> tuple[Any, int]:
        if i >= len(tokens):
            raise scheme_error(f"unbalanced time expression {text!r}")
        kind, val = tokens[i]
        if kind == "(":
            out = []
            i += 1
            while i < len(tokens) and tokens[i][0] != ")":
                x, i = parse(i)
                out.append(x)
            if i >= len(tokens):
                raise scheme_error(f"unbalanced time expression {text!r}")
            return make_list(out), i + 1
        if kind == "'":
            x, i = parse(i + 1)
            return make_list([Symbol("quote"), x]), i
        if kind == ")":
            raise scheme_error(f"unbalanced time expression {text!r}")
        try:
            return int(val), i + 1
        except ValueError:
            return Symbol(val), i + 1

    while i < len(tokens):
        x, i = parse(i)
        items.append(x)
    if len(items) != 1:
        raise scheme_error(f"expected one time expression in {text!r}")
    return items[0]


_ARITH: dict[str, Callable[..., Any]] = {
    "+": lambda *a: sum(a),
    "*": lambda *a: __import__("math").prod(a),
    "-": lambda a, *b: a - sum(b) if b else -a,
    "quotient": lambda a, b: int(a / b),
    "list": lambda *a: make_list(a),
    "iota": lambda n, start=0, step=1: make_list(start + k * step for k in range(n)),
}


def evaluate_expression(expr: Any, fallback: Callable[[Any], Any] | None = None) -> Any:
    """Evaluate an mcron time expression (the functions above, arithmetic, quote, lists).

    Anything else goes to ``fallback`` (the manager passes one that asks the interpreter).
    """
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return expr
    if isinstance(expr, Pair) and isinstance(expr.car, Symbol):
        head = expr.car.name
        if head == "quote":
            return expr.cdr.car
        fn = NEXT_FUNCTIONS.get(head) or _ARITH.get(head)
        if fn is not None:
            args = [evaluate_expression(a, fallback) for a in list_to_python(expr.cdr)]
            return fn(*args)
    if isinstance(expr, Symbol) and expr.name == "current-time":
        return action_time()
    if fallback is not None:
        return fallback(expr)
    from schemy.lang.printer import write_string

    raise scheme_error(f"cannot evaluate mcron time expression {write_string(expr)}",
                       hint="use next-second-from, next-minute, next-hour, next-day, range... "
                            "or a procedure of the last run time")


# ----------------------------------------------------------------- next run


def next_run(schedule: Any, after: datetime, call: Callable[..., Any] | None = None,
             fallback: Callable[[Any], Any] | None = None) -> datetime | None:
    """The first time strictly after ``after`` (naive local time) when ``schedule`` is due.

    None for a schedule that never runs again (``@reboot`` after boot).  ``call`` invokes a
    Scheme procedure (the manager routes it through the interpreter); ``fallback`` evaluates
    parts of an expression this module does not know.
    """
    if isinstance(schedule, Job):
        schedule = schedule.schedule
    if isinstance(schedule, MString):
        schedule = str(schedule)
    if isinstance(schedule, str):
        if schedule.lstrip().startswith("("):
            schedule = read_expression(schedule)
        else:
            return VixieSchedule(schedule).next_after(after)
    if isinstance(schedule, VixieSchedule):
        return schedule.next_after(after)
    if isinstance(schedule, (int, float)) and not isinstance(schedule, bool):
        if schedule <= 0:
            raise scheme_error("job: an interval must be a positive number of seconds", schedule)
        return after + timedelta(seconds=schedule)
    t = int(after.timestamp())
    with at_action_time(t):
        if isinstance(schedule, Pair):
            value = evaluate_expression(schedule, fallback)
        elif callable(schedule):
            value = call(schedule, t) if call is not None else schedule(t)
        else:
            raise scheme_error("job: a schedule must be a cron string, a time expression, a procedure "
                               "or a number of seconds", schedule, kind="wrong-type-arg")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise scheme_error("job: the schedule did not give a time (seconds since the epoch)", value,
                           kind="wrong-type-arg")
    return datetime.fromtimestamp(value)


# ----------------------------------------------------------------- jobs


class Job:
    """An mcron job: when (``schedule``) and what (``action``: command string, thunk or expression).

    ``interp`` is set by the manager to the interpreter whose code the job uses.
    """

    def __init__(self, schedule: Any, action: Any, name: str | None = None, user: str | None = None) -> None:
        if isinstance(action, MString):
            action = str(action)
        if not (isinstance(action, (str, Pair)) or callable(action)):
            raise scheme_error("job: the action must be a command string, a procedure or an expression",
                               action, kind="wrong-type-arg")
        if isinstance(schedule, MString):
            schedule = str(schedule)
        if isinstance(schedule, str) and not schedule.lstrip().startswith("("):
            VixieSchedule(schedule)  # report a bad string when the job is defined, not at run time
        self.schedule = schedule
        self.action = action
        self.user = user
        self.interp: Any = None
        self.name = name or self._default_name()

    def _default_name(self) -> str:
        if isinstance(self.action, str):
            return self.action
        if callable(self.action):
            return "Lambda function"
        from schemy.lang.printer import display_string

        return display_string(self.action)

    @property
    def reboot(self) -> bool:
        return isinstance(self.schedule, str) and self.schedule.strip().lower() == "@reboot"

    def schedule_text(self) -> str:
        if isinstance(self.schedule, str):
            return self.schedule
        if isinstance(self.schedule, (int, float)):
            return f"every {self.schedule:g} seconds"
        if callable(self.schedule):
            return "a procedure"
        from schemy.lang.printer import write_string

        return write_string(self.schedule)

    def next_run(self, after: datetime, call: Callable[..., Any] | None = None,
                 fallback: Callable[[Any], Any] | None = None) -> datetime | None:
        return next_run(self.schedule, after, call, fallback)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<job {self.name}>"

    def __repr__(self) -> str:
        return f"Job({self.schedule_text()!r}, {self.name!r})"


def make_job(schedule: Any, action: Any, *rest: Any) -> Job:
    """``(job SCHEDULE ACTION [DISPLAYABLE] #:user USER)``: defines and registers a job."""
    name = None
    user = None
    i = 0
    while i < len(rest):
        x = rest[i]
        if isinstance(x, Keyword):
            if x.name != "user" or i + 1 >= len(rest):
                raise scheme_error(f"job: unknown keyword #:{x.name}", kind="keyword-argument-error")
            u = rest[i + 1]
            user = u if isinstance(u, str) else (u.name if isinstance(u, Symbol) else str(u))
            i += 2
            continue
        if name is None and x is not False:
            name = str(x)
        i += 1
    job = Job(schedule, action, name, user)
    from schemy.shepherd.records import current_registry

    current_registry().jobs.append(job)
    return job


PRIMITIVES: dict[str, Any] = {
    **NEXT_FUNCTIONS,
    "job": make_job,
    "job?": lambda x: isinstance(x, Job),
}

__all__ = ["Job", "VixieSchedule", "next_run", "next_from", "make_job", "PRIMITIVES", "read_expression",
           "evaluate_expression", "at_action_time"]
