"""The Shepherd's timers, ``(shepherd service timer)``: services that run a command, or call a
procedure, at the times of a calendar event.

Written from the Shepherd manual's description ("Timers", "Timer Service"):

* ``(calendar-event #:months #:days-of-month #:days-of-week #:hours #:minutes #:seconds)``
  constrains each calendar component (any value when not given; seconds default to ``(0)``);
  days of the week are symbols (``sunday`` ... ``saturday``).  A time matches when every
  component is among its allowed values: days of the month *and* days of the week both
  constrain the day.  ``cron-string->calendar-event`` converts a Vixie cron date line.
* ``(command '("prog" "arg") #:user #:group #:environment-variables #:directory ...)`` is what
  a timer runs; ``make-timer-constructor EVENT ACTION`` returns the start procedure, whose
  running value is a ``Timer``; ``make-timer-destructor`` the stop procedure; ``trigger-timer``
  the procedure of Guix's ``trigger`` action (run the action now).
* ``timer-service`` is the ``timer`` service with its ``schedule`` action
  (``herd schedule timer at 07:00 -- COMMAND``): each schedule makes a transient timer that
  runs its command once, then goes away.

A timer's runs go to the service's log (or its ``#:log-file``); ``herd status`` shows when it
fires next and how its last runs ended.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from schemy.lang.datum import NIL, Symbol, make_list
from schemy.lang.errors import SchemeError, render_error, scheme_error
from schemy.runtime import world
from schemy.runtime.parameters import parameterized
from schemy.runtime.ports import CURRENT_ERROR, CURRENT_OUTPUT, make_output_string_port, string_port_text
from schemy.shepherd.args import as_list, as_names, as_text, split_keywords, truth
from schemy.shepherd.context import ServiceContext, current_context, note, service_context
from schemy.shepherd.forkexec import AccountError, ExecOptions, _environment
from schemy.shepherd.mcron import VixieSchedule
from schemy.shepherd.process import PROCESSES, describe_exit, terminate
from schemy.shepherd.records import Action, ServiceSpec, current_manager, describe_procedure

DAYS_OF_WEEK = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_RANGES = {"months": (1, 12), "days-of-month": (1, 31), "hours": (0, 23), "minutes": (0, 59),
           "seconds": (0, 59)}
# How many calendar steps a search for the next event may take: enough for any real event
# (the 29th of February on a Monday comes back within 28 years); an event that never
# happens (the 31st of April) ends the search with no next time.
_SEARCH_STEPS = 20_000


# ----------------------------------------------------------------- calendar events


class CalendarEvent:
    """Allowed values per calendar component; ``None`` allows any."""

    COMPONENTS = ("months", "days-of-month", "days-of-week", "hours", "minutes", "seconds")

    def __init__(self, months: frozenset[int] | None = None, days_of_month: frozenset[int] | None = None,
                 days_of_week: frozenset[int] | None = None, hours: frozenset[int] | None = None,
                 minutes: frozenset[int] | None = None, seconds: frozenset[int] | None = frozenset({0})) -> None:
        self.months = months
        self.days_of_month = days_of_month
        self.days_of_week = days_of_week  # 0 = Sunday
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds

    def _day_ok(self, t: datetime) -> bool:
        return ((self.days_of_month is None or t.day in self.days_of_month)
                and (self.days_of_week is None or t.isoweekday() % 7 in self.days_of_week))

    def next_after(self, after: datetime) -> datetime | None:
        """The first time strictly after ``after`` that the event matches (None: never)."""
        t = after.replace(microsecond=0) + timedelta(seconds=1)
        for _ in range(_SEARCH_STEPS):
            if self.months is not None and t.month not in self.months:
                t = (t.replace(day=1, hour=0, minute=0, second=0) + timedelta(days=32)).replace(day=1)
            elif not self._day_ok(t):
                t = t.replace(hour=0, minute=0, second=0) + timedelta(days=1)
            elif self.hours is not None and t.hour not in self.hours:
                later = [h for h in self.hours if h > t.hour]
                t = (t.replace(hour=min(later), minute=0, second=0) if later
                     else t.replace(hour=0, minute=0, second=0) + timedelta(days=1))
            elif self.minutes is not None and t.minute not in self.minutes:
                later = [m for m in self.minutes if m > t.minute]
                t = (t.replace(minute=min(later), second=0) if later
                     else t.replace(minute=0, second=0) + timedelta(hours=1))
            elif self.seconds is not None and t.second not in self.seconds:
                later = [s for s in self.seconds if s > t.second]
                t = (t.replace(second=min(later)) if later
                     else t.replace(second=0) + timedelta(minutes=1))
            else:
                return t
        return None

    def component(self, name: str) -> Any:
        values = {"months": self.months, "days-of-month": self.days_of_month, "hours": self.hours,
                  "minutes": self.minutes, "seconds": self.seconds}
        if name == "days-of-week":
            if self.days_of_week is None:
                return False
            return make_list([Symbol(DAYS_OF_WEEK[d]) for d in sorted(self.days_of_week)])
        v = values[name]
        return make_list(sorted(v)) if v is not None else False

    def describe(self) -> str:
        parts = []
        for name in self.COMPONENTS:
            v = self.component(name)
            if v is not False:
                from schemy.lang.printer import write_string

                parts.append(f"{name}: {write_string(v)}")
        return " ".join(parts) or "every second"

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<calendar-event {self.describe()}>"


def _values(name: str, x: Any) -> frozenset[int] | None:
    """A component's allowed values from the Scheme argument (validated)."""
    if not truth(x):
        return None
    items = as_list(x, f"calendar-event #:{name}")
    if name == "days-of-week":
        out = set()
        for d in items:
            if isinstance(d, Symbol) and d.name in DAYS_OF_WEEK:
                out.add(DAYS_OF_WEEK.index(d.name))
            elif isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6:
                out.add(d)
            else:
                raise scheme_error(f"calendar-event: invalid day of week: {as_text(d)}", d,
                                   kind="out-of-range", hint="days of the week are symbols: "
                                   + " ".join(DAYS_OF_WEEK))
        return frozenset(out)
    lo, hi = _RANGES[name]
    out = set()
    for v in items:
        if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
            raise scheme_error(f"calendar-event: #:{name} value out of range {lo}-{hi}: {as_text(v)}", v,
                               kind="out-of-range")
        out.add(v)
    return frozenset(out)


def calendar_event(*args: Any) -> CalendarEvent:
    """``(calendar-event #:months #:days-of-month #:days-of-week #:hours #:minutes #:seconds)``."""
    pos, kw = split_keywords("calendar-event", args, CalendarEvent.COMPONENTS)
    if pos:
        raise scheme_error("calendar-event: takes keyword arguments only", *pos, kind="wrong-number-of-args")
    seconds = _values("seconds", kw["seconds"]) if "seconds" in kw else frozenset({0})
    return CalendarEvent(_values("months", kw.get("months", False)),
                         _values("days-of-month", kw.get("days-of-month", False)),
                         _values("days-of-week", kw.get("days-of-week", False)),
                         _values("hours", kw.get("hours", False)),
                         _values("minutes", kw.get("minutes", False)),
                         seconds)


def cron_string_to_calendar_event(text: Any) -> CalendarEvent:
    """``(cron-string->calendar-event "0 3 * * *")``: a Vixie cron date line as a calendar event."""
    line = as_text(text)
    if line.strip().lower() == "@reboot":
        raise scheme_error(f"cron-string->calendar-event: {line!r} is no calendar date", kind="misc-error")
    s = VixieSchedule(line)
    full = VixieSchedule("* * * * *")

    def restrict(values: set[int], everything: set[int]) -> frozenset[int] | None:
        return None if values == everything else frozenset(values)

    return CalendarEvent(restrict(s.months, full.months), restrict(s.doms, full.doms),
                         restrict(s.dows, full.dows), restrict(s.hours, full.hours),
                         restrict(s.minutes, full.minutes), frozenset({0}))


def _event(x: Any, origin: str) -> CalendarEvent:
    if isinstance(x, CalendarEvent):
        return x
    raise scheme_error(f"{origin}: not a calendar event", x, kind="wrong-type-arg",
                       hint="make one with (calendar-event ...) or (cron-string->calendar-event \"0 3 * * *\")")


# ----------------------------------------------------------------- commands

_COMMAND_KEYS = ("user", "group", "supplementary-groups", "environment-variables", "directory",
                 "resource-limits")


class Command:
    """``(command '("prog" "arg") #:user ...)``: what a timer runs."""

    def __init__(self, line: list[str], user: Any, group: Any, supplementary_groups: list[str],
                 env: dict[str, str] | None, directory: str) -> None:
        self.line = line
        self.user = user
        self.group = group
        self.supplementary_groups = supplementary_groups
        self.env = env
        self.directory = directory

    def options(self, log_file: Path | None) -> ExecOptions:
        return ExecOptions(command=self.line, log_file=log_file, env=self.env, user=self.user,
                           group=self.group, directory=self.directory,
                           supplementary_groups=self.supplementary_groups)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<command {' '.join(self.line)}>"


def make_command(line: Any, *args: Any) -> Command:
    pos, kw = split_keywords("command", args, _COMMAND_KEYS)
    if pos:
        raise scheme_error("command: unexpected arguments", *pos, kind="wrong-number-of-args")
    items = [as_text(x) for x in as_list(line, "command")]
    if not items:
        raise scheme_error("command: empty command line", kind="wrong-type-arg")
    if truth(kw.get("resource-limits", False)):
        note("command: #:resource-limits are not applied by schemy (ignored)")
    directory = kw.get("directory", False)
    return Command(items, kw.get("user", False), kw.get("group", False),
                   as_names(kw.get("supplementary-groups", NIL), "command #:supplementary-groups"),
                   _environment(kw.get("environment-variables", False), "command"),
                   as_text(directory) if truth(directory) else "/")


# ----------------------------------------------------------------- timers


def _manager() -> Any:
    return current_manager()


class Timer:
    """A started timer (the service's running value): a thread waiting for the next event."""

    HISTORY = 5

    def __init__(self, event: CalendarEvent, action: Any, ctx: ServiceContext | None, log_file: Path | None,
                 wait: bool, max_duration: float | None, occurrences: float, interp: Any,
                 on_done: Any = None) -> None:
        self.event = event
        self.action = action
        self.name = ctx.name if ctx else "timer"
        self.log_file = log_file or (ctx.log_file if ctx else None)
        self.logger = ctx.logger if ctx else None
        self.wait = wait
        self.max_duration = max_duration
        self.left = occurrences
        self.interp = interp
        self.on_done = on_done
        self.next: datetime | None = None
        self.runs: list[tuple[float, str]] = []  # (when, how it ended), newest last
        self.pid: int | None = None  # the process of a run in progress, if any
        self._cancelled = threading.Event()
        self._trigger = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="schemy-timer", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ life
    def _log(self, message: str) -> None:
        ctx = ServiceContext(self.name, self.log_file, self.logger)
        ctx.log(message)

    def _loop(self) -> None:
        while not self._cancelled.is_set() and self.left > 0:
            nxt = self.event.next_after(datetime.now())
            with self._lock:
                self.next = nxt
            if nxt is None:
                self._log(f"Timer {self.name}: its calendar event never happens again.")
                break
            while not self._cancelled.is_set() and not self._trigger.is_set():
                left = (nxt - datetime.now()).total_seconds()
                if left <= 0:
                    break
                self._trigger.wait(min(left, 1.0))
            if self._cancelled.is_set():
                break
            self._trigger.clear()
            self.left -= 1
            self.fire()
        with self._lock:
            self.next = None
        if self.on_done is not None and not self._cancelled.is_set():
            self.on_done(self)

    def fire(self) -> None:
        """Run the action once, now (in the timer's thread, or the caller's for ``trigger``)."""
        started = time.time()
        if isinstance(self.action, Command):
            status = self._run_command(self.action)
        else:
            status = self._call(self.action)
        with self._lock:
            self.runs = (self.runs + [(started, status)])[-self.HISTORY:]

    def _run_command(self, command: Command) -> str:
        origin = f"timer {self.name}"
        try:
            with service_context(ServiceContext(self.name, self.log_file, self.logger)):
                p = command.options(self.log_file).spawn(origin, PROCESSES)
        except AccountError as e:
            self._log(f"Timer {self.name}: {e}")
            return f"could not run: {e}"
        except OSError as e:
            self._log(f"Timer {self.name}: cannot run {command.line[0]}: {e.strerror or e}")
            return f"could not run: {e.strerror or e}"
        self._log(f"Timer {self.name} spawned process {p.pid}: {' '.join(command.line)}")
        if not self.wait:
            PROCESSES.on_exit(p.pid, lambda pid, status: self._finished(pid, status))
            return "started"
        self.pid = p.pid
        deadline = None if self.max_duration is None else time.monotonic() + self.max_duration
        status = None
        while status is None:
            status = PROCESSES.poll(p.pid)
            if status is not None:
                break
            if self._cancelled.is_set():
                terminate(p.pid, 15, 5.0, PROCESSES)
            elif deadline is not None and time.monotonic() >= deadline:
                self._log(f"Timer {self.name}: process {p.pid} ran longer than {self.max_duration:g} "
                          "seconds; terminating it.")
                terminate(p.pid, 15, 5.0, PROCESSES)
            time.sleep(0.05)
        self.pid = None
        return self._finished(p.pid, status)

    def _finished(self, pid: int, status: int) -> str:
        PROCESSES.forget(pid)
        text = describe_exit(status)
        self._log(f"Timer {self.name}: process {pid} {text}.")
        return text

    def _call(self, proc: Any) -> str:
        manager = _manager()
        port = make_output_string_port()

        def run() -> Any:
            # The procedure's output ports, not the process's (other threads print too).
            with parameterized([(CURRENT_OUTPUT, port), (CURRENT_ERROR, port)]):
                return proc()

        try:
            with service_context(ServiceContext(self.name, self.log_file, self.logger)):
                if manager is not None:
                    manager.call(self.interp, run)
                elif self.interp is not None:
                    self.interp.run_protected(run)
                else:
                    run()
        except Exception as e:  # noqa: BLE001 - a failing run is reported, the timer goes on
            text = render_error(e) if isinstance(e, SchemeError) else f"{type(e).__name__}: {e}"
            self._log(f"Timer {self.name}: its procedure failed: {text}")
            return "failed: " + text
        finally:
            self._keep_output(string_port_text(port))
        return "completed"

    def _keep_output(self, text: str) -> None:
        """What a procedure printed goes to the timer's log, as a command's output does."""
        if not text or self.log_file is None:
            return
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "a", encoding="utf-8") as f:
            f.write(text if text.endswith("\n") else text + "\n")

    def trigger(self) -> None:
        """Run the action now, outside the schedule (Guix's ``trigger`` action)."""
        self._log(f"Timer {self.name} triggered.")
        threading.Thread(target=self.fire, name="schemy-timer", daemon=True).start()

    def cancel(self) -> None:
        self._cancelled.set()
        self._trigger.set()
        pid = self.pid
        if pid is not None and PROCESSES.poll(pid) is None:
            terminate(pid, 15, 5.0, PROCESSES)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=10)

    # ------------------------------------------------------------ showing
    def info(self) -> dict[str, Any]:
        with self._lock:
            return {"event": self.event.describe(),
                    "next": self.next.strftime("%Y-%m-%d %H:%M:%S") if self.next else None,
                    "runs": [[when, status] for when, status in self.runs],
                    "running_pid": self.pid}

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<timer {self.name}>"


class TimerStart:
    """The start procedure ``make-timer-constructor`` returns."""

    def __init__(self, event: CalendarEvent, action: Any, log_file: Path | None, wait: bool,
                 max_duration: float | None, occurrences: float) -> None:
        self.event = event
        self.action = action
        self.log_file = log_file
        self.wait = wait
        self.max_duration = max_duration
        self.occurrences = occurrences
        if isinstance(action, Command):
            self.command = action.line
        what = (action.line, action.user, action.group, sorted((action.env or {}).items()), action.directory) \
            if isinstance(action, Command) else describe_procedure(action)
        self.fingerprint = "timer:" + repr((event.describe(), what, str(log_file), wait, max_duration,
                                            occurrences))

    def __call__(self, *args: Any) -> Timer:
        ctx = current_context()
        if ctx is not None and isinstance(self.action, Command):
            ctx.command = self.action.line
        return Timer(self.event, self.action, ctx, self.log_file, self.wait, self.max_duration,
                     self.occurrences, world.running())

    def __scheme_repr__(self, write: bool) -> str:
        return "#<procedure timer-constructor>"


def make_timer_constructor(event: Any, action: Any, *args: Any) -> TimerStart:
    """``(make-timer-constructor EVENT ACTION #:log-file #:max-duration #:wait-for-termination?
    #:occurrences)``: ACTION is a ``command`` or a thunk."""
    pos, kw = split_keywords("make-timer-constructor", args,
                             ("log-file", "max-duration", "wait-for-termination?", "occurrences",
                              "termination-signal"))
    if pos:
        raise scheme_error("make-timer-constructor: unexpected arguments", *pos, kind="wrong-number-of-args")
    if not isinstance(action, Command) and not callable(action):
        raise scheme_error("make-timer-constructor: the action must be a command or a procedure", action,
                           kind="wrong-type-arg", hint="(command '(\"/bin/program\" \"arg\"))")
    log_file = kw.get("log-file", False)
    max_duration = kw.get("max-duration", False)
    occurrences = kw.get("occurrences", False)
    return TimerStart(_event(event, "make-timer-constructor"), action,
                      Path(as_text(log_file)) if truth(log_file) else None,
                      truth(kw.get("wait-for-termination?", False)),
                      float(max_duration) if truth(max_duration) else None,
                      float(occurrences) if truth(occurrences) else float("inf"))


class TimerStop:
    """The stop procedure ``make-timer-destructor`` returns: cancels the timer."""

    fingerprint = "timer-destructor"

    def __call__(self, running: Any = False, *args: Any) -> Any:
        if isinstance(running, Timer):
            running.cancel()
        return False

    def __scheme_repr__(self, write: bool) -> str:
        return "#<procedure timer-destructor>"


def make_timer_destructor(*args: Any) -> TimerStop:
    split_keywords("make-timer-destructor", args, ("termination-signal",))
    return TimerStop()


def trigger_timer(running: Any = False, *args: Any) -> Any:
    """The ``trigger`` action's procedure: run the timer's action now."""
    if not isinstance(running, Timer):
        raise scheme_error("trigger-timer: this timer is not running", kind="misc-error",
                           hint="start it first (herd start NAME)")
    running.trigger()
    return True


# ----------------------------------------------------------------- the timer service


def _parse_schedule(args: list[str]) -> tuple[CalendarEvent, Command, Path | None]:
    """``at HH:MM[:SS] [--user=U] [--log-file=F] [-d DIR] [-E VAR=VALUE] -- COMMAND ...``."""
    if len(args) < 2 or args[0] != "at":
        raise scheme_error("schedule: expected 'at HH:MM -- COMMAND...'", kind="misc-error",
                           hint="herd schedule timer at 07:00 -- mpg123 alarm.mp3")
    clock = args[1].split(":")
    try:
        nums = [int(x) for x in clock]
        hour, minute = nums[0], nums[1] if len(nums) > 1 else 0
        second = nums[2] if len(nums) > 2 else 0
        if len(nums) > 3 or not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
            raise ValueError
    except (ValueError, IndexError):
        raise scheme_error(f"schedule: invalid time {args[1]!r}", kind="misc-error", hint="a time like 07:00") \
            from None
    rest = args[2:]
    user: Any = False
    group: Any = False
    log_file: Path | None = None
    directory = "/"
    env: dict[str, str] = {}
    i = 0
    # Options come first; "--" (or, when herd's own option parser took it, the first
    # argument that is no option) begins the command.
    while i < len(rest) and rest[i] != "--" and rest[i].startswith("-"):
        opt = rest[i]
        value = None
        if "=" in opt and opt.startswith("--"):
            opt, value = opt.split("=", 1)
        elif opt in ("-d", "-E") or opt in ("--user", "--group", "--log-file", "--working-directory",
                                             "--environment-variable"):
            i += 1
            if i >= len(rest):
                raise scheme_error(f"schedule: option {opt} needs a value", kind="misc-error")
            value = rest[i]
        if opt == "--user":
            user = value
        elif opt == "--group":
            group = value
        elif opt == "--log-file":
            log_file = Path(str(value))
        elif opt in ("-d", "--working-directory"):
            directory = str(value)
        elif opt in ("-E", "--environment-variable"):
            k, sep, v = str(value).partition("=")
            if not sep:
                raise scheme_error(f"schedule: environment variable without '=': {value}", kind="misc-error")
            env[k] = v
        else:
            raise scheme_error(f"schedule: unknown option {opt}", kind="misc-error")
        i += 1
    line = rest[i + 1:] if i < len(rest) and rest[i] == "--" else rest[i:]
    if not line:
        raise scheme_error("schedule: no command after '--'", kind="misc-error",
                           hint="herd schedule timer at 07:00 -- COMMAND ARGS...")
    event = CalendarEvent(hours=frozenset({hour}), minutes=frozenset({minute}), seconds=frozenset({second}))
    return event, Command(line, user, group, [], env or None, directory), log_file


class _Scheduler:
    """The ``schedule`` action of the timer service."""

    def __init__(self, provision: str) -> None:
        self.provision = provision
        self.count = 0

    def __call__(self, running: Any = False, *args: Any) -> Any:
        manager = _manager()
        if manager is None:
            raise scheme_error("schedule: no service manager is running", kind="misc-error")
        event, command, log_file = _parse_schedule([as_text(a) for a in args])
        self.count += 1
        name = f"{self.provision}-{self.count}"
        while manager.lookup_spec(name) is not None:
            self.count += 1
            name = f"{self.provision}-{self.count}"

        def done(timer: Timer) -> None:
            threading.Thread(target=manager.remove_transient, args=(name,), daemon=True).start()

        start = TimerStart(event, command, log_file, True, None, 1.0)

        def start_once(*a: Any) -> Timer:
            timer = start(*a)
            timer.on_done = done
            return timer

        spec = ServiceSpec(provision=[name], start=start_once, stop=TimerStop(), transient=True,
                           documentation=f"Run {' '.join(command.line)} once at {event.describe()}.",
                           actions={"trigger": Action("trigger", trigger_timer, "Run it now.")})
        manager.register([spec])
        manager.start(name)
        nxt = event.next_after(datetime.now())
        when = nxt.strftime("%Y-%m-%d %H:%M:%S") if nxt else "never"
        print(f"Scheduled {name}: {' '.join(command.line)} at {when}.")
        return True


def timer_service(*args: Any) -> Any:
    """``(timer-service ['(timer)] #:requirement '())``: the service scheduling commands at a time."""
    pos, kw = split_keywords("timer-service", args, ("requirement",))
    provision = as_names(pos[0], "timer-service") if pos else ["timer"]
    return ServiceSpec(provision=provision,
                       requirement=as_names(kw.get("requirement", NIL), "timer-service #:requirement"),
                       start=lambda *a: True, stop=lambda *a: False,
                       documentation="Schedule commands to run at a given time (herd schedule "
                                     f"{provision[0]} at HH:MM -- COMMAND).",
                       actions={"schedule": Action("schedule", _Scheduler(provision[0]),
                                                   "Run a command at a given time.")})


def _accessor(component: str) -> Any:
    origin = f"calendar-event-{component}"
    return lambda event: _event(event, origin).component(component)


PRIMITIVES: dict[str, Any] = {
    "calendar-event": calendar_event,
    "calendar-event?": lambda x: isinstance(x, CalendarEvent),
    "cron-string->calendar-event": cron_string_to_calendar_event,
    **{f"calendar-event-{c}": _accessor(c) for c in CalendarEvent.COMPONENTS},
    "command": make_command,
    "command?": lambda x: isinstance(x, Command),
    "command-line": lambda c: make_list(c.line),
    "make-timer-constructor": make_timer_constructor,
    "make-timer-destructor": make_timer_destructor,
    "trigger-timer": trigger_timer,
    "timer-service": timer_service,
}
